import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** An HMAC-SHA256 of a value for one purpose (`session`, `csrf`, `login`), base64url. */
export function sign(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${value}`, 'utf8').digest('base64url');
}

/** Whether two texts are equal, in time that does not depend on where they differ (compared as digests). */
export function sameText(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The key sessions are signed with: the configured one, else one derived from the password, else `fallback`. */
export function sessionSecretOf(
  settings: { password?: string; sessionSecret?: string },
  fallback: string,
): string {
  if (settings.sessionSecret) return settings.sessionSecret;
  if (settings.password) return sign(settings.password, 'deskmate-admin-session-secret', 'v1');
  return fallback;
}
