import { createHash, randomUUID } from 'node:crypto';
import type { PostedMessageRef, PostOptions } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply, ReplyFile } from '../../src/core/reply';
import { SlackApiError } from './api';
import { type SlackContext, slackPlatformData } from './context';
import { type FileNote, type RenderedMessage, renderReply as render } from './render';

/** Ids of answers sent through a `response_url` (and of private cards clicked) start with this. */
export const responseUrlPrefix = 'response-url:';
/** Slack accepts `response_url` posts for 30 minutes. */
export const responseUrlTtlSeconds = 30 * 60;
/**
 * Slack accepts at most 5 posts to one `response_url` within its 30 minutes
 * (https://api.slack.com/interactivity/handling#message_responses).
 */
const responseUrlMaxUses = 5;

/**
 * What a `response_url` record says: where to post, and whether a post there replaces the message (true
 * for the URL of a click on a private card: `replace_original` replaces the card clicked). A message
 * posted through a slash command's URL cannot be replaced: `replace_original` there adds a new message
 * (slackapi/bolt-python#1268, slackapi/bolt-js#2287).
 */
export interface ResponseUrlRecord {
  url: string;
  replaces?: boolean;
}

/** The store key of a response_url record. */
export function responseUrlKey(id: string): string {
  return `slack:response-url:${id}`;
}
const fileMarkTtlSeconds = 24 * 60 * 60;

/** The message fields of a rendered reply (an empty reply still has a fallback text). */
export function messageFields(rendered: RenderedMessage): Record<string, unknown> {
  return {
    text: rendered.text || '…',
    ...(rendered.blocks.length > 0 ? { blocks: rendered.blocks } : {}),
  };
}

/** Whether Slack refused a post because Deskmate is not in the channel (or cannot see it). */
export function cannotPostThere(error: unknown): boolean {
  return isDeskmateError(error) && error.code === 'forbidden';
}

/** Errors of `chat.postEphemeral` after which the person is still reached in a direct message. */
const ephemeralRefusals = new Set([
  'user_not_in_channel',
  'not_in_channel',
  'channel_not_found',
  'is_archived',
]);

function cannotShowEphemeral(error: unknown): boolean {
  return error instanceof SlackApiError && ephemeralRefusals.has(error.slackError);
}

/** The person's direct message with Deskmate (`conversations.open`, scope `im:write`). */
async function directChannel(context: SlackContext, userId: string): Promise<string> {
  const opened = await context.api.call<{ channel?: { id?: string } }>(
    'conversations.open',
    { users: userId },
    { idempotent: true },
  );
  const channel = opened.channel?.id;
  if (!channel)
    throw new SlackApiError('platform_error', 'Slack conversations.open returned no channel', {
      method: 'conversations.open',
      slackError: 'no_channel',
      retryable: false,
    });
  return channel;
}

/**
 * Whether the conversation is the person's own direct message with Deskmate (`conversations.open` names it; a
 * slash command's payload says only "a direct message", which may be between two people). A private answer
 * there is an ordinary message: no one else reads it, and an ephemeral one would vanish on reload.
 */
async function isOwnDirectMessage(
  context: SlackContext,
  conversation: ConversationRef,
  userId: string,
): Promise<boolean> {
  if (conversation.kind !== 'dm' || !conversation.channel.startsWith('D')) return false;
  try {
    return (await directChannel(context, userId)) === conversation.channel;
  } catch (error) {
    context.logger.debug({ err: error, channel: conversation.channel }, 'direct message not identified');
    return false;
  }
}

/**
 * A private answer's file (an `.ics` invite) goes to the person's direct message with Deskmate: an
 * ephemeral message or a response_url post cannot carry a file.
 */
async function uploadPrivately(
  context: SlackContext,
  userId: string,
  ref: PostedMessageRef,
  file: ReplyFile,
): Promise<void> {
  try {
    const channel = await directChannel(context, userId);
    const mark = `slack:file:${channel}:${ref.id}:${file.filename}`;
    if (!(await context.store.markSeen(mark, fileMarkTtlSeconds))) return;
    await context.api.call('files.uploadV2', {
      channel_id: channel,
      content: file.content,
      filename: file.filename,
      title: file.filename,
    });
  } catch (error) {
    context.logger.warn({ err: error, bytes: file.content.length }, 'private file upload failed');
  }
}

