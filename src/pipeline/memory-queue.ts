import { setMaxListeners } from 'node:events';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome, JobHandler, JobQueue } from '../core/job-queue';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';
import { claimJob, type JobKindOption, kindOf } from './dedupe';

/** Options for the in-process queue. */
interface MemoryQueueOptions {
  /** Dedupe store. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** Runs a job gets when its handler throws (default 3), retries backing off from 400 ms. */
  attempts?: number;
}

interface PendingJob<Job> {
  job: Job;
  attemptsMade: number;
}

/**
 * An in-process job queue with the Redis queue's contract (used without REDIS_URL): deduped on the event
 * id and the message id, the jobs of one conversation one at a time in arrival order, different
 * conversations in parallel (other kinds of job: their own dedupe keys and ordering key). Jobs live in
 * memory: a restart loses what was queued.
 */
export function createMemoryQueue<Job = InboundMessage>(
  options: MemoryQueueOptions & JobKindOption<Job>,
): JobQueue<Job> {
  const kind = kindOf(options);
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 3;
  /** Each conversation's jobs in arrival order; the head is running or next. */
  const conversations = new Map<string, PendingJob<Job>[]>();
  /** Conversations with a job to run and nothing running. */
  const ready: string[] = [];
  const running = new Map<string, Promise<void>>();
  const idleWaiters: Array<() => void> = [];
  const abortController = new AbortController();
  setMaxListeners(Math.max(10, concurrency * 4), abortController.signal);
  let handler: JobHandler<Job> | undefined;
  let stopping = false;

  const depth = () => [...conversations.values()].reduce((count, jobs) => count + jobs.length, 0);

  const notifyIfIdle = () => {
    if (conversations.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  /** The head is done: the conversation's next job becomes ready. */
  const finish = (key: string) => {
    const jobs = conversations.get(key) ?? [];
    jobs.shift();
    if (jobs.length > 0) ready.push(key);
    else conversations.delete(key);
  };

  const pump = () => {
    while (handler && !stopping && running.size < concurrency && ready.length > 0) {
      const key = ready.shift() as string;
      const job = (conversations.get(key) as PendingJob<Job>[])[0];
      job.attemptsMade += 1;
      const jobId = kind.jobId(job.job);
      const run = handler(job.job, {
        jobId,
        attemptsMade: job.attemptsMade,
        lastAttempt: job.attemptsMade >= attempts,
        signal: abortController.signal,
      })
        .then(() => finish(key))
        .catch((error: unknown) => {
          if (job.attemptsMade >= attempts || stopping) {
            options.logger.error(
              { err: error, jobId, attemptsMade: job.attemptsMade },
              'job failed for good',
            );
            finish(key);
            return;
          }
          options.logger.warn({ err: error, jobId, attemptsMade: job.attemptsMade }, 'job failed; retrying');
          // The head waits for its retry; the conversation's later jobs wait behind it.
          setTimeout(
            () => {
              ready.push(key);
              pump();
            },
            200 * 2 ** job.attemptsMade,
          ).unref();
        })
        .finally(() => {
          running.delete(key);
          pump();
          notifyIfIdle();
        });
      running.set(key, run);
    }
  };

  return {
    async enqueue(job): Promise<EnqueueOutcome> {
      if (stopping) throw new Error('queue is shutting down');
      if (!(await claimJob(options.store, kind, job))) return 'duplicate';
      const key = kind.orderingKey(job);
      const jobs = conversations.get(key);
      if (jobs) jobs.push({ job, attemptsMade: 0 });
      else {
        conversations.set(key, [{ job, attemptsMade: 0 }]);
        ready.push(key);
      }
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
    depth: async () => depth(),
    async stop(graceMs) {
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...running.values()]), grace]);
      clearTimeout(timer);
      abortController.abort();
      const left = depth();
      if (left > running.size) {
        options.logger.warn(
          { left: left - running.size },
          'in-memory queue stopped with jobs left; they are lost',
        );
      }
    },
  };
}
