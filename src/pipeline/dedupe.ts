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

/** The one key that identifies a message across deliveries and event ids: its message id, else its event id. */
export function messageDedupeKey(message: InboundMessage): string {
  return dedupeKeys(message).at(-1) as string;
}

/** What a claim found: the message is new, or an earlier delivery had the same event id, or the same message. */
export type Claim = 'claimed' | 'same-event' | 'same-message';

/** Claim a message for processing; a new event id carrying a message already seen (app_mention + message of one post) is `same-message`. */
export async function claimMessage(store: StateStore, message: InboundMessage): Promise<Claim> {
  const taken = await store.claimKeys(dedupeKeys(message), dedupeTtlSeconds);
  if (taken === -1) return 'claimed';
  return taken === 0 ? 'same-event' : 'same-message';
}

/** A job id derived from the event id, safe for BullMQ (no colons). */
export function jobIdFor(message: InboundMessage): string {
  return `${message.conversation.platform}-${message.eventId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}
