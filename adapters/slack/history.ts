import type { LinkedMessage } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import type { HistoryMessage, HistoryQuery, HistoryResult } from '../../src/core/history-message';
import type { SlackContext } from './context';
import { isHostedFile, isMediaFile, type SlackFileObject, toSharedFile } from './files';
import { messageContent, type SlackAttachment, type SlackBlock } from './message-content';
import { referencedIds, toReadableText } from './text';

/** Messages asked for per history page (Slack suggests at most 200). */
const historyPageSize = 200;

/** A message as `conversations.history` and `conversations.replies` return it. */
interface SlackHistoryItem {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  reply_count?: number;
  files?: SlackFileObject[];
  /** Integration posts and shared messages keep their content here (read by `messageContent`). */
  attachments?: SlackAttachment[];
  blocks?: SlackBlock[];
}

interface HistoryPage {
  messages?: SlackHistoryItem[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** Notices that are not something anyone wrote (joins, topic changes…). */
const contentSubtypes = new Set([undefined, 'bot_message', 'file_share', 'thread_broadcast', 'me_message']);

/** Slack `ts` ("1700000000.123456") as ISO time. */
function tsToIso(ts: string): string {
  return new Date(Math.round(Number(ts) * 1000)).toISOString();
}

/**
 * A link that opens a message, built from the workspace URL (no API call per message):
 * `https://acme.slack.com/archives/C123/p1700000000123456`, with `thread_ts` for a reply in a thread.
 */
function permalink(workspaceUrl: string, channel: string, ts: string, threadTs?: string): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  const link = `${base}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link;
}

async function toHistoryMessages(
  context: SlackContext,
  items: SlackHistoryItem[],
  conversation: ConversationRef,
): Promise<HistoryMessage[]> {
  const channel = conversation.channel;
  const userIds = new Set<string>();
  const channelIds = new Set<string>();
  // The text, attachments and blocks of each message, once.
  const contents = new Map(items.map((item) => [item, messageContent(item)]));
  for (const item of items) {
    if (item.user) userIds.add(item.user);
    const ids = referencedIds(contents.get(item) ?? '');
    for (const id of ids.users) userIds.add(id);
    for (const id of ids.channels) channelIds.add(id);
  }
  const [users, channels] = await Promise.all([
    context.directory.users([...userIds]),
    context.directory.channelNames([...channelIds]),
  ]);
  const identity = context.identity();
  return items.map((item) => {
    const ts = item.ts ?? '';
    const authorId = item.user ?? item.bot_id ?? '';
    const files = (item.files ?? [])
      .filter((file) => !isMediaFile(file) && isHostedFile(file))
      .flatMap((file) => toSharedFile(file, conversation, ts) ?? []);
    const name = (item.user ? users.get(item.user)?.name : undefined) ?? item.username;
    const isBot =
      Boolean(item.bot_id) || item.subtype === 'bot_message' || users.get(authorId)?.isBot === true;
    const fromSelf = Boolean(
      identity && ((item.bot_id && item.bot_id === identity.botId) || item.user === identity.botUserId),
    );
    return {
      id: ts,
      author: name ? { id: authorId, name } : { id: authorId },
      // The bot's own mention is kept here (as @Deskmate): in history it is part of what people said.
      text: toReadableText(contents.get(item) ?? '', { users, channels }).text,
      at: tsToIso(ts),
      ...(identity?.workspaceUrl
        ? { link: permalink(identity.workspaceUrl, channel, ts, item.thread_ts) }
        : {}),
      isBot,
      ...(identity ? { fromSelf } : {}),
      ...(item.reply_count !== undefined ? { replyCount: item.reply_count } : {}),
      ...(files.length > 0 ? { files } : {}),
    };
  });
}

/** Whether Slack `ts` `left` is later than `right` (compared exactly, not as floating point). */
function isLaterTs(left: string, right: string): boolean {
  const [leftSeconds, leftFraction = '0'] = left.split('.');
  const [rightSeconds, rightFraction = '0'] = right.split('.');
  if (Number(leftSeconds) !== Number(rightSeconds)) return Number(leftSeconds) > Number(rightSeconds);
  return Number(leftFraction.padEnd(6, '0')) > Number(rightFraction.padEnd(6, '0'));
}

function isContent(item: SlackHistoryItem): boolean {
  return Boolean(item.ts) && contentSubtypes.has(item.subtype);
}

/**
 * Read a thread (`conversations.replies`, parent first) or a channel since a time
 * (`conversations.history`), oldest first, 200 a page. A thread keeps its first `limit` messages; a
 * channel its latest `limit` ones (the recent part of a window matters most). Either way `truncated`
 * says when the cap was hit. `afterId` reads only what came after that message.
 */
export async function readHistory(
  context: SlackContext,
  conversation: ConversationRef,
  query: HistoryQuery,
): Promise<HistoryResult> {
  const channel = conversation.channel;
  const limit = Math.max(0, query.limit);
  const after = query.afterId;
  const keep = (item: SlackHistoryItem) => isContent(item) && (!after || isLaterTs(item.ts ?? '0', after));

  if (query.thread) {
    const kept: SlackHistoryItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await context.api.call<HistoryPage>(
        'conversations.replies',
        {
          channel,
          ts: query.thread,
          limit: historyPageSize,
          ...(query.afterId ? { oldest: query.afterId } : {}),
          ...(cursor ? { cursor } : {}),
        },
        { idempotent: true },
      );
      for (const item of page.messages ?? []) {
        if (!keep(item)) continue;
        if (kept.length >= limit)
          return { messages: await toHistoryMessages(context, kept, conversation), truncated: true };
        kept.push(item);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return { messages: await toHistoryMessages(context, kept, conversation), truncated: false };
  }

  const sinceMs = query.since ? Date.parse(query.since) : Number.NaN;
  const since = Number.isFinite(sinceMs) ? (sinceMs / 1000).toFixed(6) : undefined;
  const oldest = after && (!since || isLaterTs(after, since)) ? after : since;
  const newestFirst: SlackHistoryItem[] = [];
  let truncated = false;
  let cursor: string | undefined;
  do {
    const page = await context.api.call<HistoryPage>(
      'conversations.history',
      {
        channel,
        limit: historyPageSize,
        ...(oldest ? { oldest } : {}),
        ...(cursor ? { cursor } : {}),
      },
      { idempotent: true },
    );
    for (const item of page.messages ?? []) {
      if (!keep(item)) continue;
      if (newestFirst.length >= limit) {
        truncated = true;
        break;
      }
      newestFirst.push(item);
    }
    cursor = truncated ? undefined : page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  const oldestFirst = newestFirst.reverse();
  return { messages: await toHistoryMessages(context, oldestFirst, conversation), truncated };
}

/** A link that opens a message: built from the workspace URL, else asked of `chat.getPermalink`. */
export async function messageLink(
  context: SlackContext,
  conversation: ConversationRef,
  messageId: string,
): Promise<string | undefined> {
  const workspaceUrl = context.identity()?.workspaceUrl;
  if (workspaceUrl) return permalink(workspaceUrl, conversation.channel, messageId, conversation.thread);
  try {
    const result = await context.api.call<{ permalink?: string }>(
      'chat.getPermalink',
      { channel: conversation.channel, message_ts: messageId },
      { idempotent: true },
    );
    return result.permalink;
  } catch (error) {
    context.logger.debug({ err: error, channel: conversation.channel }, 'no permalink for message');
    return undefined;
  }
}

/** `…/archives/C123` (a channel) or `…/archives/C123/p1700000000123456` (a message in it). */
const archivesPath = /^\/archives\/([CGD][A-Z0-9]+)(?:\/p(\d{10})(\d{6}))?\/?$/;
/** `app.slack.com/client/T123/C123`, with `/thread/C123-1700000000.123456` for a thread opened beside it. */
const clientPath =
  /^\/client\/([TE][A-Z0-9]+)\/([CGD][A-Z0-9]+)(?:\/thread\/([CGD][A-Z0-9]+)-(\d+\.\d+))?\/?$/;

/**
 * What a pasted Slack link points to, when it is a link into this workspace: a message
 * (`…slack.com/archives/C123/p1700000000123456`, with `thread_ts` for a reply), a whole channel
 * (`…/archives/C123`: no `messageId`), or what the web client shows (`app.slack.com/client/T123/C123`, and
 * `…/thread/C123-1700000000.123456` for a thread). Hosts: the workspace's own (`auth.test`), its Enterprise
 * Grid organization's (`*.enterprise.slack.com`) and `app.slack.com`, whose team id must be this workspace's
 * (an `E…` organization id is taken). Whether the person may read it is checked later, like any source.
 */
export function resolveLink(
  context: SlackContext,
  url: string,
  from: ConversationRef,
): LinkedMessage | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const identity = context.identity();
  const workspace = identity?.teamId ?? (from.platform === 'slack' ? from.workspace : 'slack');
  const place = (channel: string, thread?: string): ConversationRef => ({
    platform: 'slack',
    workspace,
    channel,
    ...(thread ? { thread } : {}),
    kind: channel.startsWith('D') ? 'dm' : 'group',
  });
  const host = parsed.host.toLowerCase();
  if (host === 'app.slack.com') {
    const client = clientPath.exec(parsed.pathname);
    if (!client) return undefined;
    const [, team, channel, threadChannel, threadTs] = client;
    if (team.startsWith('T') && identity?.teamId && team !== identity.teamId) return undefined;
    if (threadTs && threadChannel === channel)
      return { conversation: place(channel, threadTs), messageId: threadTs };
    return { conversation: place(channel) };
  }
  const ownHost = identity?.workspaceUrl ? new URL(identity.workspaceUrl).host.toLowerCase() : undefined;
  const known = ownHost ? host === ownHost : host.endsWith('.slack.com');
  if (!known && !host.endsWith('.enterprise.slack.com')) return undefined;
  const match = archivesPath.exec(parsed.pathname);
  if (!match) return undefined;
  const [, channel, seconds, micros] = match;
  if (!seconds) return { conversation: place(channel) };
  const ts = `${seconds}.${micros}`;
  const threadTs = parsed.searchParams.get('thread_ts');
  return {
    conversation: place(channel, threadTs && /^\d+\.\d+$/.test(threadTs) ? threadTs : ts),
    messageId: ts,
  };
}
