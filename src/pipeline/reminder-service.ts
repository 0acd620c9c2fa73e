import type { Reminder, ReminderScheduler } from '../core/reminder';

/** A reminder scheduler that can be started with a delivery and stopped. */
export interface ReminderService extends ReminderScheduler {
  /** Start delivering due reminders. */
  start(deliver: (reminder: Reminder) => Promise<void>): Promise<void>;
  /** Stop delivering; scheduled reminders stay scheduled where the scheduler is durable. */
  stop(graceMs?: number): Promise<void>;
}
