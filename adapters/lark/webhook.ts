import { createDecipheriv, createHash, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../../src/core/adapter';
import type { Logger } from '../../src/core/logger';

/** The largest event body accepted (Lark events are a few KB). */
const maxEventBytes = 1024 * 1024;
/** How far the request timestamp may be from our clock, either way. */
const signatureWindowSeconds = 5 * 60;
/** The largest unsigned body parsed: only the URL challenge may come unsigned (~200 bytes, encrypted). */
const maxUnsignedBytes = 4 * 1024;

/** Something that dispatches a verified, decrypted event to its handler (the SDK's EventDispatcher). */
interface EventInvoker {
  invoke(data: unknown, params?: { needCheck?: boolean }): Promise<unknown>;
}

/** Options for the webhook route. */
interface LarkWebhookOptions {
  /** The path served (exact match). */
  path: string;
  /** The app's Encrypt Key: bodies are decrypted with it and signatures checked against it. */
  encryptKey?: string;
  /** The app's Verification Token, checked where the payload carries one. */
  verificationToken?: string;
  /** Dispatches events to the handlers. */
  dispatcher: EventInvoker;
  /** Logger (ids and sizes only). */
  logger: Logger;
  /** The clock, for the signature window. */
  now: () => Date;
}

/** `X-Lark-Signature`: hex SHA-256 of timestamp + nonce + encrypt key + the raw body bytes. */
function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey, 'utf8')
    .update(rawBody)
    .digest('hex');
}

/** The AES-256 key of an Encrypt Key: its SHA-256 (derived once per route, as the SDK does). */
function aesKeyOf(encryptKey: string): KeyObject {
  return createSecretKey(createHash('sha256').update(encryptKey, 'utf8').digest());
}

/** Decrypt an `encrypt` field: AES-256-CBC, IV the first 16 bytes, to the plaintext bytes. Throws on any fault. */
function decryptEvent(encrypt: string, key: KeyObject): Buffer {
  const data = Buffer.from(encrypt, 'base64');
  if (data.length < 32 || (data.length - 16) % 16 !== 0)
    throw new Error('encrypted payload has a bad length');
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
}

function sameText(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'utf8');
  const rightBytes = Buffer.from(right, 'utf8');
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/** A JSON object from bytes, or undefined when they are not one. */
function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hardened Lark event route. In front of the SDK's dispatcher it: reads the raw body with a 1 MB
 * limit (413, read no further), or answers 503 when the server has no room for more unauthenticated
 * bytes; checks `X-Lark-Signature` over the raw bytes in constant time within ±5 minutes (401) before
 * parsing anything; refuses unsigned bodies but a small URL challenge (401); decrypts, answering 400 to
 * anything that does not parse or decrypt; answers `url_verification` at once; checks the verification
 * token (401); and answers 503 when the event could not be queued, so Lark retries. Refusals before
 * authentication are counted for the server's summary line, not logged one by one.
 */
export function createLarkWebhookRoute(options: LarkWebhookOptions): HttpRoute {
  const logger = options.logger.child({ component: 'lark-webhook' });
  const aesKey = options.encryptKey ? aesKeyOf(options.encryptKey) : undefined;
  return {
    path: options.path,
    name: 'lark',
    async handle(request, response, ingress) {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== options.path) {
        request.resume();
        return reply(response, 404, { error: 'not found' });
      }
      if (request.method !== 'POST') {
        request.resume();
        return reply(response, 405, { error: 'method not allowed' });
      }
      const read = await ingress.readBody(maxEventBytes);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too_large') {
        ingress.refused('too_large');
        return reply(response, 413, { error: 'payload too large' });
      }
      if (read.kind === 'busy') {
        ingress.refused('busy');
        return reply(response, 503, { error: 'busy, try again later' });
      }
      const rawBody = read.body;
      const timestamp = header(request, 'x-lark-request-timestamp');
      const nonce = header(request, 'x-lark-request-nonce');
      const signature = header(request, 'x-lark-signature');
      const signed = Boolean(timestamp && nonce !== undefined && signature);
      const verified = Boolean(options.encryptKey && signed);
      // The signature is checked over the raw bytes before anything is parsed.
      if (options.encryptKey && signed) {
        const skew = Math.abs(options.now().getTime() / 1000 - Number(timestamp));
        if (!Number.isFinite(skew) || skew > signatureWindowSeconds) {
          ingress.refused('stale');
          return reply(response, 401, { error: 'stale request' });
        }
        const expected = larkSignature(timestamp as string, nonce as string, options.encryptKey, rawBody);
        if (!sameText(expected, signature as string)) {
          ingress.refused('bad_signature');
          return reply(response, 401, { error: 'bad signature' });
        }
        ingress.authenticated();
      }
      // Unsigned, only the small URL challenge is worth parsing; anything bigger is refused unread.
      if (options.encryptKey && !signed && rawBody.length > maxUnsignedBytes) {
        ingress.refused('unsigned');
        return reply(response, 401, { error: 'missing signature' });
      }
      // A signed body that does not parse is a fault worth a line of its own; an unsigned one is counted.
      const malformed = (error: string) => {
        if (verified) logger.warn({ bytes: rawBody.length, error }, 'signed lark event is malformed');
        else ingress.refused('malformed');
        reply(response, 400, { error });
      };

      let payload = parseObject(rawBody);
      if (!payload) return malformed('body is not a JSON object');
      if (typeof payload.encrypt === 'string') {
        if (!aesKey) return malformed('encrypted event, but no encrypt key is set');
        let decrypted: Record<string, unknown> | undefined;
        try {
          decrypted = parseObject(decryptEvent(payload.encrypt, aesKey));
        } catch {}
        if (!decrypted) return malformed('cannot decrypt');
        payload = decrypted;
      }
      const isChallenge = payload.type === 'url_verification';
      // Lark signs events; only the URL challenge may come unsigned (it is answered with nothing but its echo).
      if (options.encryptKey && !signed && !isChallenge) {
        ingress.refused('unsigned');
        return reply(response, 401, { error: 'missing signature' });
      }
      // Checked where the payload carries a token (events and callbacks do; the signature covers the rest).
      const headerFields = payload.header as
        | { token?: unknown; event_id?: unknown; event_type?: unknown }
        | undefined;
      const token = headerFields?.token ?? payload.token;
      if (
        options.verificationToken &&
        token !== undefined &&
        (typeof token !== 'string' || !sameText(token, options.verificationToken))
      ) {
        ingress.refused('bad_token');
        return reply(response, 401, { error: 'bad token' });
      }
      if (isChallenge) return reply(response, 200, { challenge: payload.challenge });

      try {
        const result = await options.dispatcher.invoke(payload, { needCheck: false });
        return reply(response, 200, typeof result === 'object' && result !== null ? result : {});
      } catch (error) {
        logger.error(
          { err: error, eventId: headerFields?.event_id },
          'lark event not queued; answering 503 so Lark retries',
        );
        return reply(response, 503, { error: 'try again later' });
      }
    },
  };
}
