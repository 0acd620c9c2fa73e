import type { InboundMessage } from '../core/inbound-message';
import type { StateStore } from '../core/state-store';

/** How long an event id is remembered: longer than Lark's ~7.1 h retry window and Slack's minutes. */
export const dedupeTtlSeconds = 9 * 60 * 60;

/** The keys a message dedupes on: its event id, and its platform message id. */
export function dedupeKeys(message: InboundMessage): string[] {
  const platform = message.conversation.platform;
  const keys = [`${platform}:event:${message.eventId}`];
  if (message.messageId && message.messageId !== message.eventId) {
    keys.push(`${platform}:message:${message.messageId}`);
  }
  return keys;
}

/** Claim a message for processing; false when an earlier delivery already claimed it. */
export async function claimMessage(store: StateStore, message: InboundMessage): Promise<boolean> {
  for (const key of dedupeKeys(message)) {
    // A new event id carrying a message already seen (app_mention + message of one post) stays a duplicate.
    if (!(await store.markSeen(key, dedupeTtlSeconds))) return false;
  }
  return true;
}

/** A job id derived from the event id, with no colons. */
export function jobIdFor(message: InboundMessage): string {
  return `${message.conversation.platform}-${message.eventId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}
