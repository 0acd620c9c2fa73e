import type { StateStore } from '../../src/core/state-store';

/**
 * A workspace's share of one Slack method's rate limit, spent by every reply streaming in every Deskmate
 * process of the deployment (a token bucket in the state store: Redis when there are several processes).
 * Slack limits `chat.appendStream` (Tier 4, 100+ a minute) and `chat.update` (Tier 3, 50+ a minute) per
 * workspace, not per message: two hundred replies streaming at once, each appending twice a second, would
 * call 24,000 times a minute and collect 429s. With a budget each reply appends less often instead, and the
 * rest of its text goes with the next append or the final `chat.stopStream`.
 */
export interface CallBudget {
  /** Spend one call for the workspace: false when its share is used up for now (the caller skips the call). */
  take(workspace: string): Promise<boolean>;
}

/** A bucket per workspace in the store: `perMinute` calls a minute, up to `burst` at once after a quiet spell. */
export function createCallBudget(
  store: StateStore,
  method: string,
  perMinute: number,
  burst: number,
): CallBudget {
  return {
    // A store that cannot answer does not stop the reply: Slack's own 429s are waited out per call.
    take: (workspace) =>
      store.takeToken(`slack:budget:${method}:${workspace}`, burst, perMinute / 60).catch(() => true),
  };
}
