import { setImmediate as nextTurn } from 'node:timers/promises';
import { timeoutError } from './document-error';

/** Longest stretch of parsing between two turns of the event loop, so other jobs keep running. */
const sliceMilliseconds = 15;

/** The time limit of one file, and the turns it gives back to the event loop while it works. */
export class Deadline {
  private readonly expiresAt: number;
  private lastTurn = performance.now();

  constructor(private readonly limitMilliseconds: number) {
    this.expiresAt = performance.now() + limitMilliseconds;
  }

  /** Whether the time is up. */
  get expired(): boolean {
    return performance.now() >= this.expiresAt;
  }

  /** Throw the timeout error when the time is up. */
  check(): void {
    if (this.expired) throw timeoutError(this.limitMilliseconds);
  }

  /** Between two pages or pieces: give the event loop a turn when this file has held it for a while. */
  async pause(): Promise<void> {
    if (performance.now() - this.lastTurn >= sliceMilliseconds) {
      await nextTurn();
      this.lastTurn = performance.now();
    }
    this.check();
  }

  /** Wait for `work`, failing with the timeout error when the time runs out first (`onTimeout` stops the work). */
  async race<T>(work: Promise<T>, onTimeout?: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          onTimeout?.();
          reject(timeoutError(this.limitMilliseconds));
        },
        Math.max(0, this.expiresAt - performance.now()),
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
