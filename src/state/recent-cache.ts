/** A small in-process cache of recent values: bounded in size, each entry expiring after its own time. */
export interface RecentCache<T> {
  /** The value, when present and not expired. */
  get(key: string): T | undefined;
  /** Remember a value for `ttlMs`; the oldest entry is dropped past the size limit. */
  set(key: string, value: T, ttlMs: number): void;
}

/** Create a cache that keeps at most `maxEntries` values, in insertion order (a Map), using `now` as its clock. */
export function createRecentCache<T>(maxEntries: number, now: () => number = Date.now): RecentCache<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
  };
}
