/**
 * The outcome of reading a request's raw body: the bytes; `too_large` (declared or counted past the
 * route's limit); `busy` (the server's budget for bytes not yet authenticated has no room); or `aborted`
 * (the client went away). After `too_large` and `busy` the connection is closed once the answer is sent.
 */
export type BodyRead =
  | { kind: 'body'; body: Buffer }
  | { kind: 'too_large' }
  | { kind: 'busy' }
  | { kind: 'aborted' };

/**
 * Why a request was refused before it proved who sent it: `bad_signature`, `stale` (timestamp outside the
 * window), `unsigned`, `too_large`, `malformed` (unreadable before authentication), `bad_token`, or `busy`
 * (no room left for unauthenticated bytes).
 */
export type RefusalReason =
  | 'bad_signature'
  | 'stale'
  | 'unsigned'
  | 'too_large'
  | 'malformed'
  | 'bad_token'
  | 'busy';

/** What the shared HTTP server gives a route for a request that has not yet proved who sent it. */
export interface RequestIngress {
  /**
   * Read the raw body, keeping at most `limit` bytes; the bytes count against the server's budget for
   * unauthenticated bytes until `authenticated()` is called or the request ends. Call it once per request.
   */
  readBody(limit: number): Promise<BodyRead>;
  /** The request proved who sent it (a valid signature): its bytes no longer count as unauthenticated. */
  authenticated(): void;
  /**
   * Count a request refused before it was authenticated (the route still answers it). Refusals are logged
   * as one summary line a minute, by route and reason, and counted in `/metrics`: never a line each.
   */
  refused(reason: RefusalReason): void;
}
