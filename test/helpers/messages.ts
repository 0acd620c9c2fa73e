import type { InboundMessage } from '../../src/core/inbound-message';

let sequence = 0;

/** A console-platform inbound message for tests; fields can be overridden. */
export function inboundMessage(text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  sequence += 1;
  return {
    eventId: `event-${sequence}`,
    messageId: `message-${sequence}`,
    conversation: {
      platform: 'console',
      workspace: 'local',
      channel: 'room',
      thread: 'thread-1',
      kind: 'group',
    },
    author: { id: 'U1', name: 'Alice' },
    text,
    via: 'mention',
    receivedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}
