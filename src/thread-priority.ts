import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Logger } from './core/logger';

/** The niceness the job thread and the process's helper threads run at (0 is normal, 19 the lowest). */
export const jobThreadNiceness = 10;

/**
 * Let acknowledgements have the CPU first: called from the job thread, lower the priority of this thread and
 * of every other thread of the process but the main one. On Linux a priority belongs to a thread, and the
 * helper threads (V8's garbage collectors and compilers, libuv's pool) are shared by both threads: left at
 * normal priority, they would collect the jobs' garbage at the acknowledging thread's priority. Elsewhere
 * only this thread, or nothing, is lowered.
 */
export function lowerJobPriority(logger: Logger): void {
  try {
    setPriority(jobThreadNiceness);
  } catch (error) {
    logger.debug({ err: error }, 'could not lower the job thread priority');
    return;
  }
  let threadIds: number[];
  try {
    threadIds = readdirSync('/proc/self/task').map(Number);
  } catch {
    return;
  }
  let lowered = 0;
  for (const threadId of threadIds) {
    if (threadId === process.pid || !Number.isInteger(threadId)) continue;
    try {
      setPriority(threadId, jobThreadNiceness);
      lowered += 1;
    } catch {
      // The thread ended meanwhile.
    }
  }
  logger.debug({ threads: lowered, niceness: jobThreadNiceness }, 'job and helper threads lowered');
}
