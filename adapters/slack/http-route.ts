import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { HttpRoute } from '../../src/core/adapter';
import type { Logger } from '../../src/core/logger';
import type { RefusalReason } from '../../src/core/request-ingress';
import type { DeferredAckReceiver } from './receiver';
import { checkSlackSignature, type SignatureCheck } from './signature';

/** The largest request accepted (a button click carries its whole message; events are a few KB). */
const maxRequestBytes = 1024 * 1024;

/** Options for the events route. */
interface SlackEventsRouteOptions {
  /** The path served (`/slack/events`: events, slash commands and interactivity alike). */
  path: string;
  /** The app's Signing Secret. */
  signingSecret: string;
  /** Runs deliveries through Bolt. */
  receiver: DeferredAckReceiver;
  /** Logger (ids, sizes, reasons; never bodies). */
  logger: Logger;
  /** The clock, for the signature window. */
  now: () => Date;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(response: ServerResponse, status: number, body?: string | Record<string, unknown>): void {
  if (body === undefined || body === '') {
    response.writeHead(status, { 'content-length': 0 });
    response.end();
    return;
  }
  const json = typeof body !== 'string';
  const payload = json ? JSON.stringify(body) : body;
  response.writeHead(status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/** Why a failed signature check refuses the request, as counted in the refusal summary. */
const refusalFor: Record<Exclude<SignatureCheck, 'valid'>, RefusalReason> = {
  missing: 'unsigned',
  stale: 'stale',
  future: 'stale',
  mismatch: 'bad_signature',
};

/** A payload from its raw bytes: a form (slash command, or `payload=` JSON for interactivity), or JSON (events). */
function parsePayload(rawBody: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = rawBody.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(text) as Record<string, unknown>;
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return form;
  }
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

/**
 * The Slack route on the shared server: raw body with a 1 MB limit (413, read no further), or 503 when the
 * server has no room for more unauthenticated bytes; signature checked over the raw bytes within ±5
 * minutes (401; refusals are counted for the server's summary line, not logged one by one); payload parsed
 * (400, `; charset=utf-8` forms included); the URL challenge and SSL check answered; then the delivery runs
 * through Bolt and is answered with the listener's acknowledgement, or 503 when it could not be queued, so
 * Slack delivers it again.
 */
export function createSlackEventsRoute(options: SlackEventsRouteOptions): HttpRoute {
  const logger = options.logger.child({ component: 'slack-http' });
  return {
    path: options.path,
    name: 'slack',
    async handle(request, response, ingress) {
      if (request.method !== 'POST') {
        request.resume();
        return answer(response, 405, { error: 'method not allowed' });
      }
      const read = await ingress.readBody(maxRequestBytes);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too_large') {
        ingress.refused('too_large');
        return answer(response, 413, { error: 'payload too large' });
      }
      if (read.kind === 'busy') {
        ingress.refused('busy');
        return answer(response, 503, { error: 'busy, try again later' });
      }
      const check = checkSlackSignature({
        signingSecret: options.signingSecret,
        timestamp: header(request, 'x-slack-request-timestamp'),
        signature: header(request, 'x-slack-signature'),
        rawBody: read.body,
        nowSeconds: Math.floor(options.now().getTime() / 1000),
      });
      if (check !== 'valid') {
        ingress.refused(refusalFor[check]);
        return answer(response, 401);
      }
      ingress.authenticated();
      let body: Record<string, unknown>;
      try {
        body = parsePayload(read.body, header(request, 'content-type'));
      } catch {
        logger.warn({ bytes: read.body.length }, 'slack request body is malformed');
        return answer(response, 400, { error: 'malformed body' });
      }
      if (body.ssl_check === '1') return answer(response, 200);
      if (body.type === 'url_verification') return answer(response, 200, { challenge: body.challenge });

      const retryHeader = Number(header(request, 'x-slack-retry-num'));
      const result = await options.receiver.dispatch({
        body,
        retryNum: Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined,
        retryReason: header(request, 'x-slack-retry-reason'),
      });
      if (!result.ok) {
        logger.error(
          { err: result.error, eventId: body.event_id, type: body.type },
          'slack delivery not queued; answering 503 so Slack delivers it again',
        );
        return answer(response, 503, { error: 'try again later' });
      }
      return answer(response, 200, result.body);
    },
  };
}
