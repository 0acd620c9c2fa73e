import type { LinkedMessage } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import type { HistoryMessage, HistoryQuery, HistoryResult } from '../../src/core/history-message';
import { unwrap } from './api';
import { contentToText, resolveMentions } from './content';
import type { LarkContext, LarkMessageItem } from './context';
import { fileOfMessage } from './files';
import { forwardedRecordOf } from './forwarded';
import { toLarkMentions } from './normalize';
import { appLinkBase } from './sdk-bridge';

/** Lark's largest history page. */
const historyPageSize = 50;
const linkTtlSeconds = 30 * 24 * 60 * 60;

interface ListPage {
  items?: LarkMessageItem[];
  has_more?: boolean;
  page_token?: string;
}

/** One message by id (`undefined` when Lark does not return it). */
export async function getMessage(
  context: LarkContext,
  messageId: string,
): Promise<LarkMessageItem | undefined> {
  const data = await unwrap<{ items?: LarkMessageItem[] }>(
    'im.v1.message.get',
    context.client.im.v1.message.get({ path: { message_id: messageId } }),
  );
  return data.items?.find((item) => item.message_id === messageId) ?? data.items?.[0];
}

const forwardedPlaceholder = { en: '[forwarded chat record]', zh: '[合并转发的聊天记录]' };

/**
 * A bot's name in a transcript: this app's own name (from its bot info) for its messages; Lark gives no
 * name for other apps' messages, so they are "a bot" (机器人), never their `cli_…` id.
 */
function botName(context: LarkContext, senderId: string | undefined, chinese: boolean): string {
  const own = senderId && senderId === context.appId ? context.appName?.() : undefined;
  return own ?? (chinese ? '机器人' : 'a bot');
}

/** A link that opens the message: Lark's own app link when it gives one, else the thread, else the chat. */
function fallbackLink(context: LarkContext, item: LarkMessageItem, chatId: string): string {
  if (item.message_app_link) return item.message_app_link;
  const base = appLinkBase(context.domain);
  // A thread link names its chat too, as the links Feishu's own "copy link" makes on a thread do
  // (`client/thread/open?open_chat_id=oc_…&open_thread_id=omt_…&openchatid=…&openthreadid=…`); the
  // documented chat link takes `openChatId` (applink-protocol/supported-protocol/open-a-chat-page).
  if (item.thread_id) {
    const chat = encodeURIComponent(item.chat_id ?? chatId);
    const thread = encodeURIComponent(item.thread_id);
    return `${base}/client/thread/open?open_chat_id=${chat}&open_thread_id=${thread}&openchatid=${chat}&openthreadid=${thread}`;
  }
  return `${base}/client/chat/open?openChatId=${encodeURIComponent(chatId)}`;
}

function toHistoryMessage(
  context: LarkContext,
  item: LarkMessageItem,
  conversation: ConversationRef,
): HistoryMessage {
  const chatId = conversation.channel;
  const chinese = context.domain === 'feishu';
  // A forwarded chat record is read on request (its file below); in a transcript it is named, in the
  // language of the deployment's people.
  const raw =
    item.msg_type === 'merge_forward'
      ? forwardedPlaceholder[chinese ? 'zh' : 'en']
      : contentToText(item.msg_type ?? 'text', item.body?.content);
  const { text } = resolveMentions(raw, toLarkMentions(item.mentions), undefined);
  const isBot = item.sender?.sender_type === 'app';
  const file =
    fileOfMessage(item.msg_type, item.body?.content, item.message_id ?? '', conversation) ??
    forwardedRecordOf(item.msg_type, item.message_id ?? '', conversation, chinese ? 'zh' : 'en');
  const name = item.sender?.sender_name || (isBot ? botName(context, item.sender?.id, chinese) : undefined);
  return {
    id: item.message_id ?? '',
    author: {
      id: item.sender?.id ?? '',
      ...(name ? { name } : {}),
    },
    text,
    at: new Date(Number(item.create_time ?? 0)).toISOString(),
    link: fallbackLink(context, item, chatId),
    isBot,
    ...(file && item.message_id ? { files: [file] } : {}),
  };
}

interface Listing {
  containerType: 'chat' | 'thread';
  containerId: string;
  startSeconds?: number;
  keep: (item: LarkMessageItem) => boolean;
  /** A capped channel read keeps the newest messages (a thread keeps its first ones). */
  keepNewest?: boolean;
}

async function collect(
  context: LarkContext,
  listing: Listing,
  conversation: ConversationRef,
  query: HistoryQuery,
): Promise<HistoryResult> {
  const messages: HistoryMessage[] = [];
  let pageToken: string | undefined;
  let passedAfter = !query.afterId;
  let truncated = false;
  for (;;) {
    const page = await unwrap<ListPage>(
      'im.v1.message.list',
      context.client.im.v1.message.list({
        params: {
          container_id_type: listing.containerType,
          container_id: listing.containerId,
          ...(listing.startSeconds !== undefined ? { start_time: String(listing.startSeconds) } : {}),
          sort_type: 'ByCreateTimeAsc',
          page_size: historyPageSize,
          ...(pageToken ? { page_token: pageToken } : {}),
        },
      }),
    );
    const items = page.items ?? [];
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      if (!passedAfter) {
        if (item.message_id === query.afterId) passedAfter = true;
        continue;
      }
      if (item.deleted || item.msg_type === 'system' || !item.message_id || !listing.keep(item)) continue;
      if (messages.length >= query.limit) {
        if (!listing.keepNewest) return { messages, truncated: true };
        messages.shift();
        truncated = true;
      }
      messages.push(toHistoryMessage(context, item, conversation));
    }
    if (!page.has_more || !page.page_token) return { messages, truncated };
    pageToken = page.page_token;
  }
}

