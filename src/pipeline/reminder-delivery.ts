import type { ChatPlatform } from '../core/chat-platform';
import type { Platform } from '../core/conversation';
import { DeskmateError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Reminder } from '../core/reminder';
import type { StateStore } from '../core/state-store';

/** Sent and cancelled marks outlive any retry or restart of a reminder's job. */
const markTtlSeconds = 30 * 24 * 60 * 60;

/** The store key that says a reminder was cancelled. */
export function cancelledKey(id: string): string {
  return `reminder-cancelled:${id}`;
}

/** What delivering reminders needs. */
interface ReminderDeliveryOptions {
  platforms: Partial<Record<Platform, ChatPlatform>>;
  store: StateStore;
  logger: Logger;
}

/**
 * Deliver a reminder once: skipped when cancelled or already sent; a post failure throws so the scheduler
 * retries; a run after a crash between posting and marking it sent finds the post instead of posting again.
 */
export function createReminderDelivery(
  options: ReminderDeliveryOptions,
): (reminder: Reminder) => Promise<void> {
  const { store, logger } = options;
  return async (reminder) => {
    const started = Date.now();
    const sentKey = `reminder-sent:${reminder.id}`;
    const postingKey = `reminder-posting:${reminder.id}`;
    const log = logger.child({ reminder: reminder.id, platform: reminder.conversation.platform });
    if (await store.getJson<boolean>(cancelledKey(reminder.id))) {
      log.info({ outcome: 'cancelled' }, 'reminder skipped');
      return;
    }
    if (await store.getJson<boolean>(sentKey)) {
      log.info({ outcome: 'already_sent' }, 'reminder skipped');
      return;
    }
    const platform = options.platforms[reminder.conversation.platform];
    if (!platform) {
      throw new DeskmateError('not_configured', `no adapter for ${reminder.conversation.platform} reminders`);
    }
    const idempotencyKey = `reminder-${reminder.id}`;
    if (platform.findPosted && (await store.getJson<boolean>(postingKey))) {
      const found = await platform.findPosted(reminder.conversation, idempotencyKey);
      if (found) {
        await store.setJson(sentKey, true, markTtlSeconds);
        log.info({ outcome: 'found_after_crash' }, 'reminder skipped');
        return;
      }
    }
    await store.setJson(postingKey, true, markTtlSeconds);
    await platform.post(
      reminder.conversation,
      { markdown: reminder.text, ...(reminder.userId ? { notify: [reminder.userId] } : {}) },
      { idempotencyKey },
    );
    await store.setJson(sentKey, true, markTtlSeconds);
    log.info(
      { outcome: 'sent', lateMs: started - Date.parse(reminder.dueAt), durationMs: Date.now() - started },
      'reminder delivered',
    );
  };
}
