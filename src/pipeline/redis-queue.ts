import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import Redis from 'ioredis';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome, JobHandler, JobQueue } from '../core/job-queue';
import type { Logger } from '../core/logger';
import { createRepeatedFailureLog } from '../observability/repeated-failure';
import { disconnectTimeoutMs, redisConnectionOptions } from '../state/redis-state-store';
import { withinMilliseconds } from './bounded';
import { type JobKindOption, kindOf } from './dedupe';
import { type QueueRedis, queueKeys, withQueueScripts } from './redis-queue-scripts';

/** Options for the Redis job queue. */
interface RedisQueueOptions {
  /** `redis://` URL. */
  url: string;
  /** Key prefix shared with the state store. */
  prefix: string;
  /** Queue name (default `jobs`). */
  name?: string;
  /** Logger. */
  logger: Logger;
  /** Jobs run at once in this process (default 4). */
  concurrency?: number;
  /** Runs a job gets when its handler throws or its process dies (default 3); retries back off from 1 s. */
  attempts?: number;
  /** How long a process holds a conversation without renewing (default 60 s): a dead one's jobs wait this long. */
  leaseMs?: number;
  /** How often leases are renewed and due retries moved (default a second). */
  sweepIntervalMs?: number;
}

/** A job as stored (`message` is the job, whatever its kind: the field kept its first name, so entries queued by an older version still read). */
interface QueueEntry<Job> {
  jobId: string;
  message: Job;
}

/** How long the job loop blocks on an empty queue before it looks at its stop flag again. */
const claimWaitSeconds = 0.5;
/** Stale claims are swept every this many sweeps (a claim lives for a moment). */
const claimedSweepEvery = 5;

/**
 * A durable job queue on Redis with one rule: the jobs of one conversation run one at a time, in arrival
 * order, across every process that runs jobs; different conversations run in parallel. Accepting a message
 * is one script (both dedupe keys and the enqueue together). A process owns a conversation under a lease it
 * renews; when it dies, another takes the conversation over once the lease runs out (see the scripts).
 * Other kinds of job (`kind`) bring their own dedupe keys and ordering key in place of the conversation.
 */
