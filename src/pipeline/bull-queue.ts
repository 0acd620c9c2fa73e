import { setMaxListeners } from 'node:events';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Config } from '../config';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome, JobHandler, JobQueue } from '../core/job-queue';
import type { Logger } from '../core/logger';
import { redisConnectionOptions } from '../state/redis-state-store';
import { withinMilliseconds } from './bounded';
import { jobIdFor } from './dedupe';
import { acceptMessage, type IntakeMover, intakeDepth, intakeKeys, startIntakeMover } from './intake';

/** Options for the BullMQ-backed queue. */
export interface BullQueueOptions {
  /** `redis://` URL. */
  url: string;
  /** Key prefix shared with the state store (BullMQ keys go under `<prefix>bull`). */
  prefix: string;
  /** Queue name. */
  name?: string;
  /** Logger. */
  logger: Logger;
  /** Jobs run at once per process (default 4). */
  concurrency?: number;
  /** Attempts per job when the handler throws (default 3), with exponential backoff. */
  attempts?: number;
  /** How long a job may run before another process may take it over (default 60 s). */
  lockDurationMs?: number;
  /** How often the intake's "moving" list is swept for what a dead process left there (default 30 s). */
  intakeSweepMs?: number;
}

/** The queue a configuration names: the acknowledging thread and the job thread must build the same one. */
export function queueOptionsFrom(
  config: Pick<Config, 'redisKeyPrefix' | 'workerConcurrency' | 'jobLockDurationMs'>,
  url: string,
  logger: Logger,
): BullQueueOptions {
  return {
    url,
    prefix: config.redisKeyPrefix,
    logger,
    concurrency: config.workerConcurrency,
    lockDurationMs: config.jobLockDurationMs,
  };
}

/** Create a durable queue on Redis with BullMQ: jobs survive restarts; stalled jobs are picked up again. */
export function createBullQueue(options: BullQueueOptions): JobQueue {
  const name = options.name ?? 'deskmate-jobs';
  const prefix = `${options.prefix}bull`;
  const attempts = options.attempts ?? 3;
  // The producer is on the ack path: it must fail fast, never buffer commands while Redis is away.
  // Acknowledgements arriving together share one socket write (auto-pipelining): the intake script and the
  // depth reads are all that use this connection.
  const producerConnection = new Redis(options.url, {
    ...redisConnectionOptions(1000),
    lazyConnect: false,
    enableAutoPipelining: true,
  });
  producerConnection.on('error', () => {});
  const createQueue = (connection: Redis) => {
    const created = new Queue(name, {
      connection,
      prefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    created.on('error', (error) => options.logger.warn({ err: error }, 'queue connection error'));
    return created;
  };
  // BullMQ sends INFO when the Queue is built, which a connection without an offline queue can only do
  // once connected: build it at the first use after the connection is ready, waiting at most a second.
  let queue: Queue | undefined;
  // Acknowledgements that arrive while the connection is not ready share one wait (one listener, not one each).
  let connecting: Promise<void> | undefined;
  const readyConnection = (): Promise<void> => {
    if (producerConnection.status === 'ready') return Promise.resolve();
    connecting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        producerConnection.off('ready', onReady);
        reject(new Error(`Redis is not reachable (connection ${producerConnection.status})`));
      }, 1000);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      producerConnection.once('ready', onReady);
    }).finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  const readyQueue = async (): Promise<Queue> => {
    if (queue) return queue;
    await readyConnection();
    queue ??= createQueue(producerConnection);
    return queue;
  };
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  const keys = intakeKeys(options.prefix, name);
  let mover: IntakeMover | undefined;
  let moverQueue: Queue | undefined;
  let moverConnection: Redis | undefined;
  const abortController = new AbortController();
  // Every running job listens to this one signal (stop after the grace period): more than 10 is expected.
  setMaxListeners(Math.max(10, (options.concurrency ?? 4) * 4), abortController.signal);

  /** Messages in the intake, and jobs waiting or running. */
  const depth = async (): Promise<number> => {
    const bull = await readyQueue();
    const [inIntake, counts] = await Promise.all([
      intakeDepth(producerConnection, keys),
      bull.getJobCounts('waiting', 'active', 'prioritized'),
    ]);
    return inIntake + Object.values(counts).reduce((sum, count) => sum + count, 0);
  };

  return {
    async enqueue(message: InboundMessage): Promise<EnqueueOutcome> {
      // One small script: the dedupe key and the message, together or not at all (see intake.ts).
      await readyConnection();
      return acceptMessage(producerConnection, keys, message);
    },
    async start(handler: JobHandler) {
      const concurrency = options.concurrency ?? 4;
      // The mover waits for Redis when it is away (its connection queues commands), like the worker.
      moverConnection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
      moverConnection.on('error', () => {});
      moverQueue = createQueue(moverConnection);
      mover = startIntakeMover({
        connection: moverConnection,
        keys,
        queue: moverQueue,
        logger: options.logger,
        waitingLimit: 2 * concurrency,
        sweepIntervalMs: options.intakeSweepMs,
      });
      workerConnection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
      workerConnection.on('error', () => {});
      worker = new Worker(
        name,
        async (job) => {
          await handler(job.data as InboundMessage, {
            jobId: job.id ?? jobIdFor(job.data as InboundMessage),
            attemptsMade: job.attemptsMade + 1,
            signal: abortController.signal,
          });
        },
        {
          connection: workerConnection,
          prefix,
          concurrency,
          lockDuration: options.lockDurationMs ?? 60_000,
          stalledInterval: Math.min(options.lockDurationMs ?? 60_000, 30_000),
          maxStalledCount: 2,
        },
      );
      worker.on('error', (error) => options.logger.warn({ err: error }, 'worker connection error'));
      // A job taken from the waiting list leaves room there: the mover adds the next from the intake.
      worker.on('active', () => mover?.wake());
      worker.on('failed', (job, error) =>
        options.logger.warn(
          { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
          'job attempt failed',
        ),
      );
    },
    async drain() {
      while ((await depth()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    depth,
    async stop(graceMs: number) {
      // Take no more messages from the intake; what was taken is left for the next start if not finished.
      const moverStopped = mover?.stop();
      if (worker) {
        let timer: NodeJS.Timeout | undefined;
        const closing = worker.close();
        const timedOut = await Promise.race([
          closing.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          // Running jobs stay locked until the lock expires; the next process picks them up as stalled.
          abortController.abort();
          await withinMilliseconds(worker.close(true), 1000);
        }
        // After a lost-and-regained connection BullMQ's own close may never finish: drop its connections.
        await withinMilliseconds(worker.disconnect(), 1000);
      }
      // BullMQ's close can wait forever on a connection that was lost and re-established: bound it.
      await withinMilliseconds(queue?.close(), 1000);
      await withinMilliseconds(queue?.disconnect(), 1000);
      moverConnection?.disconnect();
      await moverStopped;
      await withinMilliseconds(moverQueue?.close(), 1000);
      workerConnection?.disconnect();
      producerConnection.disconnect();
    },
  };
}
