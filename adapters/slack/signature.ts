import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way (Slack's own guidance: 5 minutes). */
const signatureWindowSeconds = 5 * 60;

/** The outcome of checking a request's signature. */
export type SignatureCheck = 'valid' | 'missing' | 'stale' | 'future' | 'mismatch';

/** `X-Slack-Signature` of a request: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`, 'utf8');
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Check a request's signature over its raw bytes, in constant time, with a symmetric window: a
 * timestamp more than five minutes old or more than five minutes ahead is refused (Bolt accepts any
 * future timestamp, which lets a captured request be replayed later).
 */
export function checkSlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  const skew = input.nowSeconds - Number(timestamp);
  if (skew > signatureWindowSeconds) return 'stale';
  if (skew < -signatureWindowSeconds) return 'future';
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'valid' : 'mismatch';
}
