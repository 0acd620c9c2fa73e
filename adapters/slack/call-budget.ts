/**
 * A workspace's share of one Slack method's rate limit, spent by every reply streaming in this process.
 * Slack limits `chat.appendStream` (Tier 4, 100+ a minute) and `chat.update` (Tier 3, 50+ a minute) per
 * workspace, not per message: two hundred replies streaming at once, each appending twice a second, would
 * call 24,000 times a minute and collect 429s. With a budget each reply appends less often instead, and the
 * rest of its text goes with the next append or the final `chat.stopStream`.
 */
export interface CallBudget {
  /** Spend one call for the workspace: false when its share is used up for now (the caller skips the call). */
  take(workspace: string): boolean;
}

/** A token bucket per workspace: `perMinute` calls a minute, up to `burst` at once after a quiet spell. */
export function createCallBudget(perMinute: number, burst: number): CallBudget {
  const buckets = new Map<string, { calls: number; at: number }>();
  return {
    take(workspace) {
      const time = Date.now();
      const bucket = buckets.get(workspace) ?? { calls: burst, at: time };
      bucket.calls = Math.min(burst, bucket.calls + ((time - bucket.at) * perMinute) / 60_000);
      bucket.at = time;
      buckets.set(workspace, bucket);
      if (bucket.calls < 1) return false;
      bucket.calls -= 1;
      return true;
    },
  };
}
