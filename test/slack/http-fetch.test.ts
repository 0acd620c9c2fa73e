import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebAPIRequestError, WebClient } from '@slack/web-api';
import { httpFetch } from '../../adapters/slack/http-fetch';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A loopback server answering with `handler`; its URL and a way to stop it. */
async function serve(handler: Handler): Promise<{ url: string; stop: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => handler(request, body, response));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('httpFetch, the Web API client transport over node:http', () => {
  test('sends method, headers and body; reads status, headers (as fetch names them) and the body once', async () => {
    const seen: Array<{ method?: string; type?: string; length?: string; body: string }> = [];
    const server = await serve((request, body, response) => {
      seen.push({
        method: request.method,
        type: request.headers['content-type'],
        length: request.headers['content-length'],
        body,
      });
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('X-OAuth-Scopes', ['chat:write', 'channels:history']);
      response.writeHead(200, 'Fine');
      response.end('{"ok":true,"text":"héllo"}');
    });
    try {
      const response = await httpFetch(`${server.url}/api/auth.test`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'token=x&text=h%C3%A9',
      });
      expect(seen).toEqual([
        {
          method: 'POST',
          type: 'application/x-www-form-urlencoded',
          length: '20',
          body: 'token=x&text=h%C3%A9',
        },
      ]);
      expect(response.status).toBe(200);
      expect(response.ok).toBe(true);
      expect(response.statusText).toBe('Fine');
      expect(response.url).toBe(`${server.url}/api/auth.test`);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('x-oauth-scopes')).toBe('chat:write, channels:history');
      expect(response.headers.get('retry-after')).toBeNull();
      expect(Object.fromEntries(response.headers.entries())).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
      });
      expect(await response.json()).toEqual({ ok: true, text: 'héllo' });
      await expect(response.text()).rejects.toThrow(TypeError);
    } finally {
      await server.stop();
    }
  });

  test('a redirect is refused, not followed', async () => {
    let calls = 0;
    const server = await serve((_request, _body, response) => {
      calls += 1;
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    });
    try {
      await expect(
        httpFetch(`${server.url}/api/x`, { method: 'POST', body: '', redirect: 'error' }),
      ).rejects.toThrow(/redirect/);
      expect(calls).toBe(1);
    } finally {
      await server.stop();
    }
  });

  test('an aborted signal rejects with its reason, as fetch does, also while the body is read', async () => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ok":');
      // The rest never comes.
    });
    try {
      const controller = new AbortController();
      const response = await httpFetch(`${server.url}/api/x`, {
        method: 'POST',
        body: '',
        signal: controller.signal,
      });
      const reading = response.text();
      controller.abort();
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      await expect(
        httpFetch(`${server.url}/api/x`, { method: 'POST', body: '', signal: AbortSignal.timeout(50) }).then(
          (late) => late.text(),
        ),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await server.stop();
    }
  });

  test('the Web API client reads a 429 and an HTTP error through it as through fetch', async () => {
    const server = await serve((request, _body, response) => {
      if (request.url?.endsWith('chat.postMessage')) {
        response.writeHead(429, { 'retry-after': '7' });
        response.end();
        return;
      }
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('down');
    });
    try {
      const client = new WebClient('xoxb-test', {
        slackApiUrl: `${server.url}/api/`,
        fetch: httpFetch,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({
        code: 'slack_webapi_rate_limited_error',
        retryAfter: 7,
      });
      await expect(client.apiCall('auth.test')).rejects.toMatchObject({
        code: 'slack_webapi_http_error',
        statusCode: 503,
        body: 'down',
      });
    } finally {
      await server.stop();
    }
  });

  test('a post that meets a kept-alive connection the server has just closed goes out again, once, on a new one', async () => {
    // The server closes each connection when a second request comes on it, as one does that closed it idle
    // just as the request went out: the client sees the reset of a reused connection, before any answer.
    const requestsPerConnection = new Map<unknown, number>();
    const posted: string[] = [];
    const server = await serve((request, body, response) => {
      const count = (requestsPerConnection.get(request.socket) ?? 0) + 1;
      requestsPerConnection.set(request.socket, count);
      if (count > 1) {
        request.socket.destroy();
        return;
      }
      posted.push(new URLSearchParams(body).get('text') ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    try {
      const client = new WebClient('xoxb-test', {
        slackApiUrl: `${server.url}/api/`,
        fetch: httpFetch,
        retryConfig: { retries: 0 },
      });
      await client.chat.postMessage({ channel: 'C1', text: 'first' });
      // The second post goes out on the first one's connection, which resets; it is sent again on a new one.
      await client.chat.postMessage({ channel: 'C1', text: 'second' });
      expect(posted).toEqual(['first', 'second']);
      expect(requestsPerConnection.size).toBe(2);
    } finally {
      await server.stop();
    }
    // A new connection that resets is not retried: that server may have read the request.
    const resetting = await serve((request) => request.socket.destroy());
    try {
      await expect(httpFetch(`${resetting.url}/api/x`, { method: 'POST', body: 'a' })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
    } finally {
      await resetting.stop();
    }
  });

  test('a server that is not there fails as a request error', async () => {
    const server = await serve(() => undefined);
    const { url } = server;
    await server.stop();
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${url}/api/`,
      fetch: httpFetch,
      retryConfig: { retries: 0 },
    });
    await expect(client.apiCall('auth.test')).rejects.toBeInstanceOf(WebAPIRequestError);
  });
});
