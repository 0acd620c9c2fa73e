import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';

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

  test('routes are served, unknown paths are 404, a throwing route is 500 and the server lives', async () => {
    expect(await (await fetch(`${base}/echo`, { method: 'POST', body: 'x' })).text()).toBe('echoed');
    expect((await fetch(`${base}/nope`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${base}/broken`, { method: 'POST', body: 'x' })).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
