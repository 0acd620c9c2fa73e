import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpInstance, HttpRequestOptions } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/core/logger';
import { LarkRequestError, larkError, staleTokenCodes, throttledCodes } from './errors';

export { LarkRequestError } from './errors';

/** Lark's business code for "too many requests" (sent with HTTP 429, or 400/200 on older APIs). */
const rateLimitedCode = 99991400;

/** How the Lark transport times out and retries. */
export interface LarkTransportOptions {
  /** Timeout of one HTTP attempt in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Total time a call may spend waiting on rate limits and retries (default 30 s). */
  retryBudgetMs?: number;
  /** Attempts after a network error, timeout or 5xx (default 3). */
  maxAttempts?: number;
  /** Logger for retries (ids, paths and timings only). */
  logger: Logger;
  /** Waits; tests may shorten it. */
  sleep?: (milliseconds: number) => Promise<void>;
  /**
   * A fresh tenant_access_token after Lark rejected `staleToken` (99991661/99991663/99991668): the call is
   * then sent once more with it. Without it such a call fails.
   */
  renewToken?: (staleToken: string) => Promise<string | undefined>;
}

/** An SDK `HttpInstance` that also lets its owner close its connections. */
interface LarkTransport extends HttpInstance {
  /** Close pooled connections (on adapter stop). */
  close(): void;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** A successful answer to a download (`responseType: 'stream'`), handed over unread. */
  stream?: IncomingMessage;
}

const defaultSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());

function serializeParams(options: HttpRequestOptions<unknown>): string {
  const params = options.params;
  if (!params || Object.keys(params).length === 0) return '';
  if (typeof options.paramsSerializer === 'function') return options.paramsSerializer(params);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return search.toString();
}

function parseBody(body: string): { code?: number; msg?: string } | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as { code?: number; msg?: string })
      : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds from `x-ogw-ratelimit-reset` (or `Retry-After`) as milliseconds, if present. */
