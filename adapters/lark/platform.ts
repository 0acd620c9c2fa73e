import type { ChatPlatform } from '../../src/core/chat-platform';
import type { ConversationAudience, ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { HistoryResult } from '../../src/core/history-message';
import { unwrap } from './api';
import { createCalendarCapability, createTaskCapability } from './capabilities';
import { chatMemberNames, isChatMember } from './chat-members';
import type { LarkContext } from './context';
import { createLarkFiles } from './files';
import { messageLink, readHistory, resolveLink } from './history';
import { postReply, updateReply } from './messages';
import { peopleNames, userProfile } from './people';
import { startStream } from './stream';

const membershipTtlSeconds = 60;
const directOwnerTtlSeconds = 90 * 24 * 60 * 60;

/** Where the person a direct chat belongs to is remembered (learned from their messages). */
function directOwnerKey(chatId: string): string {
  return `lark:p2p-owner:${chatId}`;
}

/**
 * Whether the person may read the conversation: a member of the group (chat members, 100 a page), or
 * the person a direct chat is with. Answers are cached for a minute.
 */
async function isMember(
  context: LarkContext,
  conversation: ConversationRef,
  userId: string,
): Promise<boolean> {
  if (conversation.channel === userId) return true;
  if (conversation.kind === 'dm') {
    const owner = await context.store.getJson<string>(directOwnerKey(conversation.channel));
    if (owner !== undefined) return owner === userId;
  }
  const key = `lark:member:${conversation.channel}:${userId}`;
  const cached = await context.store.getJson<boolean>(key);
  if (cached !== undefined) return cached;
  const member = await isChatMember(context, conversation.channel, userId);
  await context.store.setJson(key, member, membershipTtlSeconds);
  return member;
}

const audienceTtlSeconds = 5 * 60;

/**
 * Who can read a chat (`im.v1.chat.get`, cached five minutes): a public group is open to the tenant;
 * private groups and direct chats only to their members; an external group has outsiders. A chat Deskmate
 * cannot look up counts as members-only with outsiders, so a reply about it or in it is kept private.
 */
async function audience(context: LarkContext, conversation: ConversationRef): Promise<ConversationAudience> {
  if (conversation.kind === 'dm') return { openTo: 'members', external: false };
  const key = `lark:audience:${conversation.workspace}:${conversation.channel}`;
  const cached = await context.store.getJson<ConversationAudience>(key);
  if (cached) return cached;
  let found: ConversationAudience;
  try {
    const data = await unwrap<{ chat_mode?: string; chat_type?: string; external?: boolean }>(
      'im.v1.chat.get',
      context.client.im.v1.chat.get({ path: { chat_id: conversation.channel } }),
    );
    found = {
      openTo: data.chat_mode !== 'p2p' && data.chat_type === 'public' ? 'workspace' : 'members',
      external: data.external === true,
    };
  } catch (error) {
    if (!isDeskmateError(error) || (error.code !== 'forbidden' && error.code !== 'not_found')) throw error;
    context.logger.info({ chatId: conversation.channel, code: error.code }, 'chat not visible; kept private');
    return { openTo: 'members', external: true };
  }
  await context.store.setJson(key, found, audienceTtlSeconds);
  return found;
}

/** Lark's message list gives sender ids only: add the people's names, so transcripts and owners read right. */
async function withAuthorNames(
  context: LarkContext,
  conversation: ConversationRef,
  result: HistoryResult,
): Promise<HistoryResult> {
  const unnamed = result.messages
    .filter((message) => !message.isBot && !message.author.name && message.author.id)
    .map((message) => message.author.id);
  if (unnamed.length === 0) return result;
  const names = await peopleNames(context, unnamed, [conversation.channel]);
  return {
    ...result,
    messages: result.messages.map((message) => {
      const name = names.get(message.author.id);
      return name && !message.author.name ? { ...message, author: { ...message.author, name } } : message;
    }),
  };
}

/** Remember whose direct chat this is, for membership checks on it. */
async function rememberDirectOwner(context: LarkContext, chatId: string, userId: string): Promise<void> {
  await context.store.setJson(directOwnerKey(chatId), userId, directOwnerTtlSeconds);
}

/**
 * Create the Lark port for skills: history, membership, cards, streaming through CardKit, tasks, calendar, and
 * shared files and linked Docs.
 */
export function createLarkPlatform(context: LarkContext): ChatPlatform {
  return {
    name: 'lark',
    // Feishu (China) users know the app as 飞书, not as Lark.
    displayName: /^feishu$|feishu\.cn/i.test(context.domain) ? 'Feishu (飞书)' : 'Lark',
    history: async (conversation, query) =>
      withAuthorNames(context, conversation, await readHistory(context, conversation, query)),
    isMember: (conversation, userId) => isMember(context, conversation, userId),
    audience: (conversation) => audience(context, conversation),
    post: (conversation, reply, options) => postReply(context, conversation, reply, options),
    update: (conversation, message, reply) => updateReply(context, conversation, message, reply),
    stream: (conversation, options) => startStream(context, conversation, options),
    messageLink: (conversation, messageId) => messageLink(context, conversation, messageId),
    resolveLink: (url, from) => resolveLink(context, url, from),
    prepareMessage: async (message) => {
      // Whose direct chat this is, for membership checks on it: learned here, off the acknowledgement path.
      if (message.conversation.kind === 'dm') {
        await rememberDirectOwner(context, message.conversation.channel, message.author.id);
      }
      const profile = await userProfile(context, message.author.id);
      // Someone the contact directory does not answer for is named as the chat lists them.
      const name =
        message.author.name ??
        profile.name ??
        (await chatMemberNames(context, message.conversation.channel))[message.author.id];
      return {
        ...message,
        author: {
          ...message.author,
          ...(name ? { name } : {}),
          ...(profile.timezone ? { timezone: profile.timezone } : {}),
        },
      };
    },
    tasks: createTaskCapability(context),
    calendar: createCalendarCapability(context),
    files: createLarkFiles(context),
  };
}
