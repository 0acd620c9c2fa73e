import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome, JobHandler, JobQueue } from '../core/job-queue';
import type { Logger } from '../core/logger';
import { redisConnectionOptions } from '../state/redis-state-store';
import { withinMilliseconds } from './bounded';
import { dedupeTtlSeconds, jobIdFor, messageDedupeKey } from './dedupe';

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
}

/** Create a durable queue on Redis with BullMQ: jobs survive restarts; stalled jobs are picked up again. */
export function createBullQueue(options: BullQueueOptions): JobQueue {
  const name = options.name ?? 'deskmate-jobs';
  const prefix = `${options.prefix}bull`;
  const attempts = options.attempts ?? 3;
  // The producer is on the ack path: it must fail fast, never buffer commands while Redis is away.
  const producerConnection = new Redis(options.url, { ...redisConnectionOptions(1000), lazyConnect: false });
  producerConnection.on('error', () => {});
  const createQueue = () => {
    const created = new Queue(name, {
      connection: producerConnection,
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
  const readyQueue = async (): Promise<Queue> => {
    if (queue) return queue;
    if (producerConnection.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          producerConnection.off('ready', onReady);
          reject(new Error(`Redis is not reachable (connection ${producerConnection.status})`));
        }, 1000);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        producerConnection.once('ready', onReady);
      });
    }
    queue ??= createQueue();
    return queue;
  };
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  // Delivery ids: random per queue, then counted (cheaper than random bytes for every event).
  const deliveryToken = randomBytes(4).toString('hex');
  let deliveries = 0;
  const abortController = new AbortController();

  return {
    async enqueue(message: InboundMessage): Promise<EnqueueOutcome> {
      // One round trip: BullMQ adds the job and its deduplication key (the message, kept 9 hours) in one
      // script, so a job and its dedupe mark exist together or not at all. A delivery whose answer was lost
      // finds the key on its retry; a delivery of a post already queued under another event id too. Each
      // delivery gets its own job id, so the answer tells a new job from a duplicate.
      deliveries += 1;
      const jobId = `${jobIdFor(message)}-${deliveryToken}${deliveries.toString(36)}`;
      const job = await (await readyQueue()).add('message', message, {
        jobId,
        deduplication: { id: messageDedupeKey(message), ttl: dedupeTtlSeconds * 1000 },
      });
      return job.id === jobId ? 'accepted' : 'duplicate';
    },
    async start(handler: JobHandler) {
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
          concurrency: options.concurrency ?? 4,
          lockDuration: options.lockDurationMs ?? 60_000,
          stalledInterval: Math.min(options.lockDurationMs ?? 60_000, 30_000),
          maxStalledCount: 2,
        },
      );
      worker.on('error', (error) => options.logger.warn({ err: error }, 'worker connection error'));
      worker.on('failed', (job, error) =>
        options.logger.warn(
          { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
          'job attempt failed',
        ),
      );
    },
    async drain() {
      for (;;) {
        const counts = await (await readyQueue()).getJobCounts('waiting', 'active', 'prioritized');
        if (Object.values(counts).every((count) => count === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async depth() {
      const counts = await (await readyQueue()).getJobCounts('waiting', 'active', 'prioritized');
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    async stop(graceMs: number) {
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
      workerConnection?.disconnect();
      producerConnection.disconnect();
    },
  };
}
