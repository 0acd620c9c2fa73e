import type { PostedMessageRef } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { unwrap } from './api';
import type { LarkContext, LarkMessageItem } from './context';
import { getMessage } from './history';

/**
 * Lark sends at most one message per `uuid` within an hour ("持有相同 uuid 的请求，在 1 小时内至多成功发送一条
 * 消息", `uuid` of https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create and
 * …/reply). A send retried later than this (with a margin) looks for the first one instead of relying on it.
 */
const uuidWindowMs = 50 * 60 * 1000;
/** How long after its first attempt a send is looked for (a send is made right after it is recorded). */
const lookupWindowMs = 2 * 60 * 1000;
/** How long a send's first attempt is remembered (jobs are retried for less than this). */
const attemptTtlSeconds = 7 * 24 * 60 * 60;
const maxLookupPages = 4;

/** When a send with this `uuid` was first attempted, and the message it posted once known. */
interface SendAttempt {
  at: number;
  message?: PostedMessageRef;
}

function attemptKey(uuid: string): string {
  return `lark:send:${uuid}`;
}

function senderKey(messageId: string): string {
  return `lark:sent-by:${messageId}`;
}

/** Remember which message a send posted, so a late retry finds it, and a lookup never takes another's. */
export async function rememberSent(context: LarkContext, uuid: string, ref: PostedMessageRef): Promise<void> {
  const attempt = await context.store.getJson<SendAttempt>(attemptKey(uuid));
  const at = attempt?.at ?? context.now().getTime();
  await context.store.setJson(attemptKey(uuid), { at, message: ref }, attemptTtlSeconds);
  await context.store.setJson(senderKey(ref.id), uuid, attemptTtlSeconds);
}

/**
 * The message an earlier attempt of this send posted, when that attempt is older than Lark's `uuid` window:
 * the one recorded for it, else (the attempt died before recording it) the bot's first message, not recorded
 * as another send's, in the thread (replying to the thread's root) or the chat (outside any thread) within
 * two minutes after the attempt. A send with no earlier attempt, or one
 * within the window (Lark returns the first message itself), is recorded and `undefined` is returned.
 */
export async function earlierPost(
  context: LarkContext,
  conversation: ConversationRef,
  uuid: string,
): Promise<PostedMessageRef | undefined> {
  const now = context.now().getTime();
  const attempt = await context.store.getJson<SendAttempt>(attemptKey(uuid));
  if (!attempt) {
    await context.store.setJson(attemptKey(uuid), { at: now }, attemptTtlSeconds);
    return undefined;
  }
  if (now - attempt.at < uuidWindowMs) return undefined;
  if (attempt.message) return attempt.message;
  const found = await findPost(context, conversation, attempt.at, uuid);
  context.logger.info(
    { channel: conversation.channel, ageMs: now - attempt.at, found: Boolean(found) },
    'send retried after the uuid window; looked for the earlier post',
  );
  // Not found: the earlier attempt did not post. The new send starts a new window.
  if (!found) await context.store.setJson(attemptKey(uuid), { at: now }, attemptTtlSeconds);
  return found;
}

/**
 * The bot's first message in the conversation's place posted within the lookup window after `at` that no
 * other send is recorded to have posted.
 */
async function findPost(
  context: LarkContext,
  conversation: ConversationRef,
  at: number,
  uuid: string,
): Promise<PostedMessageRef | undefined> {
  const thread = conversation.thread;
  const root = thread ? await getMessage(context, thread).catch(() => undefined) : undefined;
  // A reply that opened or joined a thread is listed in the thread; any other send in the chat.
  const container = root?.thread_id
    ? { type: 'thread', id: root.thread_id }
    : { type: 'chat', id: conversation.channel };
  const isOurs = (item: LarkMessageItem) => {
    const created = Number(item.create_time ?? 0);
    if (item.sender?.sender_type !== 'app' || item.deleted || created < at - 1000) return false;
    if (created > at + lookupWindowMs) return false;
    return thread ? item.parent_id === thread || item.root_id === thread : !item.root_id;
  };
  let pageToken: string | undefined;
  for (let page = 0; page < maxLookupPages; page += 1) {
    const data = await unwrap<{ items?: LarkMessageItem[]; has_more?: boolean; page_token?: string }>(
      'im.v1.message.list',
      context.client.im.v1.message.list({
        params: {
          container_id_type: container.type,
          container_id: container.id,
          start_time: String(Math.floor(at / 1000) - 1),
          end_time: String(Math.ceil((at + lookupWindowMs) / 1000)),
          sort_type: 'ByCreateTimeAsc',
          page_size: 50,
          ...(pageToken ? { page_token: pageToken } : {}),
        },
      }),
    );
    for (const item of (data.items ?? []).filter(isOurs)) {
      const sender = item.message_id ? await context.store.getJson<string>(senderKey(item.message_id)) : uuid;
      if (item.message_id && (!sender || sender === uuid))
        return { id: item.message_id, channel: item.chat_id ?? conversation.channel };
    }
    if (!data.has_more || !data.page_token) return undefined;
    pageToken = data.page_token;
  }
  return undefined;
}