export function createRedisQueue<Job = InboundMessage>(
  options: RedisQueueOptions & JobKindOption<Job>,
): JobQueue<Job> {
  const kind = kindOf(options);
  const keys = queueKeys(options.prefix, options.name ?? 'jobs');
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 3;
  const leaseMs = options.leaseMs ?? 60_000;
  const token = randomUUID();
  // The ack path fails fast: no offline queue and 1 s per command, so Redis being away is a 503 at once.
  const producer = withQueueScripts(
    new Redis(options.url, { ...redisConnectionOptions(1000), enableAutoPipelining: true }),
  );
  producer.on('error', () => {});
  // Acknowledgements that arrive while the connection is (re)connecting share one wait of at most a second.
  let connecting: Promise<void> | undefined;
  const producerReady = (): Promise<void> => {
    if (producer.status === 'ready') return Promise.resolve();
    connecting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        producer.off('ready', onReady);
        reject(new Error(`Redis is not reachable (connection ${producer.status})`));
      }, 1000);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      producer.once('ready', onReady);
    }).finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  const listOf = (conversation: string) => `${keys.conversation}${conversation}`;

  /** What the job side holds; its connections wait for Redis when it is away, and carry on after. */
  let jobSide:
    | { redis: QueueRedis; blocking: Redis; sweeper: NodeJS.Timeout; loop: Promise<void> }
    | undefined;
  let stopping = false;
  const running = new Map<string, { jobId: string; done: Promise<void> }>();
  let slotFreed: (() => void) | undefined;
  const abortController = new AbortController();
  setMaxListeners(Math.max(10, concurrency * 4), abortController.signal);

  const finish = (redis: QueueRedis, conversation: string, jobId: string) =>
    redis.deskmateFinish(
      keys.owners,
      keys.active,
      listOf(conversation),
      keys.ready,
      keys.depth,
      keys.attempts,
      conversation,
      token,
      jobId,
    );
  const retry = (redis: QueueRedis, conversation: string, delayMs: number) =>
    redis.deskmateRetry(keys.owners, keys.active, keys.delayed, keys.ready, conversation, token, delayMs);

  const run = async (
    redis: QueueRedis,
    handler: JobHandler<Job>,
    conversation: string,
    entry: QueueEntry<Job>,
    attempt: number,
  ) => {
    const { jobId } = entry;
    if (attempt > attempts) {
      options.logger.error({ jobId, attemptsMade: attempt - 1 }, 'job dropped: its runs never finished');
      await finish(redis, conversation, jobId);
      return;
    }
    try {
      await handler(entry.message, {
        jobId,
        attemptsMade: attempt,
        lastAttempt: attempt >= attempts,
        signal: abortController.signal,
      });
      await finish(redis, conversation, jobId);
    } catch (error) {
      // Stopped past the grace period: `stop` gives the conversation back.
      if (abortController.signal.aborted) return;
      if (attempt >= attempts) {
        options.logger.error({ err: error, jobId, attemptsMade: attempt }, 'job failed for good');
        await finish(redis, conversation, jobId);
        return;
      }
      options.logger.warn({ err: error, jobId, attemptsMade: attempt }, 'job failed; retrying');
      await retry(redis, conversation, 1000 * 2 ** (attempt - 1));
    }
  };

  // While Redis is away the loops below retry every half second: one line when it starts, one when it ends.
  const takeFailures = createRepeatedFailureLog(options.logger, 'could not take jobs');
  const sweepFailures = createRepeatedFailureLog(options.logger, 'queue sweep failed');

  /** Take conversations from `ready` while there is room, and run each one's head job. */
  const takeJobs = async (redis: QueueRedis, blocking: Redis, handler: JobHandler<Job>) => {
    /** Run a conversation's head job in a free slot. */
    const start = (conversation: string, head: string, attempt: number) => {
      const entry = JSON.parse(head) as QueueEntry<Job>;
      const done = run(redis, handler, conversation, entry, attempt)
        .catch((error: unknown) =>
          options.logger.error(
            { err: error, jobId: entry.jobId },
            'job bookkeeping failed; the lease will run out',
          ),
        )
        .finally(() => {
          running.delete(conversation);
          slotFreed?.();
          slotFreed = undefined;
        });
      running.set(conversation, { jobId: entry.jobId, done });
    };
    while (!stopping) {
      if (running.size >= concurrency) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
        });
        continue;
      }
      // Whatever is ready, up to the free slots, in one round trip; the blocking wait only when none is.
      let taken: Array<string | number> = [];
      try {
        taken = await redis.deskmateOwnReady(
          keys.ready,
          keys.owners,
          keys.active,
          keys.attempts,
          concurrency - running.size,
          token,
          leaseMs,
          keys.conversation,
        );
      } catch (error) {
        if (stopping) return;
        takeFailures.failed(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      takeFailures.succeeded();
      for (let index = 0; index + 2 < taken.length; index += 3) {
        start(String(taken[index]), String(taken[index + 1]), Number(taken[index + 2]));
      }
      if (taken.length > 0) continue;
      let conversation: string | null;
      try {
        conversation = await blocking.blmove(keys.ready, keys.claimed, 'LEFT', 'RIGHT', claimWaitSeconds);
      } catch (error) {
        if (stopping) return;
        takeFailures.failed(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!conversation) continue;
      if (stopping) {
        await redis.deskmateUnclaim(keys.claimed, keys.ready, conversation);
        return;
      }
      const owned = await redis.deskmateOwn(
        keys.claimed,
        keys.owners,
        keys.active,
        listOf(conversation),
        keys.attempts,
        conversation,
        token,
        leaseMs,
      );
      if (!owned) continue;
      const [head, attempt] = owned;
      start(conversation, head, Number(attempt));
    }
  };

  let sweeps = 0;
  /** Renew the leases held here; move back what dead processes and due retries left. */
  const sweep = async (redis: QueueRedis) => {
    sweeps += 1;
    try {
      const pairs = [...running.keys()].flatMap((conversation) => [conversation, token]);
      if (pairs.length > 0) await redis.deskmateRenew(keys.owners, keys.active, leaseMs, ...pairs);
      await redis.deskmateSweep(
        keys.owners,
        keys.active,
        keys.delayed,
        keys.ready,
        keys.claimed,
        keys.claimedSeen,
        sweeps % claimedSweepEvery === 0 ? '1' : '0',
      );
      sweepFailures.succeeded();
    } catch (error) {
      sweepFailures.failed(error);
    }
  };

  const depth = async () => {
    await producerReady();
    return Number((await producer.get(keys.depth)) ?? 0);
  };

  return {
    async enqueue(job): Promise<EnqueueOutcome> {
      const [eventKey, messageKey = eventKey] = kind.dedupeKeys(job);
      const conversation = kind.orderingKey(job);
      const entry: QueueEntry<Job> = { jobId: kind.jobId(job), message: job };
      await producerReady();
      const accepted = await producer.deskmateAccept(
        `${keys.seen}${eventKey}`,
        `${keys.seen}${messageKey}`,
        listOf(conversation),
        keys.ready,
        keys.depth,
        kind.dedupeTtlSeconds,
        JSON.stringify(entry),
        conversation,
      );
      return accepted === 1 ? 'accepted' : 'duplicate';
    },
    async start(handler) {
      const jobSideOptions = { maxRetriesPerRequest: null, disconnectTimeout: disconnectTimeoutMs };
      const redis = withQueueScripts(new Redis(options.url, jobSideOptions));
      redis.on('error', () => {});
      const blocking = new Redis(options.url, jobSideOptions);
      blocking.on('error', () => {});
      const sweeper = setInterval(() => void sweep(redis), options.sweepIntervalMs ?? 1000);
      const loop = takeJobs(redis, blocking, handler).catch((error: unknown) =>
        options.logger.error({ err: error }, 'job loop stopped'),
      );
      jobSide = { redis, blocking, sweeper, loop };
    },
    async drain() {
      while ((await depth()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    depth,
    async stop(graceMs) {
      stopping = true;
      slotFreed?.();
      if (jobSide) {
        const { redis, blocking, sweeper, loop } = jobSide;
        await withinMilliseconds(loop, (claimWaitSeconds + 1) * 1000);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          Promise.allSettled([...running.values()].map((job) => job.done)).then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), graceMs);
          }),
        ]);
        clearTimeout(timer);
        clearInterval(sweeper);
        if (timedOut) {
          // Jobs still running go back to the queue at once, for the next process; their run counted.
          abortController.abort();
          const left = [...running.keys()];
          await Promise.all(
            left.map((conversation) => withinMilliseconds(retry(redis, conversation, 0), 1000)),
          );
          options.logger.warn({ left: left.length }, 'stopped with jobs running; they are queued again');
        }
        blocking.disconnect();
        redis.disconnect();
      }
      producer.disconnect();
    },
  };
}
