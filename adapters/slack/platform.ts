import type { ChatPlatform } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import type { SlackContext } from './context';
import { messageLink, readHistory, resolveLink } from './history';
import { findPostedReply, postReply, updateReply } from './messages';
import { startStream } from './stream';

const memberPageSize = 1000;
const maxMemberPages = 100;
const membershipTtlSeconds = 60;

/**
 * Whether the person may read the conversation: a member of it (`conversations.members`, 1,000 a page;
 * a direct message's two members included). Answers are cached for a minute.
 */
async function isMember(
  context: SlackContext,
  conversation: ConversationRef,
  userId: string,
): Promise<boolean> {
  const key = `slack:member:${conversation.channel}:${userId}`;
  const cached = await context.store.getJson<boolean>(key);
  if (cached !== undefined) return cached;
  let member = false;
  let cursor: string | undefined;
  let page = 0;
  do {
    const result = await context.api.call<{
      members?: string[];
      response_metadata?: { next_cursor?: string };
    }>(
      'conversations.members',
      { channel: conversation.channel, limit: memberPageSize, ...(cursor ? { cursor } : {}) },
      { idempotent: true },
    );
    member = result.members?.includes(userId) ?? false;
    cursor = result.response_metadata?.next_cursor || undefined;
    page += 1;
  } while (!member && cursor && page < maxMemberPages);
  if (!member && cursor) {
    context.logger.warn(
      { channel: conversation.channel, pages: page },
      'channel too large to check membership; refusing',
    );
  }
  await context.store.setJson(key, member, membershipTtlSeconds);
  return member;
}

/** Show "is thinking…"-style status in an assistant thread; cosmetic, so failures are only logged. */
async function setStatus(
  context: SlackContext,
  conversation: ConversationRef,
  status: string,
): Promise<void> {
  if (!conversation.thread) return;
  try {
    await context.api.call(
      'assistant.threads.setStatus',
      { channel_id: conversation.channel, thread_ts: conversation.thread, status: status.slice(0, 250) },
      { idempotent: true },
    );
  } catch (error) {
    context.logger.debug({ err: error, channel: conversation.channel }, 'assistant status not set');
  }
}

/**
 * Create the Slack port for skills: history with permalinks, membership, posts and updates in threads,
 * ephemeral answers, streaming, assistant status, links both ways, and user timezones.
 */
export function createSlackPlatform(context: SlackContext): ChatPlatform {
  return {
    name: 'slack',
    history: (conversation, query) => readHistory(context, conversation, query),
    isMember: (conversation, userId) => isMember(context, conversation, userId),
    post: (conversation, reply, options) => postReply(context, conversation, reply, options),
    findPosted: (conversation, idempotencyKey) => findPostedReply(context, conversation, idempotencyKey),
    update: (conversation, message, reply) => updateReply(context, conversation, message, reply),
    stream: (conversation, options) => startStream(context, conversation, options),
    setStatus: (conversation, status) => setStatus(context, conversation, status),
    messageLink: (conversation, messageId) => messageLink(context, conversation, messageId),
    resolveLink: async (url, from) => resolveLink(context, url, from),
    userTimezone: async (userId) => (await context.directory.users([userId])).get(userId)?.timezone,
  };
}
