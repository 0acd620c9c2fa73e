import { randomUUID } from 'node:crypto';
import type { PostedMessageRef, PostOptions } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply, ReplyFile } from '../../src/core/reply';
import { SlackApiError } from './api';
import { type SlackContext, slackPlatformData } from './context';
import { type RenderedMessage, renderReply as render } from './render';

/** Ids of answers sent through a `response_url` start with this. */
const responseUrlPrefix = 'response-url:';
/** Slack accepts `response_url` posts for 30 minutes. */
const responseUrlTtlSeconds = 30 * 60;
const fileMarkTtlSeconds = 24 * 60 * 60;

/** The message fields of a rendered reply (an empty reply still has a fallback text). */
export function messageFields(rendered: RenderedMessage): Record<string, unknown> {
  return {
    text: rendered.text || '…',
    ...(rendered.blocks.length > 0 ? { blocks: rendered.blocks } : {}),
  };
}

function cannotPostThere(error: unknown): boolean {
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

/**
 * Answer privately in the person's direct message with Deskmate (`conversations.open`, scope `im:write`):
 * where an ephemeral message cannot be shown (they are not in the channel, or Deskmate is not).
 */
async function postDirect(context: SlackContext, userId: string, reply: Reply): Promise<PostedMessageRef> {
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
  const result = await context.api.call<{ ts?: string }>('chat.postMessage', {
    channel,
    ...messageFields(render(reply, { fileNote: Boolean(reply.file) })),
    unfurl_links: false,
    unfurl_media: false,
  });
  context.logger.info({ channel }, 'answered privately in a direct message (no ephemeral possible)');
  return { id: result.ts ?? '', channel };
}

/**
 * Answer through the `response_url` of a slash command or button, visible only to the person who asked:
 * used when the bot is not in the channel. The returned ref can be updated (`replace_original`).
 */
async function postViaResponseUrl(
  context: SlackContext,
  conversation: ConversationRef,
  url: string,
  reply: Reply,
): Promise<PostedMessageRef> {
  const rendered = render(reply, { fileNote: Boolean(reply.file) });
  await context.postToResponseUrl(url, { response_type: 'ephemeral', ...messageFields(rendered) });
  const id = `${responseUrlPrefix}${randomUUID()}`;
  await context.store.setJson(`slack:response-url:${id}`, { url }, responseUrlTtlSeconds);
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
 * Post a reply: in the conversation's thread, unfurling off; privately (`chat.postEphemeral`) when
 * `privateTo` is set. When the bot is not in the channel, a slash command or button answer goes through
 * its `response_url`, privately.
 */
export async function postReply(
  context: SlackContext,
  conversation: ConversationRef,
  reply: Reply,
  options: PostOptions = {},
): Promise<PostedMessageRef> {
  const data = slackPlatformData(options.platformData);
  if (options.privateTo) {
    try {
      const result = await context.api.call<{ message_ts?: string }>('chat.postEphemeral', {
        channel: conversation.channel,
        user: options.privateTo,
        ...(conversation.thread ? { thread_ts: conversation.thread } : {}),
        ...messageFields(render(reply, { fileNote: Boolean(reply.file) })),
      });
      return { id: result.message_ts ?? '', channel: conversation.channel };
    } catch (error) {
      // A private answer never falls back to the channel: through the click's or command's response_url
      // where there is one, else in the person's direct message.
      if (data.responseUrl && (cannotPostThere(error) || cannotShowEphemeral(error))) {
        return postViaResponseUrl(context, conversation, data.responseUrl, reply);
      }
      if (cannotShowEphemeral(error)) return postDirect(context, options.privateTo, reply);
      throw error;
    }
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
    if (data.responseUrl && cannotPostThere(error)) {
      return postViaResponseUrl(context, conversation, data.responseUrl, reply);
    }
    throw error;
  }
  if (reply.file) await uploadFile(context, conversation, ref, reply.file);
  return ref;
}

/** Replace a message Deskmate posted (`chat.update`, or `replace_original` through its response_url). */
export async function updateReply(
  context: SlackContext,
  conversation: ConversationRef,
  message: PostedMessageRef,
  reply: Reply,
): Promise<void> {
  if (message.id.startsWith(responseUrlPrefix)) {
    const record = await context.store.getJson<{ url: string }>(`slack:response-url:${message.id}`);
    if (!record) {
      context.logger.warn({ channel: message.channel }, 'response_url expired; cannot update the answer');
      return;
    }
    await context.postToResponseUrl(record.url, {
      response_type: 'ephemeral',
      replace_original: true,
      ...messageFields(render(reply, { fileNote: Boolean(reply.file) })),
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
