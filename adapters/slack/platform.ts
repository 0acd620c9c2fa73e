import type { ChatPlatform } from '../../src/core/chat-platform';
import type { ConversationAudience, ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { SlackContext } from './context';
import { createSlackFiles } from './files';
import { messageLink, readHistory, resolveLink } from './history';
import { findPostedReply, postReply, updateReply } from './messages';
import { prepareSlackMessage } from './prepare';
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

const audienceTtlSeconds = 5 * 60;

/**
 * Who can read a channel (`conversations.info`, cached five minutes): a public channel is open to the
 * workspace; private channels, direct and group messages only to their members; a channel shared with
 * another organization (Slack Connect: `is_ext_shared`, or `is_pending_ext_shared` while the invitation is
 * open) has outsiders. `is_shared` alone is no sign of outsiders: it is also set on Enterprise Grid channels
 * shared between workspaces of the same organization (`is_org_shared`), per
 * https://docs.slack.dev/reference/objects/conversation-object. A channel Deskmate cannot look up counts as
 * members-only with outsiders, so a reply about it or in it is kept private.
 */
async function audience(context: SlackContext, conversation: ConversationRef): Promise<ConversationAudience> {
  const key = `slack:audience:${conversation.workspace}:${conversation.channel}`;
  const cached = await context.store.getJson<ConversationAudience>(key);
  if (cached) return cached;
  let found: ConversationAudience;
  try {
    const result = await context.api.call<{
      channel?: {
        is_im?: boolean;
        is_mpim?: boolean;
        is_private?: boolean;
        is_ext_shared?: boolean;
        is_pending_ext_shared?: boolean;
      };
    }>('conversations.info', { channel: conversation.channel }, { idempotent: true });
    const channel = result.channel ?? {};
    const membersOnly = Boolean(channel.is_im || channel.is_mpim || channel.is_private);
    found = {
      openTo: membersOnly ? 'members' : 'workspace',
      external: Boolean(channel.is_ext_shared || channel.is_pending_ext_shared),
    };
  } catch (error) {
    if (!isDeskmateError(error) || (error.code !== 'forbidden' && error.code !== 'not_found')) throw error;
    context.logger.info(
      { channel: conversation.channel, code: error.code },
      'channel not visible; kept private',
    );
    return { openTo: 'members', external: true };
  }
  await context.store.setJson(key, found, audienceTtlSeconds);
  return found;
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
 * ephemeral answers, streaming, assistant status, links both ways, user timezones, and shared files.
 */
export function createSlackPlatform(context: SlackContext): ChatPlatform {
  return {
    name: 'slack',
    history: (conversation, query) => readHistory(context, conversation, query),
    isMember: (conversation, userId) => isMember(context, conversation, userId),
    audience: (conversation) => audience(context, conversation),
    post: (conversation, reply, options) => postReply(context, conversation, reply, options),
    findPosted: (conversation, idempotencyKey) => findPostedReply(context, conversation, idempotencyKey),
    update: (conversation, message, reply) => updateReply(context, conversation, message, reply),
    stream: (conversation, options) => startStream(context, conversation, options),
    setStatus: (conversation, status) => setStatus(context, conversation, status),
    messageLink: (conversation, messageId) => messageLink(context, conversation, messageId),
    resolveLink: async (url, from) => resolveLink(context, url, from),
    prepareMessage: (message) => prepareSlackMessage(context, message),
    files: createSlackFiles(context),
  };
}
