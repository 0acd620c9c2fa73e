import type { ConversationRef } from '../../src/core/conversation';
import type { CommandInvocation, InboundMessage, UnreadablePart } from '../../src/core/inbound-message';
import { contentToText, type LarkMention, resolveMentions } from './content';
import { fileOfMessage } from './files';
import { forwardedRecordOf } from './forwarded';
import { decodeButtonValue } from './render';
import type { LarkDomain } from './sdk-bridge';

/** The fields of an `im.message.receive_v1` event the adapter reads (header and event merged by the SDK). */
export interface LarkMessageEvent {
  event_id?: string;
  uuid?: string;
  tenant_key?: string;
  sender?: {
    sender_id?: { open_id?: string; union_id?: string; user_id?: string };
    sender_type?: string;
    tenant_key?: string;
  };
  message?: {
    message_id?: string;
    root_id?: string;
    parent_id?: string;
    thread_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    create_time?: string;
    /** The sender's client, e.g. `… Lark/6.7.5 LarkLocale/en_US …` (its locale says the person's language). */
    user_agent?: string;
    mentions?: Array<{
      key?: string;
      name?: string;
      mentioned_type?: string;
      id?: { open_id?: string; union_id?: string; user_id?: string } | string;
    }>;
  };
}

/** The fields of an `application.bot.menu_v6` event. */
export interface LarkMenuEvent {
  event_id?: string;
  tenant_key?: string;
  event_key?: string;
  operator?: { operator_name?: string; operator_id?: { open_id?: string } };
}

/** The fields of a `card.action.trigger` callback. */
export interface LarkCardActionEvent {
  event_id?: string;
  tenant_key?: string;
  operator?: { open_id?: string; tenant_key?: string; name?: string };
  action?: { value?: unknown; tag?: string };
  context?: { open_message_id?: string; open_chat_id?: string };
  open_message_id?: string;
  open_chat_id?: string;
}

/** What normalizing needs besides the event. */
/** The fields of an `im.message.recalled_v1` event Deskmate reads (header fields merged by the SDK). */
export interface LarkRecallEvent {
  event_id?: string;
  tenant_key?: string;
  message_id?: string;
  chat_id?: string;
  recall_time?: string;
  recall_type?: string;
}

interface NormalizeContext {
  /** The bot's own open_id (from `/open-apis/bot/v3/info`), when known. */
  botOpenId?: string;
  /** The current time. */
  now: () => Date;
  /** The configured domain: a Feishu deployment's people are taken to speak Chinese when their client does not say. */
  domain?: LarkDomain;
}

const clientLocale = /\bLarkLocale\/([a-z]{2,3})(?:[_-]([a-z]{2,4}))?\b/i;

/**
 * The person's locale (BCP 47): their client's `LarkLocale/…` in the message's user agent, else Chinese on a
 * Feishu deployment, else unknown. It decides the language of an answer to a message with no words.
 */
export function messageLocale(
  userAgent: string | undefined,
  domain: LarkDomain | undefined,
): string | undefined {
  const match = userAgent ? clientLocale.exec(userAgent) : null;
  if (match) return match[2] ? `${match[1].toLowerCase()}-${match[2].toUpperCase()}` : match[1].toLowerCase();
  return domain === 'feishu' ? 'zh-CN' : undefined;
}

/** Mentions of an event or a history item (`id` is an object in events, a string in history). */
export function toLarkMentions(
  mentions: NonNullable<LarkMessageEvent['message']>['mentions'],
): LarkMention[] {
  return (mentions ?? []).map((mention) => ({
    key: mention.key ?? '',
    name: mention.name ?? '',
    openId: typeof mention.id === 'string' ? mention.id : mention.id?.open_id,
    mentionedType: mention.mentioned_type,
  }));
}

const slashCommand = /^\/([^\s/]+)\s*([\s\S]*)$/u;

/**
 * The text with the mentions it starts with moved to its end (`@所有人 总结` → `总结 @所有人`), so a command
 * word written after them is still the first word; a text of mentions only stays as it is.
 */
