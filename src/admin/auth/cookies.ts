import type { IncomingMessage } from 'node:http';

/** The cookies of a request by name (the first of a name wins). */
export function readCookies(request: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    if (!(name in cookies)) cookies[name] = part.slice(separator + 1).trim();
  }
  return cookies;
}

/** Whether the request reached Deskmate over TLS (directly, or through a proxy that says so). */
export function isHttps(request: IncomingMessage): boolean {
  const socket = request.socket as { encrypted?: boolean };
  return socket.encrypted === true || request.headers['x-forwarded-proto'] === 'https';
}

/**
 * A `Set-Cookie` value for the console: HttpOnly, SameSite=Strict, only under /admin, Secure over https;
 * `maxAgeSeconds` 0 deletes it.
 */
export function consoleCookie(
  request: IncomingMessage,
  name: string,
  value: string,
  maxAgeSeconds: number,
): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${name}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}