function resetDelayMs(headers: IncomingHttpHeaders): number | undefined {
  const raw = headers['x-ogw-ratelimit-reset'] ?? headers['retry-after'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/**
 * Create the transport the Lark SDK calls through: every attempt has a timeout; a rate-limited call
 * (HTTP 429 or code 99991400) waits `x-ogw-ratelimit-reset` and tries again; network errors and 5xx are
 * retried with backoff and jitter; all of it within a bounded budget, never the SDK's unbounded default.
 */
export function createLarkTransport(options: LarkTransportOptions): LarkTransport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryBudgetMs = options.retryBudgetMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

  const send = (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeout: number,
    streamed = false,
  ) =>
    new Promise<RawResponse>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      // One deadline for the whole exchange (connect, send, a slow answer), not just socket idleness.
      const deadline = setTimeout(
        () =>
          call.destroy(new LarkRequestError('timeout', `timed out after ${timeout} ms`, { retryable: true })),
        timeout,
      );
      const fail = (error: Error) => {
        clearTimeout(deadline);
        reject(error);
      };
      const call = (secure ? httpsRequest : httpRequest)(
        url,
        { method, headers, agent: secure ? httpsAgent : httpAgent },
        (response) => {
          const status = response.statusCode ?? 0;
          if (streamed && status >= 200 && status < 300) {
            // A download: the deadline covered the answer's head; its body is the caller's to read and bound.
            clearTimeout(deadline);
            resolve({ status, headers: response.headers, body: '', stream: response });
            return;
          }
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            clearTimeout(deadline);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      call.on('error', fail);
      call.end(body);
    });

  const request = async <T>(requestOptions: HttpRequestOptions<unknown>): Promise<T> => {
    const method = (requestOptions.method ?? 'GET').toUpperCase();
    const query = serializeParams(requestOptions);
    const url = new URL(requestOptions.url ?? '');
    if (query) url.search = url.search ? `${url.search}&${query}` : query;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(requestOptions.headers ?? {})) {
      if (value !== undefined && value !== null) headers[key] = String(value);
    }
    const hasBody = requestOptions.data !== undefined && method !== 'GET' && method !== 'HEAD';
    const body = hasBody ? JSON.stringify(requestOptions.data) : undefined;
    if (body !== undefined) {
      headers['Content-Type'] ??= 'application/json; charset=utf-8';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const attemptTimeout = Math.min(requestOptions.timeout ?? timeoutMs, timeoutMs);
    const started = Date.now();
    const path = url.pathname;
    let failures = 0;
    let rateLimits = 0;
    let tokenRenewed = false;
    let waitedMs = 0;
    // Time spent so far: the clock, or the waits asked for when they were shortened (tests).
    const spent = () => Math.max(Date.now() - started, waitedMs);
    const pause = async (milliseconds: number) => {
      waitedMs += milliseconds;
      await sleep(milliseconds);
    };

    const streamed = requestOptions.responseType === 'stream';
    for (;;) {
      let response: RawResponse;
      try {
        response = await send(url, method, headers, body, attemptTimeout, streamed);
      } catch (error) {
        failures += 1;
        const waitMs = 200 * 2 ** failures + Math.random() * 100;
        const timedOut = error instanceof LarkRequestError && error.code === 'timeout';
        if (failures >= maxAttempts || spent() + waitMs > retryBudgetMs) {
          throw new LarkRequestError(
            timedOut ? 'timeout' : 'unavailable',
            `Lark ${method} ${path} failed: ${String((error as Error).message)}`,
            {
              retryable: true,
              cause: error,
            },
          );
        }
        options.logger.warn(
          { path, attempt: failures, waitMs: Math.round(waitMs), timedOut },
          'lark call failed; retrying',
        );
        await pause(waitMs);
        continue;
      }
      if (response.stream) {
        options.logger.debug(
          { path, status: response.status, durationMs: Date.now() - started },
          'lark download',
        );
        const data = response.stream;
        return (requestOptions.$return_headers ? { data, headers: response.headers } : data) as T;
      }
      const parsed = parseBody(response.body);
      const code = typeof parsed?.code === 'number' ? parsed.code : undefined;
      const limited =
        response.status === 429 ||
        code === rateLimitedCode ||
        (code !== undefined && throttledCodes.has(code));
      if (limited) {
        rateLimits += 1;
        const waitMs = (resetDelayMs(response.headers) ?? 1000 * rateLimits) + Math.random() * 250;
        if (spent() + waitMs > retryBudgetMs) {
          throw new LarkRequestError(
            'rate_limited',
            `Lark ${method} ${path} is rate limited beyond the retry budget`,
            {
              status: response.status,
              larkCode: parsed?.code,
              larkMessage: parsed?.msg,
              retryable: true,
            },
          );
        }
        options.logger.warn(
          { path, status: response.status, waitMs: Math.round(waitMs) },
          'lark rate limit; waiting',
        );
        await pause(waitMs);
        continue;
      }
      if (response.status >= 500) {
        failures += 1;
        const waitMs = 200 * 2 ** failures + Math.random() * 100;
        if (failures >= maxAttempts || spent() + waitMs > retryBudgetMs) {
          throw new LarkRequestError(
            'unavailable',
            `Lark ${method} ${path} answered HTTP ${response.status}`,
            {
              status: response.status,
              larkCode: parsed?.code,
              larkMessage: parsed?.msg,
              retryable: true,
            },
          );
        }
        options.logger.warn(
          { path, status: response.status, attempt: failures },
          'lark server error; retrying',
        );
        await pause(waitMs);
        continue;
      }
      const authorization = Object.keys(headers).find((key) => key.toLowerCase() === 'authorization');
      const staleToken = authorization ? /^Bearer (.+)$/.exec(headers[authorization])?.[1] : undefined;
      if (
        code !== undefined &&
        staleTokenCodes.has(code) &&
        staleToken &&
        options.renewToken &&
        !tokenRenewed
      ) {
        // The cached token died early (App Secret reset, token invalidated): one more try with a fresh one.
        tokenRenewed = true;
        // A renewal that fails (a wrong App Secret) leaves the call's own error, which says what to fix.
        const fresh = await options.renewToken(staleToken).catch((error: unknown) => {
          options.logger.warn({ path, err: error }, 'lark token renewal failed');
          return undefined;
        });
        options.logger.warn(
          { path, status: response.status, code, renewed: Boolean(fresh) },
          'lark token rejected',
        );
        if (fresh && authorization) {
          headers[authorization] = `Bearer ${fresh}`;
          continue;
        }
      }
      if (response.status < 200 || response.status >= 300) {
        // Lark sends business errors as HTTP 4xx with {code, msg}: mapped like a 200 with a code.
        if (code !== undefined && code !== 0)
          throw larkError(`${method} ${path}`, code, parsed?.msg, response.status);
        throw new LarkRequestError(
          'platform_error',
          `Lark ${method} ${path} answered HTTP ${response.status} (code none)`,
          { status: response.status, retryable: false },
        );
      }
      const data = parsed ?? (response.body as unknown);
      options.logger.debug({ path, status: response.status, durationMs: Date.now() - started }, 'lark call');
      return (requestOptions.$return_headers ? { data, headers: response.headers } : data) as T;
    }
  };

  const withMethod =
    (method: string) =>
    <T>(url: string, options?: HttpRequestOptions<unknown>) =>
      request<T>({ ...options, url, method });
  const withBody =
    (method: string) =>
    <T>(url: string, data?: unknown, options?: HttpRequestOptions<unknown>) =>
      request<T>({ ...options, url, method, data });

  return {
    request,
    get: withMethod('GET'),
    delete: withMethod('DELETE'),
    head: withMethod('HEAD'),
    options: withMethod('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  } as LarkTransport;
}
