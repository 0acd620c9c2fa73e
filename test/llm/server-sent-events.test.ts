import { PassThrough } from 'node:stream';
import { readServerSentEvents } from '../../src/llm/server-sent-events';

/** A text body as `postForText` hands it over. */
function textBody(): PassThrough {
  const body = new PassThrough();
  body.setEncoding('utf8');
  return body;
}

async function readAll(events: ReturnType<typeof readServerSentEvents>): Promise<string[]> {
  const payloads: string[] = [];
  for (let batch = await events.next(); batch; batch = await events.next()) payloads.push(...batch);
  return payloads;
}

describe('server-sent events', () => {
  test('events split anywhere across chunks, CRLF lines, multi-line data and other fields', async () => {
    const body = textBody();
    const events = readServerSentEvents(body);
    const wire =
      ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\nevent: x\ndata: line one\ndata:line two\n\ndata: [DONE]\n\n';
    for (let at = 0; at < wire.length; at += 7) body.write(wire.slice(at, at + 7));
    body.end();
    expect(await readAll(events)).toEqual(['{"a":1}', 'line one\nline two', '[DONE]']);
  });

  test('data left without a closing blank line still counts at the end', async () => {
    const body = textBody();
    const events = readServerSentEvents(body);
    body.end('data: first\n\ndata: last\n');
    expect(await readAll(events)).toEqual(['first', 'last']);
  });

  test('a reader slower than the stream pauses it, and gets every event once it reads', async () => {
    const body = textBody();
    const events = readServerSentEvents(body);
    const count = 1000;
    for (let index = 0; index < count; index += 1) body.write(`data: ${index}\n\n`);
    body.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    const payloads = await readAll(events);
    expect(payloads).toEqual(Array.from({ length: count }, (_, index) => String(index)));
  });

  test('events before a broken connection are read, then its error', async () => {
    const body = textBody();
    const events = readServerSentEvents(body);
    body.write('data: before\n\n');
    await new Promise((resolve) => setImmediate(resolve));
    body.destroy(new Error('socket hang up'));
    expect(await events.next()).toEqual(['before']);
    await expect(events.next()).rejects.toThrow('socket hang up');
  });
});
