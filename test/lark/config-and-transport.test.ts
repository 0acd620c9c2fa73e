import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkLarkConfig, createLarkAdapter } from '../../adapters/lark';
import { createLarkTransport } from '../../adapters/lark/http-instance';
import { isDeskmateError } from '../../src/core/errors';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';

const valid = { appId: 'cli_a1b2c3d4e5f60718', appSecret: 'secret', domain: 'feishu', mode: 'ws' };

describe('Lark configuration check', () => {
  test('a complete long-connection setup has no problems', () => {
    expect(checkLarkConfig(valid)).toEqual([]);
  });

  test('webhook mode without an encrypt key is an error that names the fix', () => {
    const problems = checkLarkConfig({ ...valid, mode: 'webhook' });
    expect(problems).toContainEqual({
      variable: 'LARK_ENCRYPT_KEY',
      severity: 'error',
      message: expect.stringContaining('set LARK_ENCRYPT_KEY, or use LARK_MODE=ws'),
    });
    expect(problems.find((problem) => problem.variable === 'LARK_VERIFICATION_TOKEN')?.severity).toBe(
      'warning',
    );
  });

  test('missing credentials, a malformed app id and an unknown domain are reported', () => {
    const problems = checkLarkConfig({ appId: 'my-app', domain: 'example', mode: 'ws' });
    expect(problems.map((problem) => `${problem.variable}:${problem.severity}`)).toEqual([
      'LARK_APP_ID:error',
      'LARK_APP_SECRET:error',
      'LARK_DOMAIN:error',
    ]);
  });

  test('the adapter refuses to be built from settings with errors', () => {
    const logger = createLogger({ level: 'silent' });
    const store = createMemoryStateStore();
    const build = () =>
      createLarkAdapter({
        ...valid,
        mode: 'webhook',
        queue: createMemoryQueue({ store, logger }),
        store,
        logger,
      });
    expect(build).toThrow(/LARK_ENCRYPT_KEY/);
  });
});

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
