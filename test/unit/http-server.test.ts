import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { statusOf, trickle } from '../helpers/raw-http';
import { waitUntil } from '../helpers/wait';

describe('shared HTTP server', () => {
  let ready = true;
  const server = createHttpServer({
    logger: createLogger({ level: 'silent' }),
    readiness: async () => ({ ready, checks: { redis: ready } }),
    routes: [
      {
        path: '/echo',
        async handle(_request, response) {
          response.writeHead(200).end('echoed');
        },
      },
      {
        path: '/broken',
        async handle() {
          throw new Error('boom');
        },
      },
      {
        path: '/broken-half-way',
        async handle(_request, response) {
          response.writeHead(200, { 'content-type': 'application/x-ndjson' });
          response.write('{"first":"line"}\n');
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('the store went away');
        },
      },
    ],
  });
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  afterAll(() => server.close());

  test('/healthz answers while the process lives', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/readyz follows the readiness checks', async () => {
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', checks: { redis: false } });
  });

  test('by default a slow request head is cut at 15 s and a slow body at 30 s (not the other way round)', () => {
    expect(server.server.headersTimeout).toBe(15_000);
    expect(server.server.requestTimeout).toBe(30_000);
  });

  test('routes are served, unknown paths are 404, a throwing route is 500 and the server lives', async () => {
    expect(await (await fetch(`${base}/echo`, { method: 'POST', body: 'x' })).text()).toBe('echoed');
    expect((await fetch(`${base}/nope`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${base}/broken`, { method: 'POST', body: 'x' })).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test('a route that breaks after its head is sent cuts the connection: the client sees an error, not a short file', async () => {
    const response = await fetch(`${base}/broken-half-way`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('shared HTTP server: slow clients', () => {
  const headersTimeoutMs = 1000;
  const requestTimeoutMs = 3000;
  const server = createHttpServer({
    logger: createLogger({ level: 'silent' }),
    readiness: async () => ({ ready: true, checks: {} }),
    limits: { headersTimeoutMs, requestTimeoutMs },
    routes: [
      {
        path: '/upload',
        async handle(_request, response, ingress) {
          const read = await ingress.readBody(1024 * 1024);
          if (read.kind === 'body') response.writeHead(200).end(String(read.body.length));
        },
      },
    ],
  });
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    server.server.closeAllConnections();
    await server.close();
  });

  test('a client that sends its headers byte by byte is answered 408 and cut off at the headers timeout', async () => {
    const slow = await trickle(
      `${base}/upload`,
      'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      `X-Slow: ${'a'.repeat(200)}`,
      50,
      10_000,
    );
    expect(statusOf(slow.received)).toBe(408);
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
    // Well before the request timeout: the headers have a deadline of their own.
    expect(slow.closedAfterMs).toBeLessThan(requestTimeoutMs - 500);
  });

  test('a client that sends its headers and then trickles its body is answered 408 at the request timeout', async () => {
    const slow = await trickle(
      `${base}/upload`,
      'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      'b'.repeat(1000),
      50,
      10_000,
    );
    expect(statusOf(slow.received)).toBe(408);
    // Not cut at the headers timeout (its headers came at once), but by the request timeout.
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(requestTimeoutMs - 100);
    expect(slow.closedAfterMs).toBeLessThan(requestTimeoutMs + 1500);
  });

  test('a request sent at once is served by the same server', async () => {
    const response = await fetch(`${base}/upload`, { method: 'POST', body: 'x'.repeat(100) });
    expect(await response.text()).toBe('100');
  });
});

describe('shared HTTP server: closing', () => {
  test('close finishes once the answers under way are sent, although their clients keep the connection', async () => {
    const waiting: Array<() => void> = [];
    const server = createHttpServer({
      logger: createLogger({ level: 'silent' }),
      readiness: async () => ({ ready: true, checks: {} }),
      routes: [
        {
          path: '/slow',
          async handle(request, response) {
            request.resume();
            await new Promise<void>((resolve) => waiting.push(resolve));
            response.writeHead(200).end('ok');
          },
        },
      ],
    });
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    // Requests arrive on keep-alive connections (as Slack's and Lark's do) and are being answered at close.
    const inFlight = [1, 2, 3].map(() => fetch(`${base}/slow`, { method: 'POST', body: 'event' }));
    await waitUntil(() => waiting.length === 3, 'the requests to arrive');
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    for (const send of waiting) send();
    const answers = await Promise.all(inFlight);
    expect(await Promise.all(answers.map((each) => each.text()))).toEqual(['ok', 'ok', 'ok']);
    // The keep-alive timeout is 65 s: a connection left open after its answer would hold close that long.
    await waitUntil(() => closed, 'close to finish', 5000).finally(() => server.server.closeAllConnections());
    await closing;
  });
});
