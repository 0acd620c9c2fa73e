import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLarkTransport } from '../../adapters/lark/http-instance';
import { isDeskmateError } from '../../src/core/errors';
import { createLogger } from '../../src/logger';

describe('Lark transport', () => {
  let server: Server;
  let base: string;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      calls += 1;
      if (request.url === '/hang') return; // never answers
      if (request.url === '/flaky' && calls % 2 === 1) {
        response.writeHead(502).end('bad gateway');
        return;
      }
      response.writeHead(request.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          request.url === '/missing' ? { code: 404, msg: 'not found' } : { code: 0, data: { ok: true } },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const transport = () =>
    createLarkTransport({
      logger: createLogger({ level: 'silent' }),
      timeoutMs: 100,
      maxAttempts: 2,
      sleep: async () => {},
    });

  test('a call that never answers times out, as a retryable timeout', async () => {
    const client = transport();
    const failure = await client
      .request({ url: `${base}/hang`, method: 'GET' })
      .catch((error: unknown) => error);
    client.close();
    expect(isDeskmateError(failure) && failure.code === 'timeout' && failure.retryable).toBe(true);
  });

  test('a server error is retried; a 4xx is not', async () => {
    const client = transport();
    calls = 0;
    expect(await client.request({ url: `${base}/flaky`, method: 'GET' })).toEqual({
      code: 0,
      data: { ok: true },
    });
    const missing = await client
      .request({ url: `${base}/missing`, method: 'GET' })
      .catch((error: unknown) => error);
    client.close();
    expect(isDeskmateError(missing) && missing.code === 'platform_error' && !missing.retryable).toBe(true);
  });
});
