import type { Logger } from '../core/logger';
import type { RefusalReason } from '../core/request-ingress';

/** Counts requests refused before authentication and logs them as one summary line per interval. */
export interface RejectionSummary {
  /** Count one refused request. */
  count(route: string, reason: RefusalReason): void;
  /** Log what was counted since the last line (nothing when nothing was) and start a new window. */
  flush(): void;
  /** Stop the timer and log what is left. */
  stop(): void;
}

/** Options for the rejection summary. */
interface RejectionSummaryOptions {
  /** Where the summary line goes (at warn). */
  logger: Logger;
  /** How often a line is written. */
  intervalMs: number;
  /** Also called for each refusal (the `/metrics` counter). */
  onRefused?: (route: string, reason: RefusalReason) => void;
  /** The clock, for the window's length. */
  now?: () => number;
}

/**
 * Count refusals by route and reason, and write them as one line per interval:
 * `{ rejected: { slack: { bad_signature: 12 } }, windowSeconds: 60 }`. A flood of forged requests costs one
 * line a minute instead of one each. The timer does not keep the process alive.
 */
export function createRejectionSummary(options: RejectionSummaryOptions): RejectionSummary {
  const now = options.now ?? Date.now;
  let counts: Record<string, Partial<Record<RefusalReason, number>>> = {};
  let counted = 0;
  let windowStart = now();
  const flush = () => {
    const started = windowStart;
    windowStart = now();
    if (counted === 0) return;
    const rejected = counts;
    counts = {};
    counted = 0;
    options.logger.warn(
      { rejected, windowSeconds: Math.round((windowStart - started) / 1000) },
      'unauthenticated requests rejected',
    );
  };
  const timer = setInterval(flush, options.intervalMs);
  timer.unref();
  return {
    count(route, reason) {
      const byReason = counts[route] ?? {};
      counts[route] = byReason;
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      counted += 1;
      options.onRefused?.(route, reason);
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
