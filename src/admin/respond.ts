import type { ServerResponse } from 'node:http';
import type { RequestIngress } from '../core/request-ingress';
import type { SafeHtml } from './html';

/**
 * The console's content security policy: nothing but its own files; no inline script or style, no other
 * origin, no framing, forms post only to the console.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers on every console response. */
export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** Extra headers of one response; `set-cookie` may hold several cookies. */
export type ExtraHeaders = Record<string, string | string[]>;

/** Answer with a body, the security headers and no caching. */
export function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: ExtraHeaders = {},
): void {
  response.writeHead(status, {
    ...securityHeaders,
    'cache-control': 'no-store',
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** Answer with a page. */
export function sendPage(
  response: ServerResponse,
  status: number,
  page: SafeHtml,
  headers?: ExtraHeaders,
): void {
  send(response, status, 'text/html; charset=utf-8', page.markup, headers);
}

/** Answer with plain text (API-like answers: 401, 403, 404). */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers?: ExtraHeaders,
): void {
  send(response, status, 'text/plain; charset=utf-8', text, headers);
}

/** Send the browser elsewhere with 303 (after a form, the next request is a GET). */
export function redirect(response: ServerResponse, location: string, headers: ExtraHeaders = {}): void {
  response.writeHead(303, {
    ...securityHeaders,
    'cache-control': 'no-store',
    location,
    'content-length': 0,
    ...headers,
  });
  response.end();
}

/** A form's fields, or why there are none: too large, no room on the server now, or the client went away. */
export type FormRead =
  | { kind: 'form'; fields: URLSearchParams }
  | { kind: 'too_large' }
  | { kind: 'busy' }
  | { kind: 'gone' };

/** Read a urlencoded form of at most `limit` bytes through the request's ingress. */
export async function readForm(ingress: RequestIngress, limit: number): Promise<FormRead> {
  const read = await ingress.readBody(limit);
  if (read.kind === 'too_large' || read.kind === 'busy') return { kind: read.kind };
  if (read.kind === 'aborted') return { kind: 'gone' };
  return { kind: 'form', fields: new URLSearchParams(read.body.toString('utf8')) };
}
