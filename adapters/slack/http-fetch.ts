/**
 * The part of `fetch` the Slack Web API client uses (its `FetchFunction`: a POST with a text body, a timeout
 * signal, redirects refused; status, headers and the body read once), over Node's `http`/`https`.
 *
 * Why not the global `fetch`: its first call loads Node's bundled undici and compiles its HTTP parser from
 * WebAssembly on V8's worker threads. That is about 15 MB of resident memory for as long as the process lives
 * (the compiler's scratch memory stays in those threads' malloc arenas), paid at start by `auth.test`, in
 * every process with Slack configured. `node:http` parses in C++ and costs about 2 MB.
 *
 * A multipart body (a file upload with bytes) still goes to the global `fetch`, which builds it.
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

// Connections stay open between calls, as fetch keeps them.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** A response's headers, read as fetch's `Headers` reads them (lower-case names, repeated values joined). */
function headersOf(response: IncomingMessage): FetchHeaders {
  const entries: Array<[string, string]> = [];
  const raw = response.rawHeaders;
  const joined = new Map<string, string>();
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index].toLowerCase();
    const value = raw[index + 1];
    const before = joined.get(name);
    joined.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  for (const [name, value] of [...joined].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    entries.push([name, value]);
  }
  return {
    get: (name) => joined.get(name.toLowerCase()) ?? null,
    entries: () => entries[Symbol.iterator](),
  };
}

/** Read the whole body once; a second read fails as fetch's does. */
function responseOf(url: string, response: IncomingMessage, body: Promise<Buffer>): FetchResponse {
  let used = false;
  const bytes = () => {
    if (used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    used = true;
    return body;
  };
  const status = response.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    url,
    headers: headersOf(response),
    async arrayBuffer() {
      const buffer = await bytes();
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    },
    async text() {
      return (await bytes()).toString('utf8');
    },
    async json() {
      return JSON.parse((await bytes()).toString('utf8')) as unknown;
    },
  };
}

/** Collect a response's bytes; an aborted signal rejects with its reason, as fetch does. */
function readAll(response: IncomingMessage, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error);
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', fail);
    // After an error this changes nothing: a promise settles once.
    response.once('close', () => {
      if (!response.complete) fail(new Error('the connection closed before the response ended'));
    });
  });
}

/** How many times a request is sent again after a kept-alive connection it went out on turned out closed. */
const staleConnectionRetries = 3;

/**
 * Whether a request failed only because the kept-alive connection it was given had just been closed by the
 * server (idle timeout): it went out on a reused connection, which reset before any byte of an answer came.
 * The server closes only idle connections, so it never read the request: sending it again is safe, POSTs too
 * (the retry Node's `http` documents for `request.reusedSocket`). Without it, a reply posted after a quiet
 * minute failed at random as "a service I depend on is unavailable", more often the busier the process.
 */
function closedWhileIdle(outgoing: ClientRequest, error: NodeJS.ErrnoException, answered: boolean): boolean {
  return outgoing.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}

/**
 * `fetch` for the Web API client, over `node:http`/`node:https`: resolves once the headers arrive, as fetch
 * does. A refused connection, a redirect (the client asks `redirect: 'error'`; none is ever followed) or an
 * aborted signal rejects; an abort with the signal's reason, as fetch does (`AbortError`, or `TimeoutError` for
 * `AbortSignal.timeout`; the caller reads both as a timeout). A request that met a kept-alive connection the
 * server had just closed goes out again (see `closedWhileIdle`).
 */
export const httpFetch: FetchFunction = (input, init: FetchRequestInit = {}) => {
  if (init.body !== undefined && typeof init.body !== 'string') return globalThis.fetch(input, init);
  const url = new URL(String(input));
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  }
  const send = secure ? httpsRequest : httpRequest;
  const body = init.body;
  return new Promise<FetchResponse>((resolve, reject) => {
    const attempt = (retriesLeft: number) => {
      let answered = false;
      const outgoing = send(
        url,
        {
          method: init.method ?? 'GET',
          agent: secure ? httpsAgent : httpAgent,
          headers: {
            ...init.headers,
            ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          },
          signal: init.signal,
        },
        (response) => {
          answered = true;
          if (redirectStatuses.has(response.statusCode ?? 0) && init.redirect !== 'manual') {
            response.resume();
            reject(new TypeError(`fetch failed: redirect to ${response.headers.location ?? '?'} refused`));
            return;
          }
          const whole = readAll(response, init.signal);
          // The caller may never read the body (a status it does not want): no unhandled rejection then.
          whole.catch(() => undefined);
          resolve(responseOf(url.toString(), response, whole));
        },
      );
      outgoing.once('error', (error: NodeJS.ErrnoException) => {
        if (init.signal?.aborted) reject(init.signal.reason);
        else if (retriesLeft > 0 && closedWhileIdle(outgoing, error, answered)) attempt(retriesLeft - 1);
        else reject(error);
      });
      outgoing.end(body);
    };
    attempt(staleConnectionRetries);
  });
};
