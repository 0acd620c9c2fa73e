import Redis from 'ioredis';
import type { Logger } from '../core/logger';
import type { Reminder } from '../core/reminder';
import type { StateStore } from '../core/state-store';
import { disconnectTimeoutMs } from '../state/redis-state-store';
import { withinMilliseconds } from './bounded';
import { cancelledKey } from './reminder-delivery';
import { delayUntilDue, type ReminderService } from './reminder-service';

/**
 * BullMQ's classes, from its `classes` module rather than its index: the index also loads its PostgreSQL
 * backend, which Deskmate never uses (about 60 modules and 400 KB of source held in every `jobs` process).
 */
const { Queue, Worker } = require('bullmq/dist/cjs/classes') as Pick<
  typeof import('bullmq'),
  'Queue' | 'Worker'
>;

/** Options for the durable reminder scheduler. */
interface BullReminderOptions {
  /** `redis://` URL. */
  url: string;
  /** Key prefix shared with the state store (BullMQ keys go under `<prefix>bull`). */
  prefix: string;
  /** Where cancellations are recorded. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** First wait before a failed delivery is tried again (default 5 s, doubling, 6 attempts). */
  retryDelayMs?: number;
  /** Queue name. */
  name?: string;
}

/**
 * A BullMQ job id for a reminder id: BullMQ forbids `:` (and all-digit ids), so every character but letters,
 * digits, `.` and `-` is written as `_` and its hex code, which keeps two different ids apart.
 */
export function reminderJobId(id: string): string {
  return `reminder-${id.replace(/[^A-Za-z0-9.-]/gu, (character) => `_${character.codePointAt(0)!.toString(16)}_`)}`;
}

/**
 * Reminders as BullMQ delayed jobs on Redis: they survive restarts, one process delivers each, and the job
 * id is derived from the reminder id, so scheduling the same reminder twice keeps one job.
 */
export function createBullReminderScheduler(options: BullReminderOptions): ReminderService {
  const name = options.name ?? 'deskmate-reminders';
  const prefix = `${options.prefix}bull`;
  const connection = new Redis(options.url, {
    maxRetriesPerRequest: 3,
    lazyConnect: false,
    disconnectTimeout: disconnectTimeoutMs,
  });
  connection.on('error', () => {});
  const queue = new Queue(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 6,
      backoff: { type: 'exponential', delay: options.retryDelayMs ?? 5000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  queue.on('error', (error) => options.logger.warn({ err: error }, 'reminder queue connection error'));
  let worker: InstanceType<typeof Worker> | undefined;
  let workerConnection: Redis | undefined;
  /** Deliveries under way in this process (stop lets them finish within its grace). */
  const delivering = new Set<Promise<void>>();

  return {
    async schedule(reminder: Reminder) {
      const delay = delayUntilDue(reminder);
      await options.store.delete(cancelledKey(reminder.id));
      await queue.add('reminder', reminder, { jobId: reminderJobId(reminder.id), delay });
    },
    async cancel(id: string) {
      // The mark also stops a delivery that is already running or retrying.
      await options.store.setJson(cancelledKey(id), true, 30 * 24 * 60 * 60);
      await queue.remove(reminderJobId(id)).catch(() => undefined);
    },
    async start(deliver) {
      // BullMQ's blocking connection is a duplicate of this one, with the same options.
      workerConnection = new Redis(options.url, {
        maxRetriesPerRequest: null,
        lazyConnect: false,
        disconnectTimeout: disconnectTimeoutMs,
      });
      workerConnection.on('error', () => {});
      worker = new Worker(
        name,
        async (job) => {
          const delivery = deliver(job.data as Reminder);
          delivering.add(delivery);
          try {
            await delivery;
          } finally {
            delivering.delete(delivery);
          }
        },
        {
          connection: workerConnection,
          prefix,
          concurrency: 4,
        },
      );
      worker.on('error', (error) => options.logger.warn({ err: error }, 'reminder worker connection error'));
      worker.on('failed', (job, error) =>
        options.logger.warn(
          { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
          'reminder attempt failed',
        ),
      );
    },
    async stop(graceMs = 1000) {
      // Take no new reminder, let the deliveries under way finish within the grace, then close without waiting
      // on Redis. BullMQ's graceful close waits for its blocking connection to end, which never happens when
      // that connection is reconnecting (ioredis emits no 'end' for a disconnect then): the close would hang
      // and the worker's lock and stalled-job timers would run on, holding the process open. A delivery still
      // running keeps its lock until it expires; then BullMQ hands the reminder to a process again.
      await withinMilliseconds(worker?.pause(true), 1000);
      await withinMilliseconds(Promise.allSettled([...delivering]), graceMs);
      await withinMilliseconds(worker?.close(true), 1000);
      await withinMilliseconds(queue.close(), 1000);
      // BullMQ has already ended the worker's connection; ioredis would arm a 2 s timer to close it again.
      for (const redis of [workerConnection, connection])
        if (redis && redis.status !== 'end') redis.disconnect();
    },
  };
}