/**
 * Answer privately in the person's direct message with Deskmate: where an ephemeral message cannot be
 * shown (they are not in the channel, or Deskmate is not).
 */
async function postDirect(context: SlackContext, userId: string, reply: Reply): Promise<PostedMessageRef> {
  const channel = await directChannel(context, userId);
  const result = await context.api.call<{ ts?: string }>('chat.postMessage', {
    channel,
    ...messageFields(render(reply, { fileNote: 'name' })),
    unfurl_links: false,
    unfurl_media: false,
  });
  context.logger.info({ channel }, 'answered privately in a direct message (no ephemeral possible)');
  return { id: result.ts ?? '', channel };
}

/**
 * POST to a `response_url`, counting its uses: past Slack's 5 it is not tried (a `used_url` error, not
 * retried), so no path can spend more than Slack allows.
 */
async function respondThrough(context: SlackContext, url: string, body: Record<string, unknown>) {
  const key = `slack:response-url-uses:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;
  const { uses } = await context.store.incrementCounters(key, { uses: 1 }, responseUrlTtlSeconds);
  if (uses > responseUrlMaxUses) {
    throw new SlackApiError('platform_error', 'Slack response_url used up (5 posts)', {
      method: 'response_url',
      slackError: 'used_url',
      retryable: false,
    });
  }
  await context.postToResponseUrl(url, body);
}

/**
 * Answer through the `response_url` of a slash command or button, visible only to the person who asked:
 * used when the bot is not in the channel. Slack cannot replace such a message later (a command's URL posts
 * anew), so it is sent once, complete.
 */
async function postViaResponseUrl(
  context: SlackContext,
  conversation: ConversationRef,
  url: string,
  reply: Reply,
  fileNote: FileNote,
): Promise<PostedMessageRef> {
  const rendered = render(reply, { fileNote });
  await respondThrough(context, url, { response_type: 'ephemeral', ...messageFields(rendered) });
  const id = `${responseUrlPrefix}${randomUUID()}`;
  const record: ResponseUrlRecord = { url };
  await context.store.setJson(responseUrlKey(id), record, responseUrlTtlSeconds);
  context.logger.info(
    { channel: conversation.channel },
    'answered through response_url (bot not in channel)',
  );
  return { id, channel: conversation.channel };
}

/** Upload a reply's file into the answer's thread, once per message (a retried job does not upload twice). */
export async function uploadFile(
  context: SlackContext,
  conversation: ConversationRef,
  ref: PostedMessageRef,
  file: ReplyFile,
): Promise<void> {
  const mark = `slack:file:${ref.channel}:${ref.id}:${file.filename}`;
  if (!(await context.store.markSeen(mark, fileMarkTtlSeconds))) return;
  try {
    await context.api.call('files.uploadV2', {
      channel_id: ref.channel,
      thread_ts: conversation.thread ?? ref.id,
      content: file.content,
      filename: file.filename,
      title: file.filename,
    });
  } catch (error) {
    await context.store.unmarkSeen(mark).catch(() => undefined);
    // The answer itself is posted; a missing attachment is logged, not turned into a second answer.
    context.logger.warn(
      { err: error, channel: ref.channel, bytes: file.content.length },
      'file upload failed',
    );
  }
}

/** The message metadata type that carries a reply's idempotency key. */
const replyMetadataType = 'deskmate_reply';

/**
 * The message Deskmate posted with this idempotency key (its metadata), among the thread's replies or the
 * channel's latest messages.
 */
export async function findPostedReply(
  context: SlackContext,
  conversation: ConversationRef,
  idempotencyKey: string,
): Promise<PostedMessageRef | undefined> {
  let cursor: string | undefined;
  // A thread is read from its start (up to 1,000 replies); a channel from its newest 200 messages.
  for (let page = 0; page < (conversation.thread ? 5 : 1); page += 1) {
    const result = await context.api.call<{
      messages?: Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: { key?: string } } }>;
      response_metadata?: { next_cursor?: string };
    }>(
      conversation.thread ? 'conversations.replies' : 'conversations.history',
      {
        channel: conversation.channel,
        ...(conversation.thread ? { ts: conversation.thread } : {}),
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      },
      { idempotent: true },
    );
    const found = (result.messages ?? []).find(
      (message) =>
        message.metadata?.event_type === replyMetadataType &&
        message.metadata.event_payload?.key === idempotencyKey,
    );
    if (found?.ts) return { id: found.ts, channel: conversation.channel };
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/**
 * Post a private answer: ephemeral (`chat.postEphemeral`); where that cannot be shown, through the
 * command's or click's response_url; else (none, or used up) in the person's direct message. Never in the
 * channel.
 */
async function postPrivately(
  context: SlackContext,
  conversation: ConversationRef,
  reply: Reply,
  userId: string,
  responseUrl: string | undefined,
): Promise<PostedMessageRef> {
  try {
    const result = await context.api.call<{ message_ts?: string }>('chat.postEphemeral', {
      channel: conversation.channel,
      user: userId,
      ...(conversation.thread ? { thread_ts: conversation.thread } : {}),
      ...messageFields(render(reply, { fileNote: 'direct-message' })),
    });
    return { id: result.message_ts ?? '', channel: conversation.channel };
  } catch (error) {
    if (responseUrl && (cannotPostThere(error) || cannotShowEphemeral(error))) {
      try {
        return await postViaResponseUrl(context, conversation, responseUrl, reply, 'direct-message');
      } catch (urlError) {
        // The URL is used up or expired: the person is still reached in a direct message.
        context.logger.warn({ err: urlError, channel: conversation.channel }, 'response_url refused');
      }
    } else if (!cannotShowEphemeral(error)) throw error;
    return postDirect(context, userId, reply);
  }
}

/**
 * Post a reply: in the conversation's thread, unfurling off; privately (`chat.postEphemeral`) when
 * `privateTo` is set. When the bot is not in the channel, a slash command or button answer goes through
 * its `response_url`, privately (unless `viaResponseUrl` is false: a draft of a streamed answer), else
 * in the person's direct message.
 */
export async function postReply(
  context: SlackContext,
  conversation: ConversationRef,
  reply: Reply,
  options: PostOptions = {},
  viaResponseUrl = true,
): Promise<PostedMessageRef> {
  const data = slackPlatformData(options.platformData);
  if (options.privateTo && !(await isOwnDirectMessage(context, conversation, options.privateTo))) {
    const ref = await postPrivately(context, conversation, reply, options.privateTo, data.responseUrl);
    if (reply.file) await uploadPrivately(context, options.privateTo, ref, reply.file);
    return ref;
  }
  let ref: PostedMessageRef;
  try {
    const result = await context.api.call<{ ts?: string; channel?: string }>('chat.postMessage', {
      channel: conversation.channel,
      ...(conversation.thread ? { thread_ts: conversation.thread } : {}),
      ...messageFields(render(reply)),
      unfurl_links: false,
      unfurl_media: false,
      // Slack posts have no idempotency key: the key rides along as metadata, so a rerun can find the post.
      ...(options.idempotencyKey
        ? { metadata: { event_type: replyMetadataType, event_payload: { key: options.idempotencyKey } } }
        : {}),
    });
    ref = { id: result.ts ?? '', channel: result.channel ?? conversation.channel };
  } catch (error) {
    if (viaResponseUrl && data.responseUrl && cannotPostThere(error)) {
      return postViaResponseUrl(context, conversation, data.responseUrl, reply, 'name');
    }
    throw error;
  }
  if (reply.file) await uploadFile(context, conversation, ref, reply.file);
  return ref;
}

/**
 * Replace a message Deskmate posted: `chat.update`; a private card clicked, through the click's response_url
 * (`replace_original`, the only way Slack lets an ephemeral message change). A message sent through a
 * response_url cannot be replaced: the new reply is sent as one more private message.
 */
export async function updateReply(
  context: SlackContext,
  conversation: ConversationRef,
  message: PostedMessageRef,
  reply: Reply,
): Promise<void> {
  if (message.id.startsWith(responseUrlPrefix)) {
    const record = await context.store.getJson<ResponseUrlRecord>(responseUrlKey(message.id));
    if (!record) {
      context.logger.warn({ channel: message.channel }, 'response_url expired; cannot update the answer');
      return;
    }
    await respondThrough(context, record.url, {
      response_type: 'ephemeral',
      ...(record.replaces ? { replace_original: true } : {}),
      ...messageFields(render(reply, { fileNote: 'name' })),
    });
    return;
  }
  await context.api.call(
    'chat.update',
    { channel: message.channel, ts: message.id, ...messageFields(render(reply)) },
    { idempotent: true },
  );
  if (reply.file) await uploadFile(context, conversation, message, reply.file);
}
