// Proves: a route with `prefix` serves its path and every path under it on the shared server, exact routes
// still win, a path that only starts with the same letters is not its, and its body goes through the same
// ingress limits as any route (413 past the limit it asks for).
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';

describe('shared HTTP server: prefix routes', () => {
  const server = createHttpServer({
    logger: createLogger({ level: 'silent' }),
    readiness: async () => ({ ready: true, checks: {} }),
    routes: [
      {
        path: '/admin',
        prefix: true,
        async handle(request, response, ingress) {
          if (request.method === 'POST') {
            const read = await ingress.readBody(16);
            if (read.kind !== 'body') return void response.writeHead(413).end();
          }
          response.writeHead(200).end(`console ${request.url}`);
        },
      },
      {
        path: '/admin/exact',
        async handle(_request, response) {
          response.writeHead(200).end('exact');
        },
      },
    ],
  });
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  afterAll(() => server.close());

  test('the prefix, paths under it, exact routes first, look-alikes 404', async () => {
    expect(await (await fetch(`${base}/admin`)).text()).toBe('console /admin');
    expect(await (await fetch(`${base}/admin/usage?by=user`)).text()).toBe('console /admin/usage?by=user');
    expect(await (await fetch(`${base}/admin/playground/runs/x`)).text()).toBe(
      'console /admin/playground/runs/x',
    );
    expect(await (await fetch(`${base}/admin/exact`)).text()).toBe('exact');
    expect((await fetch(`${base}/administrator`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test('bodies go through the ingress limits', async () => {
    expect((await fetch(`${base}/admin/form`, { method: 'POST', body: 'small' })).status).toBe(200);
    expect((await fetch(`${base}/admin/form`, { method: 'POST', body: 'x'.repeat(100) })).status).toBe(413);
  });
});