export function commandFirst(text: string, names: readonly string[]): string {
  const candidates = [...new Set(['所有人', ...names.filter(Boolean)])].sort(
    (left, right) => right.length - left.length,
  );
  const leading: string[] = [];
  let rest = text;
  for (;;) {
    const name = candidates.find(
      (candidate) => rest.startsWith(`@${candidate}`) && /^(?:\s|$)/u.test(rest.slice(candidate.length + 1)),
    );
    if (!name) break;
    leading.push(`@${name}`);
    rest = rest.slice(name.length + 1).trimStart();
  }
  return leading.length > 0 && rest ? `${rest} ${leading.join(' ')}` : text;
}

/** A `/command args` text, as a command invocation. */
function parseSlashCommand(text: string): CommandInvocation | undefined {
  const match = slashCommand.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1].toLowerCase(), args: match[2].trim() };
}

/** Message types whose words Deskmate reads. */
const readableTypes = new Set(['text', 'post', 'interactive']);

/** What an unread message type is, for the answer that says so. */
function unreadableType(messageType: string): UnreadablePart {
  switch (messageType) {
    case 'image':
      return { kind: 'image' };
    case 'file':
      // A file message whose content names no file (Deskmate reads the ones that do).
      return { kind: 'file' };
    case 'audio':
      return { kind: 'audio' };
    case 'media':
      return { kind: 'video' };
    case 'sticker':
      return { kind: 'sticker' };
    default:
      return { kind: 'other', type: messageType.slice(0, 40) };
  }
}

/** Images and videos inside rich text, which only their words are read of. */
function unreadableInPost(messageType: string, content: string | undefined): UnreadablePart[] {
  if (messageType !== 'post' || !content) return [];
  const parts: UnreadablePart[] = [];
  if (/"tag"\s*:\s*"img"/.test(content)) parts.push({ kind: 'image' });
  if (/"tag"\s*:\s*"media"/.test(content)) parts.push({ kind: 'video' });
  return parts;
}

/**
 * Turn a received message into Deskmate's message, or `undefined` when Deskmate should not answer it:
 * messages from bots and apps, and group messages that do not mention the bot.
 */
export function normalizeMessageEvent(
  event: LarkMessageEvent,
  context: NormalizeContext,
): InboundMessage | undefined {
  const message = event.message;
  const authorId = event.sender?.sender_id?.open_id;
  if (!message?.message_id || !message.chat_id || !authorId) return undefined;
  if (event.sender?.sender_type && event.sender.sender_type !== 'user') return undefined;
  const isDirect = message.chat_type === 'p2p';
  const messageType = message.message_type ?? 'text';
  // Only text, rich text and cards are read as words; files and forwarded chat records on request; anything
  // else is named in the answer, never sent on as text.
  const readable = readableTypes.has(messageType);
  const raw = readable ? contentToText(messageType, message.content) : '';
  const mentions = toLarkMentions(message.mentions);
  const resolved = resolveMentions(raw, mentions, context.botOpenId);
  if (!isDirect && !resolved.botMentioned) return undefined;
  const text = commandFirst(
    resolved.text,
    resolved.mentioned.map((mention) => mention.name),
  );

  // Lark sets root_id and parent_id on every reply, a quote reply as much as a reply in a thread; only a
  // message in a thread (topic) has a thread_id, and its root_id is the thread's first message
  // (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro, root_id 与 parent_id).
  const inThread = Boolean(message.thread_id);
  const root = inThread ? message.root_id || undefined : undefined;
  const conversation: ConversationRef = {
    platform: 'lark',
    workspace: event.tenant_key ?? event.sender?.tenant_key ?? 'lark',
    channel: message.chat_id,
    // A group answer goes in the message's thread, or in a new one under the asker's own message (a quote
    // reply's too: never a new topic under the quoted chain's root); a direct conversation stays one
    // conversation unless the person wrote inside a thread.
    thread: isDirect ? root : (root ?? message.message_id),
    kind: isDirect ? 'dm' : 'group',
  };
  const command = parseSlashCommand(text);
  // A file message's file is read when a skill asks (through the message resources API, on the job side).
  const locale = messageLocale(message.user_agent, context.domain);
  const file =
    fileOfMessage(messageType, message.content, message.message_id, conversation) ??
    forwardedRecordOf(messageType, message.message_id, conversation, locale?.startsWith('zh') ? 'zh' : 'en');
  const unreadable = readable
    ? unreadableInPost(messageType, message.content)
    : file
      ? []
      : [unreadableType(messageType)];
  return {
    eventId: event.event_id ?? event.uuid ?? message.message_id,
    messageId: message.message_id,
    conversation,
    author: { id: authorId },
    text,
    via: isDirect ? 'dm' : 'mention',
    ...(command ? { command } : {}),
    inThread,
    ...(message.parent_id ? { replyTo: message.parent_id } : {}),
    ...(unreadable.length > 0 ? { unreadable } : {}),
    ...(file ? { files: [file] } : {}),
    mentions: resolved.mentioned
      .filter((mention) => mention.openId)
      .map((mention) => ({ id: mention.openId as string, name: mention.name })),
    ...(locale ? { locale } : {}),
    receivedAt: context.now().toISOString(),
    platformData: {
      messageType: message.message_type ?? 'text',
      ...(message.thread_id ? { threadId: message.thread_id } : {}),
    },
  };
}

