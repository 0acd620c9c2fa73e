import type { Reminder } from '../core/reminder';
import type { StateStore } from '../core/state-store';
import { cancelledKey } from './reminder-delivery';
import { delayUntilDue, type ReminderService } from './reminder-service';

/** Longest timer Node keeps (about 24.8 days); later reminders are re-armed when it fires. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Reminders on in-process timers, for runs without Redis: they do not survive a restart (the README says
 * so). A failed delivery is tried again a few times.
 */
export function createMemoryReminderScheduler(options: {
  store: StateStore;
  retryDelayMs?: number;
}): ReminderService {
  const timers = new Map<string, NodeJS.Timeout>();
  const waiting = new Map<string, Reminder>();
  let deliver: ((reminder: Reminder) => Promise<void>) | undefined;
  const retryDelayMs = options.retryDelayMs ?? 5000;

  const arm = (reminder: Reminder, delayMs: number, attempt = 1) => {
    const timer = setTimeout(
      () => {
        const remaining = Date.parse(reminder.dueAt) - Date.now();
        if (remaining > 0) return arm(reminder, remaining, attempt);
        timers.delete(reminder.id);
        if (!deliver) return;
        deliver(reminder).then(
          () => waiting.delete(reminder.id),
          () => {
            if (attempt < 5) arm(reminder, retryDelayMs * attempt, attempt + 1);
          },
        );
      },
      Math.min(Math.max(delayMs, 0), maxTimerMs),
    );
    timer.unref();
    timers.set(reminder.id, timer);
  };

  return {
    async schedule(reminder) {
      if (waiting.has(reminder.id)) return;
      const delay = delayUntilDue(reminder);
      await options.store.delete(cancelledKey(reminder.id));
      waiting.set(reminder.id, reminder);
      if (deliver) arm(reminder, delay);
    },
    async cancel(id) {
      await options.store.setJson(cancelledKey(id), true, 30 * 24 * 60 * 60);
      clearTimeout(timers.get(id));
      timers.delete(id);
      waiting.delete(id);
    },
    async start(delivery) {
      deliver = delivery;
      for (const reminder of waiting.values()) arm(reminder, Date.parse(reminder.dueAt) - Date.now());
    },
    async stop() {
      deliver = undefined;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
