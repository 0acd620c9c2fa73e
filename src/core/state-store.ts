/** One remembered turn of a conversation with Deskmate. */
export interface ConversationTurn {
  /** Who said it. */
  role: 'user' | 'assistant';
  /** What was said. */
  text: string;
  /** When (ISO 8601). */
  at: string;
  /** Estimated tokens of `text`. */
  tokens: number;
  /** Which skill produced or handled it (lets `draft` find its previous draft). */
  skill?: string;
  /** Who said it (user turns), so a person's words can be forgotten on request. */
  userId?: string;
}

/** Bounds on a conversation's memory. */
export interface MemoryLimits {
  /** Keep at most this many turns. */
  maxTurns: number;
  /** Keep at most this many tokens (oldest turns dropped first; the newest is always kept). */
  maxTokens: number;
  /** Forget the conversation after this long without a new turn. */
  ttlSeconds: number;
}

/** A held lock; release it when done (it also expires by itself). */
export interface Lock {
  /** Release the lock if still held by us. */
  release(): Promise<void>;
}

/** Deskmate's state: memory, dedupe, locks, small JSON records and counters. Redis or memory. */
export interface StateStore {
  /** Mark a key as seen; true the first time within the TTL, false after. */
  markSeen(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forget that a key was seen (when accepting the event failed after all). */
  unmarkSeen(key: string): Promise<void>;
  /** Append a turn to a conversation's memory, then apply the limits. */
  appendTurn(conversation: string, turn: ConversationTurn, limits: MemoryLimits): Promise<void>;
  /** A conversation's remembered turns, oldest first. */
  turns(conversation: string): Promise<ConversationTurn[]>;
  /** Forget a person's turns in a conversation and the answers to them; returns how many turns went. */
  forgetTurns(conversation: string, userId: string): Promise<number>;
  /** Take a short lock; null when someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<Lock | null>;
  /** Read a JSON record. */
  getJson<T>(key: string): Promise<T | undefined>;
  /** Write a JSON record, optionally expiring. */
  setJson(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** Delete a record: the JSON record and the counter record of that name. */
  delete(key: string): Promise<void>;
  /** Add to numeric fields of a counter record (usage per day); returns the new values. */
  incrementCounters(
    key: string,
    increments: Record<string, number>,
    ttlSeconds?: number,
  ): Promise<Record<string, number>>;
  /** Read a counter record. */
  counters(key: string): Promise<Record<string, number>>;
  /** Take one token from a bucket refilled at `refillPerSecond` up to `capacity`; false when empty. */
  takeToken(key: string, capacity: number, refillPerSecond: number): Promise<boolean>;
  /** Resolves when the store answers; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Close connections. */
  close(): Promise<void>;
}
