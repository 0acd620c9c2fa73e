import { DeskmateError } from '../core/errors';
import type { Reminder, ReminderScheduler } from '../core/reminder';

/** A reminder scheduler that can be started with a delivery and stopped. */
export interface ReminderService extends ReminderScheduler {
  /** Start delivering due reminders. */
  start(deliver: (reminder: Reminder) => Promise<void>): Promise<void>;
  /** Stop delivering; scheduled reminders stay scheduled where the scheduler is durable. */
  stop(graceMs?: number): Promise<void>;
}

/** Milliseconds until a reminder is due (0 when past); a `dueAt` that is not a time is refused. */
export function delayUntilDue(reminder: Reminder, now = Date.now()): number {
  const due = Date.parse(reminder.dueAt);
  if (Number.isNaN(due)) {
    throw new DeskmateError(
      'bad_input',
      `reminder ${reminder.id} has no valid due time (dueAt must be ISO 8601)`,
    );
  }
  return Math.max(0, due - now);
}
