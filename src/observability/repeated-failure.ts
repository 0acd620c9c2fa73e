import type { Logger } from '../core/logger';

/** How often a failure that goes on is logged again, without its stack. */
const reminderMs = 60_000;

/** One log line for a failure that repeats (each retry while Redis is away), then one when it works again. */
export interface RepeatedFailureLog {
  /** A try failed: the first is logged with its error; later ones once a minute, counted, without the stack. */
  failed(error: unknown): void;
  /** A try worked: after failures, one line says so, with how many and for how long. */
  succeeded(): void;
}

/**
 * Create the log of one repeating failure (`message` names what failed: "could not take jobs"). A loop that
 * retries every half second while Redis is away would otherwise write a stack trace each time.
 */
export function createRepeatedFailureLog(
  logger: Logger,
  message: string,
  now: () => number = Date.now,
): RepeatedFailureLog {
  let failures = 0;
  let firstAt = 0;
  let loggedAt = 0;
  return {
    failed(error) {
      failures += 1;
      const at = now();
      if (failures === 1) {
        firstAt = at;
        loggedAt = at;
        logger.warn({ err: error }, `${message}; retrying`);
      } else if (at - loggedAt >= reminderMs) {
        loggedAt = at;
        const code = (error as { code?: unknown } | undefined)?.code;
        logger.warn(
          { failures, failingMs: at - firstAt, ...(typeof code === 'string' ? { code } : {}) },
          `${message}; still retrying`,
        );
      }
    },
    succeeded() {
      if (failures === 0) return;
      logger.info({ failures, failingMs: now() - firstAt }, `${message}: working again`);
      failures = 0;
    },
  };
}
