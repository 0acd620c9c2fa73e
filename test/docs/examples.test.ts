// The worked examples of docs/extending.md cannot rot: every `<!-- example: path -->` block in the docs is
// its file byte for byte, every file under docs/examples is shown somewhere, and each example runs through
// the real queue, worker, router and skills, checked by what a user would see.

import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTimeSkill } from '../../docs/examples/time-skill';
import { createWebhookChatAdapter, webhookChatPath } from '../../docs/examples/webhook-chat';
import { webhookSignature } from '../../docs/examples/webhook-chat-platform';
import type { JobQueue } from '../../src/core/job-queue';
import type { LlmRequest } from '../../src/core/llm-provider';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createSkills } from '../../src/skills';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline';

const root = join(__dirname, '..', '..');
/** A marker and the ```ts block right under it (absent when the marker has no block). */
const examplePattern = /<!-- example: (\S+) -->\n(?:```ts\n([\s\S]*?)^```$)?/gm;

/** Each marked example of a Markdown file: the path it names and the fenced block that follows it. */
function markedExamples(markdown: string): Array<{ path: string; block: string | undefined }> {
  return [...markdown.matchAll(examplePattern)].map((match) => ({ path: match[1], block: match[2] }));
}

describe('the examples in the docs', () => {
  const guides = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'));
  const shown = guides.flatMap((guide) =>
    markedExamples(readFileSync(join(root, 'docs', guide), 'utf8')).map((example) => ({ guide, ...example })),
  );

  test('every marked block is its file, byte for byte', () => {
    expect(shown.length).toBeGreaterThan(0);
    for (const example of shown) {
      const file = readFileSync(join(root, example.path), 'utf8');
      expect({ where: `${example.guide}: ${example.path}`, block: example.block }).toEqual({
        where: `${example.guide}: ${example.path}`,
        block: file,
      });
    }
  });

  test('every file under docs/examples is shown in a guide', () => {
    const files = readdirSync(join(root, 'docs', 'examples')).map((name) => `docs/examples/${name}`);
    expect(files.filter((file) => !shown.some((example) => example.path === file))).toEqual([]);
  });
});

describe('the time skill example, registered after the real skills', () => {
  // Tuesday 3 November 2026, 06:30 UTC: 07:30 in Berlin, 14:30 in Shanghai, 01:30 in New York.
  const now = new Date('2026-11-03T06:30:00Z');
  const routing = (request: LlmRequest) => {
    const text = String(request.messages.at(-1)?.content);
    if (text.includes('New York')) {
      return {
        toolCalls: [{ id: 'call-1', name: 'time', input: { timezone: 'America/New_York' } }],
      };
    }
    // A tool input with a key the schema does not name is refused by the router.
    return { toolCalls: [{ id: 'call-2', name: 'time', input: { timezone: 'UTC', urgent: true } }] };
  };
  const llm = new ScriptedLlm([], routing);
  const platform = new RecordingPlatform('console');
  let pipeline: TestPipeline;

  beforeAll(async () => {
    const skills = createSkills();
    skills.push(createTimeSkill());
    pipeline = await startTestPipeline({
      platforms: { console: platform },
      skills,
      llm,
      now: () => now,
      defaultTimezone: 'Europe/Berlin',
    });
  });
  afterAll(() => pipeline.stop());

  async function ask(text: string, author: { id: string; name: string; timezone?: string }) {
    await pipeline.queue.enqueue(inboundMessage(text, { author }));
    await pipeline.drain();
    return platform.visibleMessages().at(-1) ?? '';
  }

  test('`time` answers in the requester timezone from their profile', async () => {
    const answer = await ask('time', { id: 'U1', name: 'Alice', timezone: 'Asia/Shanghai' });
    expect(answer).toMatch(/^It is Tuesday.* 14:30 in Asia\/Shanghai\.$/);
  });

  test('`时间` answers in Chinese, in the default timezone when the profile has none', async () => {
    const answer = await ask('时间', { id: 'U2', name: '张三' });
    expect(answer).toMatch(/^Europe\/Berlin 现在是 .*星期二.*07:30。$/);
  });

  test('a timezone typed after the command word is used, and an unknown one is said so', async () => {
    expect(await ask('time Asia/Tokyo', { id: 'U1', name: 'Alice' })).toMatch(/15:30 in Asia\/Tokyo\.$/);
    expect(await ask('time Mars/Olympus', { id: 'U1', name: 'Alice' })).toBe(
      `I don't know the timezone "Mars/Olympus". Try one like Europe/Berlin.`,
    );
  });

  test('free text reaches it through the model, whose input the zod schema reads', async () => {
    const answer = await ask('what time is it in New York?', { id: 'U1', name: 'Alice' });
    expect(answer).toMatch(/01:30 in America\/New_York\.$/);
    const offered = llm.requests.at(-1)?.tools?.find((tool) => tool.name === 'time');
    expect(offered?.inputSchema).toMatchObject({
      properties: { timezone: { description: 'IANA timezone asked about, e.g. Asia/Tokyo.' } },
      additionalProperties: false,
    });

    const refused = await ask('how late is it?', { id: 'U1', name: 'Alice' });
    expect(refused).toBe("I couldn't work out how to do that. Try `help` for the commands.");
  });

  test('help lists it in English and in Chinese', async () => {
    expect(await ask('help', { id: 'U1', name: 'Alice' })).toContain(
      '• `time` / `时间`: The current time, yours or in a timezone. (`time Asia/Tokyo`)',
    );
    expect(await ask('帮助', { id: 'U2', name: '张三' })).toContain(
      '• `time` / `时间`: 当前时间，你的时区或指定时区。 (`time Asia/Tokyo`)',
    );
  });
});

