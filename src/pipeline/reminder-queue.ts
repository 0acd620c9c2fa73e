import Redis from 'ioredis';
import type { Logger } from '../core/logger';
import type { Reminder } from '../core/reminder';
import type { StateStore } from '../core/state-store';
import { createRepeatedFailureLog } from '../observability/repeated-failure';
import { disconnectTimeoutMs } from '../state/redis-state-store';
import { withinMilliseconds } from './bounded';
import { cancelledKey } from './reminder-delivery';
import { delayUntilDue, type ReminderService } from './reminder-service';
import { moveRemindersFromBullQueue } from './reminders-from-bullmq';

/** Options for the durable reminder scheduler. */
interface RedisReminderOptions {
  /** `redis://` URL. */
  url: string;
  /** Key prefix shared with the state store (the reminders' keys go under `<prefix>reminders:`). */
  prefix: string;
  /** Where cancellations are recorded. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** First wait before a failed delivery is tried again (default 5 s, doubling, 6 attempts in all). */
  retryDelayMs?: number;
  /** Longest wait between two looks for due reminders (default 1 s); a reminder scheduled here wakes it sooner. */
  pollMs?: number;
  /** How long a process holds a reminder it took before another may take it (default 60 s). */
  leaseMs?: number;
}

/** A scheduled reminder as stored: the reminder and the deliveries tried so far. */
interface StoredReminder {
  reminder: Reminder;
  attempts: number;
}

const maxAttempts = 6;
/** Deliveries under way at once in one process. */
const concurrency = 4;

/**
 * Take the reminders due by ARGV[1] (at most ARGV[3]): each gets a new score, ARGV[1] + ARGV[2] (its lease),
 * so no other process takes it until the lease ends. Returns their ids.
 */
const takeDueScript = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
`;

/**
 * Reminders on Redis: a sorted set of reminder ids by the time each may next be taken (its due time, the end
 * of a delivery's lease, or its next retry) and one record per reminder. They survive restarts; a process
 * takes a due reminder atomically (Lua), so one process delivers it, and another takes it again only if the
 * first did not finish within the lease (the delivery itself skips what was already sent). Scheduling the same
 * id twice keeps the first. A failed delivery is tried again after 5 s, doubling, 6 attempts in all.
 */
export function createRedisReminderScheduler(options: RedisReminderOptions): ReminderService {
  const dueKey = `${options.prefix}reminders:due`;
  const recordKey = (id: string) => `${options.prefix}reminders:reminder:${id}`;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const logger = options.logger.child({ component: 'reminders' });
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 3,
    lazyConnect: false,
    disconnectTimeout: disconnectTimeoutMs,
  });
  redis.on('error', () => {});
  /** Deliveries under way in this process (stop lets them finish within its grace). */
  const delivering = new Set<Promise<void>>();
  let deliver: ((reminder: Reminder) => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let stopped = false;

  const wakeBy = (at: number) => {
    if (!deliver || stopped || at >= wakeAt) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(() => void look(), Math.max(0, at - Date.now()));
    timer.unref();
  };

  const finish = async (id: string, stored: StoredReminder, error?: unknown) => {
    if (!error) {
      await redis.multi().zrem(dueKey, id).del(recordKey(id)).exec();
      return;
    }
    const attempts = stored.attempts + 1;
    if (attempts >= maxAttempts) {
      logger.error({ err: error, reminderId: id, attempts }, 'reminder given up after its last attempt');
      await redis.multi().zrem(dueKey, id).del(recordKey(id)).exec();
      return;
    }
    logger.warn({ err: error, reminderId: id, attempts }, 'reminder attempt failed');
    const retryAt = Date.now() + retryDelayMs * 2 ** (attempts - 1);
    await redis
      .multi()
      .set(recordKey(id), JSON.stringify({ ...stored, attempts }), 'XX')
      .zadd(dueKey, 'XX', retryAt, id)
      .exec();
    wakeBy(retryAt);
  };

  const run = async (id: string, stored: StoredReminder) => {
    let failure: unknown;
    try {
      await deliver?.(stored.reminder);
    } catch (error) {
      failure = error ?? new Error('delivery failed');
    }
    await finish(id, stored, failure).catch((error: unknown) =>
      // The lease ends and the reminder is taken again (its delivery skips what was sent).
      logger.warn({ err: error, reminderId: id }, 'reminder state not saved; it will be taken again'),
    );
  };

  // While Redis is away the look is retried each poll: one line when it starts, one when it ends.
  const lookFailures = createRepeatedFailureLog(logger, 'could not look for due reminders');
  async function look(): Promise<void> {
    wakeAt = Number.POSITIVE_INFINITY;
    if (stopped || !deliver) return;
    try {
      const room = concurrency - delivering.size;
      if (room > 0) {
        const now = Date.now();
        const ids = (await redis.eval(
          takeDueScript,
          1,
          dueKey,
          String(now),
          String(leaseMs),
          String(room),
        )) as string[];
        const records = ids.length > 0 ? await redis.mget(ids.map(recordKey)) : [];
        ids.forEach((id, index) => {
          const record = records[index];
          if (!record) {
            // Cancelled while it was taken: nothing to deliver.
            void redis.zrem(dueKey, id).catch(() => undefined);
            return;
          }
          const delivery = run(id, JSON.parse(record) as StoredReminder).finally(() => {
            delivering.delete(delivery);
            wakeBy(Date.now());
          });
          delivering.add(delivery);
        });
      }
      const [, nextScore] = await redis.zrange(dueKey, '0', '0', 'WITHSCORES');
      const next = nextScore === undefined ? Number.POSITIVE_INFINITY : Number(nextScore);
      wakeBy(Math.min(next, Date.now() + pollMs));
      lookFailures.succeeded();
    } catch (error) {
      lookFailures.failed(error);
      wakeBy(Date.now() + pollMs);
    }
  }

  /** Add a reminder unless its id is scheduled already (a cancellation mark is left as it is). */
  const keep = async (reminder: Reminder) => {
    const dueAt = Date.now() + delayUntilDue(reminder);
    const stored: StoredReminder = { reminder, attempts: 0 };
    await redis
      .multi()
      .set(recordKey(reminder.id), JSON.stringify(stored), 'NX')
      .zadd(dueKey, 'NX', dueAt, reminder.id)
      .exec();
    wakeBy(dueAt);
  };

  return {
    async schedule(reminder: Reminder) {
      await options.store.delete(cancelledKey(reminder.id));
      await keep(reminder);
    },
    async cancel(id: string) {
      // The mark also stops a delivery that is already running or retrying.
      await options.store.setJson(cancelledKey(id), true, 30 * 24 * 60 * 60);
      await redis.multi().zrem(dueKey, id).del(recordKey(id)).exec();
    },
    async start(delivery) {
      // Reminders an older Deskmate scheduled with BullMQ are moved over first, so an upgrade loses none; with
      // Redis away they stay where they are until a later start.
      await moveRemindersFromBullQueue(redis, options.prefix, keep, logger).catch((error: unknown) =>
        logger.warn(
          { err: error },
          'reminders in the old BullMQ keys not moved yet; the next start tries again',
        ),
      );
      deliver = delivery;
      stopped = false;
      wakeBy(Date.now());
    },
    async stop(graceMs = 1000) {
      // Take no new reminder, let the deliveries under way finish within the grace. One still running keeps
      // its lease until it ends; then a process takes the reminder again.
      stopped = true;
      clearTimeout(timer);
      await withinMilliseconds(Promise.allSettled([...delivering]), graceMs);
      if (redis.status !== 'end') redis.disconnect();
    },
  };
}
