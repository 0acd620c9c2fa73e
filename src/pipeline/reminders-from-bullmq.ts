import type Redis from 'ioredis';
import type { Logger } from '../core/logger';
import type { Reminder } from '../core/reminder';

/** Where reminders were kept before Deskmate had its own scheduler: BullMQ 6 jobs of the `deskmate-reminders` queue. */
export function bullReminderKeyPrefix(prefix: string): string {
  return `${prefix}bull:deskmate-reminders:`;
}

/** BullMQ's lists and sorted sets of jobs not yet done: a reminder in one of them has not been delivered. */
const pendingLists = ['wait', 'paused', 'active'];
const pendingSortedSets = ['delayed', 'prioritized'];

/** A glob pattern that matches exactly this text (for SCAN MATCH). */
function literalPattern(text: string): string {
  return text.replace(/[*?[\]\\]/gu, (character) => `\\${character}`);
}

/** Whether a stored job's data is a reminder. */
function isReminder(value: unknown): value is Reminder {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Reminder>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.dueAt === 'string' &&
    !Number.isNaN(Date.parse(candidate.dueAt)) &&
    typeof candidate.text === 'string' &&
    typeof candidate.conversation === 'object' &&
    candidate.conversation !== null
  );
}

/**
 * Move the reminders an older Deskmate left in BullMQ's keys into the scheduler (`keep` adds one unless its id is
 * already scheduled, and leaves a cancellation mark alone), then delete BullMQ's keys, so an upgrade loses no
 * reminder. Safe to run in several processes at once and again after a crash: the same id is kept once.
 * Returns how many reminders were moved.
 */
export async function moveRemindersFromBullQueue(
  redis: Redis,
  prefix: string,
  keep: (reminder: Reminder) => Promise<void>,
  logger: Logger,
): Promise<number> {
  const base = bullReminderKeyPrefix(prefix);
  if ((await redis.exists(`${base}meta`, `${base}id`)) === 0) return 0;
  const jobIds = new Set<string>();
  for (const list of pendingLists)
    for (const id of await redis.lrange(`${base}${list}`, 0, -1)) jobIds.add(id);
  for (const set of pendingSortedSets)
    for (const id of await redis.zrange(`${base}${set}`, '0', '-1')) jobIds.add(id);
  let moved = 0;
  for (const jobId of jobIds) {
    const data = await redis.hget(`${base}${jobId}`, 'data');
    // Gone: another process starting at the same time moved it first.
    if (data === null) continue;
    let reminder: unknown;
    try {
      reminder = JSON.parse(data);
    } catch {}
    if (!isReminder(reminder)) {
      logger.warn({ jobId }, 'a reminder in the old BullMQ keys could not be read; it is left out');
      continue;
    }
    await keep(reminder);
    moved += 1;
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${literalPattern(base)}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  logger.info({ moved, found: jobIds.size }, 'reminders moved from the old BullMQ keys');
  return moved;
}