/** A bot menu click: the menu's event key is the command (`summarize`, `help`, …), answered in the person's chat with the bot. */
export function normalizeMenuEvent(
  event: LarkMenuEvent,
  context: NormalizeContext,
): InboundMessage | undefined {
  const userId = event.operator?.operator_id?.open_id;
  const key = event.event_key?.trim();
  if (!userId || !key || !event.event_id) return undefined;
  const [name, ...rest] = key.split(/[\s:]+/);
  const locale = messageLocale(undefined, context.domain);
  return {
    eventId: event.event_id,
    messageId: event.event_id,
    // No chat comes with a menu click: the channel is the person's open_id, and posts go to them directly.
    conversation: { platform: 'lark', workspace: event.tenant_key ?? 'lark', channel: userId, kind: 'dm' },
    author: { id: userId, ...(event.operator?.operator_name ? { name: event.operator.operator_name } : {}) },
    text: key,
    via: 'command',
    command: { name: name.toLowerCase(), args: rest.join(' '), menu: true },
    // A menu click carries no client: on Feishu the person is taken to read Chinese.
    ...(locale ? { locale } : {}),
    receivedAt: context.now().toISOString(),
  };
}

/** A card button click on one of Deskmate's buttons; `undefined` for anything else. */
export function normalizeCardAction(
  event: LarkCardActionEvent,
  context: NormalizeContext,
): InboundMessage | undefined {
  const userId = event.operator?.open_id;
  const button = decodeButtonValue(event.action?.value);
  const chatId = event.context?.open_chat_id ?? event.open_chat_id;
  const sourceMessageId = event.context?.open_message_id ?? event.open_message_id;
  if (!userId || !button || !chatId || !event.event_id) return undefined;
  return {
    eventId: event.event_id,
    messageId: event.event_id,
    conversation: {
      platform: 'lark',
      workspace: event.tenant_key ?? event.operator?.tenant_key ?? 'lark',
      channel: chatId,
      ...(button.thread ? { thread: button.thread } : {}),
      kind: button.kind,
    },
    author: { id: userId, ...(event.operator?.name ? { name: event.operator.name } : {}) },
    text: '',
    via: 'action',
    action: {
      skill: button.skill,
      action: button.action,
      value: button.value,
      ...(sourceMessageId ? { sourceMessageId } : {}),
    },
    receivedAt: context.now().toISOString(),
  };
}

/**
 * A recalled message, from the payload alone: no one's request (`via: 'event'`); the job removes the
 * knowledge sources made from the files it carried. Its message id is its own, so it never dedupes against the
 * recalled message's delivery.
 */
export function normalizeRecallEvent(
  event: LarkRecallEvent,
  context: NormalizeContext,
): InboundMessage | undefined {
  if (!event.message_id || !event.chat_id || !event.event_id) return undefined;
  return {
    eventId: event.event_id,
    messageId: `recalled:${event.message_id}`,
    conversation: {
      platform: 'lark',
      workspace: event.tenant_key ?? 'lark',
      channel: event.chat_id,
      kind: 'group',
    },
    author: { id: '' },
    text: '',
    via: 'event',
    removed: { kind: 'message', messageId: event.message_id },
    receivedAt: context.now().toISOString(),
  };
}