/** How far up a quote chain a quote reply's history goes. */
const maxQuotedMessages = 10;

/** The messages a quote reply quotes, up its chain (`parent_id`), oldest first; recalled ones left out. */
async function quotedChain(
  context: LarkContext,
  item: LarkMessageItem | undefined,
): Promise<LarkMessageItem[]> {
  const chain: LarkMessageItem[] = [];
  let parentId = item?.parent_id;
  while (parentId && chain.length < maxQuotedMessages) {
    const parent = await getMessage(context, parentId).catch(() => undefined);
    if (!parent) break;
    if (!parent.deleted && parent.msg_type !== 'system') chain.unshift(parent);
    parentId = parent.parent_id;
  }
  return chain;
}

/**
 * Read a thread, or a chat since a time, oldest first, 50 per page, stopping at the limit (then
 * `truncated`). A thread is read through its `thread_id`; a reply chain without one (a quoted reply in a
 * plain group) from the chat since its root message.
 */
export async function readHistory(
  context: LarkContext,
  conversation: ConversationRef,
  query: HistoryQuery,
): Promise<HistoryResult> {
  const chatId = conversation.channel;
  // A menu conversation is addressed to a person, not a chat: there is nothing to read.
  if (chatId.startsWith('ou_')) return { messages: [], truncated: false };
  const sinceMs = query.since ? Date.parse(query.since) : undefined;
  // Reading resumes after the anchor message; when the anchor is gone (deleted), it reads as if there were none.
  const anchor = query.afterId ? await getMessage(context, query.afterId).catch(() => undefined) : undefined;
  if (query.afterId && (!anchor || anchor.deleted)) query = { ...query, afterId: undefined };
  if (query.thread) {
    const root = query.thread;
    if (root.startsWith('omt_')) {
      return collect(
        context,
        { containerType: 'thread', containerId: root, keep: () => true },
        conversation,
        query,
      );
    }
    const rootItem = await getMessage(context, root);
    if (rootItem?.thread_id) {
      return collect(
        context,
        { containerType: 'thread', containerId: rootItem.thread_id, keep: () => true },
        conversation,
        query,
      );
    }
    const rootSeconds = rootItem?.create_time ? Math.floor(Number(rootItem.create_time) / 1000) : undefined;
    const replies = await collect(
      context,
      {
        containerType: 'chat',
        containerId: chatId,
        startSeconds: rootSeconds,
        keep: (item) => item.message_id === root || item.root_id === root,
      },
      conversation,
      query,
    );
    // A question asked as a quote reply is answered under itself: what it quotes comes first.
    const quoted = query.afterId ? [] : await quotedChain(context, rootItem);
    if (quoted.length === 0) return replies;
    const messages = [
      ...quoted.map((item) => toHistoryMessage(context, item, conversation)),
      ...replies.messages,
    ];
    return {
      messages: messages.slice(0, query.limit),
      truncated: replies.truncated || messages.length > query.limit,
    };
  }
  let startSeconds =
    sinceMs !== undefined && Number.isFinite(sinceMs) ? Math.floor(sinceMs / 1000) : undefined;
  if (query.afterId && anchor?.create_time) {
    startSeconds = Math.max(startSeconds ?? 0, Math.floor(Number(anchor.create_time) / 1000));
  }
  return collect(
    context,
    { containerType: 'chat', containerId: chatId, startSeconds, keep: () => true, keepNewest: true },
    conversation,
    query,
  );
}

/** A link that opens a message; remembered so the same link pasted back resolves to it. */
export async function messageLink(
  context: LarkContext,
  conversation: ConversationRef,
  messageId: string,
): Promise<string | undefined> {
  if (conversation.channel.startsWith('ou_')) return undefined;
  const item = await getMessage(context, messageId).catch(() => undefined);
  const link = fallbackLink(context, item ?? {}, conversation.channel);
  const linked: LinkedMessage = {
    conversation: {
      ...conversation,
      thread: item?.root_id || conversation.thread,
    },
    messageId,
  };
  await context.store.setJson(`lark:link:${link}`, linked, linkTtlSeconds);
  return link;
}

/**
 * The message a pasted link points to: a link Deskmate produced (remembered), or a thread link
 * (`open_thread_id=omt_…`, resolved to its root message) in the tenant of the chat it was pasted in (the
 * bot reads only its own tenant; the job thread never sees an event to learn the tenant key from).
 */
export async function resolveLink(
  context: LarkContext,
  url: string,
  from: ConversationRef,
): Promise<LinkedMessage | undefined> {
  const remembered = await context.store.getJson<LinkedMessage>(`lark:link:${url}`);
  if (remembered) return remembered;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const threadId = parsed.searchParams.get('open_thread_id') ?? parsed.searchParams.get('openthreadid');
  if (!threadId?.startsWith('omt_')) return undefined;
  const page = await unwrap<ListPage>(
    'im.v1.message.list',
    context.client.im.v1.message.list({
      params: {
        container_id_type: 'thread',
        container_id: threadId,
        sort_type: 'ByCreateTimeAsc',
        page_size: 1,
      },
    }),
  ).catch(() => undefined);
  const root = page?.items?.[0];
  if (!root?.message_id || !root.chat_id) return undefined;
  return {
    conversation: {
      platform: 'lark',
      workspace: from.platform === 'lark' ? from.workspace : context.tenantKey(),
      channel: root.chat_id,
      thread: root.message_id,
      kind: 'group',
    },
    messageId: root.message_id,
  };
}
