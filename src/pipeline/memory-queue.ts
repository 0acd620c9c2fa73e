import { setMaxListeners } from 'node:events';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome, JobHandler, JobQueue } from '../core/job-queue';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';
import { claimMessage, jobIdFor } from './dedupe';

/** Options for the in-process queue. */
export interface MemoryQueueOptions {
  /** Dedupe store. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** Attempts per job when the handler throws (default 3). */
  attempts?: number;
}

interface PendingJob {
  message: InboundMessage;
  attemptsMade: number;
}

/** Create an in-process job queue with the same contract as the BullMQ queue (used without REDIS_URL). */
export function createMemoryQueue(options: MemoryQueueOptions): JobQueue {
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 3;
  const pending: PendingJob[] = [];
  const running = new Set<Promise<void>>();
  const idleWaiters: Array<() => void> = [];
  const abortController = new AbortController();
  // Every running job listens to this one signal (stop after the grace period): more than 10 is expected.
  setMaxListeners(Math.max(10, concurrency * 4), abortController.signal);
  let handler: JobHandler | undefined;
  let accepting = true;
  let stopping = false;

  const notifyIfIdle = () => {
    if (pending.length === 0 && running.size === 0) {
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  };

  const pump = () => {
    while (handler && !stopping && running.size < concurrency && pending.length > 0) {
      const job = pending.shift()!;
      job.attemptsMade += 1;
      const run = handler(job.message, {
        jobId: jobIdFor(job.message),
        attemptsMade: job.attemptsMade,
        signal: abortController.signal,
      })
        .catch((error: unknown) => {
          const jobId = jobIdFor(job.message);
          if (job.attemptsMade < attempts && !stopping) {
            options.logger.warn(
              { err: error, jobId, attemptsMade: job.attemptsMade },
              'job failed; retrying',
            );
            setTimeout(
              () => {
                pending.push(job);
                pump();
              },
              200 * 2 ** job.attemptsMade,
            ).unref();
          } else {
            options.logger.error(
              { err: error, jobId, attemptsMade: job.attemptsMade },
              'job failed for good',
            );
          }
        })
        .finally(() => {
          running.delete(run);
          pump();
          notifyIfIdle();
        });
      running.add(run);
    }
  };

  return {
    async enqueue(message): Promise<EnqueueOutcome> {
      if (!accepting) throw new Error('queue is shutting down');
      if (!(await claimMessage(options.store, message))) return 'duplicate';
      pending.push({ message, attemptsMade: 0 });
      pump();
      return 'accepted';
    },
    async start(jobHandler) {
      handler = jobHandler;
      pump();
    },
    drain() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIfIdle();
      });
    },
    async depth() {
      return pending.length + running.size;
    },
    async stop(graceMs) {
      accepting = false;
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...running]), grace]);
      clearTimeout(timer);
      abortController.abort();
      if (pending.length > 0) {
        options.logger.warn(
          { left: pending.length },
          'in-memory queue stopped with jobs left; they are lost',
        );
      }
    },
  };
}
