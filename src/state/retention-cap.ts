import type { StateStore } from '../core/state-store';

/**
 * The store with every expiry capped at RETENTION_DAYS: whatever lifetime a skill or adapter asks for (a
 * 90-day feedback vote, a 30-day reminder mark, a Lark chat's owner), nothing that expires outlives the cap.
 * Records written without an expiry (open todos, their numbering) are kept until done or deleted, as the
 * README says.
 */
export function withRetentionCap(store: StateStore, maxSeconds: number): StateStore {
  const cap = (ttlSeconds: number) => Math.min(ttlSeconds, maxSeconds);
  const capOptional = (ttlSeconds?: number) => (ttlSeconds === undefined ? undefined : cap(ttlSeconds));
  return {
    markSeen: (key, ttlSeconds) => store.markSeen(key, cap(ttlSeconds)),
    unmarkSeen: (key) => store.unmarkSeen(key),
    appendTurn: (conversation, turn, limits) =>
      store.appendTurn(conversation, turn, { ...limits, ttlSeconds: cap(limits.ttlSeconds) }),
    turns: (conversation) => store.turns(conversation),
    forgetTurns: (conversation, userId) => store.forgetTurns(conversation, userId),
    acquireLock: (key, ttlMs) => store.acquireLock(key, ttlMs),
    getJson: (key) => store.getJson(key),
    setJson: (key, value, ttlSeconds) => store.setJson(key, value, capOptional(ttlSeconds)),
    delete: (key) => store.delete(key),
    incrementCounters: (key, increments, ttlSeconds) =>
      store.incrementCounters(key, increments, capOptional(ttlSeconds)),
    counters: (key) => store.counters(key),
    takeToken: (key, capacity, refillPerSecond) => store.takeToken(key, capacity, refillPerSecond),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
