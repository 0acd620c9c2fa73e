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

/** What the shared HTTP server gives a route for a request that has not yet proved who sent it. */
export interface RequestIngress {
  /**
   * Read the raw body, keeping at most `limit` bytes; the bytes count against the server's budget for
   * unauthenticated bytes until `authenticated()` is called or the request ends. Call it once per request.
   */
  readBody(limit: number): Promise<BodyRead>;
  /** The request proved who sent it (a valid signature): its bytes no longer count as unauthenticated. */
  authenticated(): void;
}
