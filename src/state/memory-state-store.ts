import type { ConversationTurn, Lock, MemoryLimits, StateStore } from '../core/state-store';
import { applyMemoryLimits, withoutTurnsOf } from './memory-limits';

/** Options for the in-memory store. */
interface MemoryStateStoreOptions {
  /** Prefix for every key (keeps tests and deployments apart, as in Redis). */
  prefix?: string;
  /** Clock, for expiry in tests. */
  now?: () => number;
}

interface Entry {
  value: unknown;
  expiresAt?: number;
}

/** Create a store that keeps everything in this process: for development and single-process runs. */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): StateStore {
  const prefix = options.prefix ?? '';
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const read = (key: string): unknown => {
    const entry = entries.get(prefix + key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(prefix + key);
      return undefined;
    }
    return entry.value;
  };
  const write = (key: string, value: unknown, ttlSeconds?: number): void => {
    entries.set(prefix + key, {
      value,
      expiresAt: ttlSeconds === undefined ? undefined : now() + ttlSeconds * 1000,
    });
  };
  const sweep = (): void => {
    const time = now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= time) entries.delete(key);
    }
  };
  let writesSinceSweep = 0;
  const maybeSweep = (): void => {
    writesSinceSweep += 1;
    if (writesSinceSweep >= 1000) {
      writesSinceSweep = 0;
      sweep();
    }
  };

  return {
    async markSeen(key, ttlSeconds) {
      maybeSweep();
      if (read(`seen:${key}`) !== undefined) return false;
      write(`seen:${key}`, 1, ttlSeconds);
      return true;
    },
    async unmarkSeen(key) {
      entries.delete(`${prefix}seen:${key}`);
    },
    async appendTurn(conversation: string, turn: ConversationTurn, limits: MemoryLimits) {
      const key = `turns:${conversation}`;
      const turns = [...((read(key) as ConversationTurn[] | undefined) ?? []), turn];
      write(key, applyMemoryLimits(turns, limits), limits.ttlSeconds);
    },
    async forgetTurns(conversation, userId) {
      const key = `turns:${conversation}`;
      const entry = entries.get(prefix + key);
      const turns = (read(key) as ConversationTurn[] | undefined) ?? [];
      const kept = withoutTurnsOf(turns, userId);
      if (kept.length === turns.length) return 0;
      if (kept.length === 0) entries.delete(prefix + key);
      else entries.set(prefix + key, { value: kept, expiresAt: entry?.expiresAt });
      return turns.length - kept.length;
    },
    async turns(conversation) {
      return [...((read(`turns:${conversation}`) as ConversationTurn[] | undefined) ?? [])];
    },
    async acquireLock(key, ttlMs): Promise<Lock | null> {
      const lockKey = `lock:${key}`;
      if (read(lockKey) !== undefined) return null;
      const token = Symbol(key);
      entries.set(prefix + lockKey, { value: token, expiresAt: now() + ttlMs });
      return {
        async release() {
          if (read(lockKey) === token) entries.delete(prefix + lockKey);
        },
      };
    },
    async getJson<T>(key: string) {
      const value = read(`json:${key}`);
      return value === undefined ? undefined : (JSON.parse(value as string) as T);
    },
    async setJson(key, value, ttlSeconds) {
      maybeSweep();
      write(`json:${key}`, JSON.stringify(value), ttlSeconds);
    },
    async delete(key) {
      entries.delete(`${prefix}json:${key}`);
      entries.delete(`${prefix}counters:${key}`);
    },
    async incrementCounters(key, increments, ttlSeconds) {
      const counterKey = `counters:${key}`;
      const current = { ...((read(counterKey) as Record<string, number> | undefined) ?? {}) };
      for (const [field, amount] of Object.entries(increments))
        current[field] = (current[field] ?? 0) + amount;
      const existing = entries.get(prefix + counterKey);
      const keepExpiry = existing?.expiresAt !== undefined && existing.expiresAt > now();
      entries.set(prefix + counterKey, {
        value: current,
        expiresAt: keepExpiry
          ? existing.expiresAt
          : ttlSeconds === undefined
            ? undefined
            : now() + ttlSeconds * 1000,
      });
      return { ...current };
    },
    async counters(key) {
      return { ...((read(`counters:${key}`) as Record<string, number> | undefined) ?? {}) };
    },
    async takeToken(key, capacity, refillPerSecond) {
      const bucketKey = `bucket:${key}`;
      const time = now();
      const bucket = (read(bucketKey) as { tokens: number; at: number } | undefined) ?? {
        tokens: capacity,
        at: time,
      };
      const tokens = Math.min(capacity, bucket.tokens + ((time - bucket.at) / 1000) * refillPerSecond);
      const allowed = tokens >= 1;
      write(
        bucketKey,
        { tokens: allowed ? tokens - 1 : tokens, at: time },
        Math.ceil(capacity / refillPerSecond) + 1,
      );
      return allowed;
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