/** A loopback stand-in for the chat's outbound endpoint: records each request, answers a message id. */
async function startOutboundChat(): Promise<{
  url: string;
  received: Array<{ body: Record<string, unknown>; headers: IncomingMessage['headers']; raw: string }>;
  server: Server;
}> {
  const received: Array<{ body: Record<string, unknown>; headers: IncomingMessage['headers']; raw: string }> =
    [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ body: JSON.parse(raw) as Record<string, unknown>, headers: request.headers, raw });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: `out-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/replies`, received, server };
}

describe('the webhook chat adapter example, served on the shared HTTP server', () => {
  const secret = 'example-shared-secret';
  const logger = createLogger({ level: 'silent' });
  let outbound: Awaited<ReturnType<typeof startOutboundChat>>;
  let http: HttpServer;
  let eventsUrl: string;
  let pipeline: TestPipeline;
  let queueDown = false;

  beforeAll(async () => {
    outbound = await startOutboundChat();
    const store = createMemoryStateStore();
    const memoryQueue = createMemoryQueue({ store, logger });
    const queue: JobQueue = {
      ...memoryQueue,
      enqueue: (message) =>
        queueDown ? Promise.reject(new Error('Redis is not reachable')) : memoryQueue.enqueue(message),
    };
    // Run under the name `console`: the `Platform` union has no `webhook` (docs/extending.md says why).
    const adapter = createWebhookChatAdapter({
      platform: 'console',
      secret,
      outboundUrl: outbound.url,
      receive: true,
      queue,
      logger,
    });
    pipeline = await startTestPipeline({ platforms: { console: adapter.platform }, queue, store, logger });
    http = createHttpServer({
      routes: adapter.routes,
      logger,
      readiness: async () => ({ ready: true, checks: {} }),
    });
    eventsUrl = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}${webhookChatPath}`;
    await adapter.start();
  });
  afterAll(async () => {
    await pipeline.stop();
    http.server.closeAllConnections();
    await http.close();
    outbound.server.close();
  });

  let sequence = 0;
  async function send(
    event: Record<string, unknown>,
    sign: (timestamp: string, body: string) => Record<string, string> = (timestamp, body) => ({
      'x-example-timestamp': timestamp,
      'x-example-signature': webhookSignature(secret, timestamp, body),
    }),
  ): Promise<number> {
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(timestamp, body) },
      body,
    });
    await pipeline.drain();
    return response.status;
  }
  const event = (text: string) => ({ id: `evt-${++sequence}`, user: 'u-alice', channel: 'room-1', text });

  test('a signed event is answered by a signed POST to the outbound URL, once per event id', async () => {
    const help = event('help');
    expect(await send(help)).toBe(200);
    expect(outbound.received).toHaveLength(1);
    const [reply] = outbound.received;
    expect(reply.body).toMatchObject({ channel: 'room-1', idempotencyKey: `console-${help.id}` });
    expect(String(reply.body.text)).toContain('**Deskmate** is your office assistant.');
    const timestamp = String(reply.headers['x-example-timestamp']);
    expect(reply.headers['x-example-signature']).toBe(webhookSignature(secret, timestamp, reply.raw));

    // The chat delivers the same event again: acknowledged, not answered twice.
    expect(await send(help)).toBe(200);
    expect(outbound.received).toHaveLength(1);
  });

  test('with no member list, a request to read the conversation is refused privately', async () => {
    const before = outbound.received.length;
    expect(await send(event('summarize'))).toBe(200);
    expect(outbound.received.slice(before).map((request) => request.body)).toEqual([
      {
        channel: 'room-1',
        text: "I can't read that conversation for you: you're not a member of it.",
        idempotencyKey: `console-evt-${sequence}`,
        visibleTo: 'u-alice',
      },
    ]);
  });

  test('a forged or stale signature gets 401 and nothing is queued', async () => {
    const before = outbound.received.length;
    const forged = (timestamp: string, body: string) => ({
      'x-example-timestamp': timestamp,
      'x-example-signature': webhookSignature('not-the-secret', timestamp, body),
    });
    expect(await send(event('help'), forged)).toBe(401);
    const stale = (_timestamp: string, body: string) => {
      const old = String(Math.floor(Date.now() / 1000) - 600);
      return { 'x-example-timestamp': old, 'x-example-signature': webhookSignature(secret, old, body) };
    };
    expect(await send(event('help'), stale)).toBe(401);
    expect(await send(event('help'), () => ({}))).toBe(401);
    expect(await pipeline.queue.depth()).toBe(0);
    expect(outbound.received.length).toBe(before);
  });

  test('an event the queue cannot take gets 503, so the chat delivers it again', async () => {
    const before = outbound.received.length;
    const retried = event('help');
    queueDown = true;
    try {
      expect(await send(retried)).toBe(503);
    } finally {
      queueDown = false;
    }
    expect(outbound.received.length).toBe(before);
    expect(await send(retried)).toBe(200);
    expect(outbound.received.length).toBe(before + 1);
  });
});
