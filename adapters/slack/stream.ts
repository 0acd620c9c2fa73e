import type { PostedMessageRef, PostOptions, ReplyStream } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply } from '../../src/core/reply';
import { createEditStream, createPacer } from '../../src/pipeline/edit-stream';
import { type SlackContext, slackPlatformData } from './context';
import { cannotPostThere, messageFields, postReply, updateReply, uploadFile } from './messages';
import { safeMarkdown } from './mrkdwn';
import { renderReply } from './render';

const streamRecordTtlSeconds = 24 * 60 * 60;
/** Text held back waiting for a word boundary is sent anyway past this size. */
const maxHeldCharacters = 400;

interface StreamRecord {
  channel: string;
  ts: string;
}

/**
 * The part of the unsent text that can go now: up to the last whitespace, so a mention or link is never
 * cut in two (each piece is made safe on its own).
 */
function sendable(pending: string): string {
  if (pending.length > maxHeldCharacters) return pending;
  const cut = Math.max(pending.lastIndexOf(' '), pending.lastIndexOf('\n'));
  return cut >= 0 ? pending.slice(0, cut + 1) : '';
}

/**
 * Start a streamed reply. In a thread it uses Slack's streaming (`chat.startStream`, `chat.appendStream`
 * at most every `streamIntervalMs`, `chat.stopStream` with the rest of the text and any buttons or sources
 * as blocks). Where Slack has no streaming (no thread, an older workspace, the method refused), or for a
 * retried job, the shared post-then-edit stream takes over with `chat.update` at most every
 * `updateIntervalMs`. Both kinds of call keep within the workspace's budget shared by all replies
 * (`streamBudgets`). `finish` always leaves the message holding the full final reply.
 */
export async function startStream(
  context: SlackContext,
  conversation: ConversationRef,
  options: PostOptions = {},
): Promise<ReplyStream> {
  const data = slackPlatformData(options.platformData);
  const recordKey = options.idempotencyKey ? `slack:stream:${options.idempotencyKey}` : undefined;
  const earlier = recordKey ? await context.store.getJson<StreamRecord>(recordKey) : undefined;
  const remember = async (ref: PostedMessageRef) => {
    if (recordKey)
      await context.store.setJson(recordKey, { channel: ref.channel, ts: ref.id }, streamRecordTtlSeconds);
  };
  const forget = async () => {
    if (recordKey) await context.store.delete(recordKey).catch(() => undefined);
  };
  const byEdits = (existing?: PostedMessageRef): ReplyStream => {
    // Set when the channel refused the first draft and only the response_url is left: a response_url takes
    // 5 posts and cannot replace what it posted (a command's posts anew), so the answer waits to be complete.
    let held: PostedMessageRef | undefined;
    let finishing = false;
    const edits = createEditStream({
      intervalMs: context.updateIntervalMs,
      existing,
      post: async (reply) => {
        let posted: PostedMessageRef;
        try {
          posted = await postReply(context, conversation, reply, options, finishing);
        } catch (error) {
          if (finishing || !data.responseUrl || !cannotPostThere(error)) throw error;
          held = { id: '', channel: conversation.channel };
          return held;
        }
        await remember(posted);
        return posted;
      },
      edit: async (message, reply) => {
        if (message !== held) await updateReply(context, conversation, message, reply);
      },
      mayEdit: async () => !held && context.streamBudgets.update.take(conversation.workspace),
      showable: sendable,
      onEditFailed: (error) =>
        context.logger.warn(
          { err: error, channel: conversation.channel },
          'streaming update failed; continuing',
        ),
    });
    return {
      append: (markdown) => edits.append(markdown),
      async finish(reply) {
        finishing = true;
        const ref = held ? await postReply(context, conversation, reply, options) : await edits.finish(reply);
        await forget();
        return ref;
      },
    };
  };

  if (earlier) {
    // A retried job: the message its first run started is taken over and updated, not streamed again.
    await context.api
      .call('chat.stopStream', { channel: earlier.channel, ts: earlier.ts }, { idempotent: true })
      .catch(() => undefined);
    return byEdits({ id: earlier.ts, channel: earlier.channel });
  }

  let fallback: ReplyStream | undefined;
  let ref: PostedMessageRef | undefined;
  let pending = '';
  let sent = '';
  let broken = false;
  const pacer = createPacer(context.streamIntervalMs);

  /** Start Slack's own stream with the first piece; false where it cannot be used here. */
  const startNative = async (text: string): Promise<boolean> => {
    if (!conversation.thread) return false;
    try {
      const result = await context.api.call<{ ts?: string; channel?: string }>('chat.startStream', {
        channel: conversation.channel,
        thread_ts: conversation.thread,
        markdown_text: text,
        ...(conversation.kind === 'group' && data.userId
          ? { recipient_user_id: data.userId, recipient_team_id: data.teamId ?? conversation.workspace }
          : {}),
      });
      ref = { id: result.ts ?? '', channel: result.channel ?? conversation.channel };
      await remember(ref);
      return true;
    } catch (error) {
      if (isDeskmateError(error) && error.retryable) throw error;
      context.logger.warn(
        { err: error, channel: conversation.channel },
        'Slack streaming unavailable; posting and updating instead',
      );
      return false;
    }
  };

  /** Append a piece to the native stream; a lost piece is rewritten whole at the end. */
  const appendNative = async (text: string) => {
    try {
      await context.api.call('chat.appendStream', {
        channel: ref?.channel,
        ts: ref?.id,
        markdown_text: text,
      });
    } catch (error) {
      broken = true;
      context.logger.warn(
        { err: error, channel: ref?.channel },
        'appending to the stream failed; will rewrite at the end',
      );
    }
  };

  return {
    async append(markdown) {
      if (fallback) return fallback.append(markdown);
      pending += markdown;
      const piece = pacer.due() ? sendable(pending) : '';
      if (!piece) return;
      // The workspace's share of Slack's limit, spent by every reply streaming now: when it is used up, the
      // text waits for a later append or the end. Starting the stream is not counted.
      if (ref && !(await context.streamBudgets.append.take(conversation.workspace))) return;
      const text = safeMarkdown(piece);
      if (ref) await appendNative(text);
      else if (!(await startNative(text))) {
        fallback = byEdits();
        const held = pending;
        pending = '';
        return fallback.append(held);
      }
      pending = pending.slice(piece.length);
      sent += text;
      pacer.mark();
    },
    async finish(reply: Reply): Promise<PostedMessageRef> {
      if (fallback) return fallback.finish(reply);
      if (!ref) {
        // Nothing was shown yet: one ordinary message says it all.
        const posted = await postReply(context, conversation, reply, options);
        await forget();
        return posted;
      }
      const final = safeMarkdown(reply.markdown);
      const extras = renderReply(reply, { withoutMain: true }).blocks;
      const continues = !broken && final.startsWith(sent) && !(reply.notify?.length ?? 0);
      await context.api.call('chat.stopStream', {
        channel: ref.channel,
        ts: ref.id,
        ...(continues && final.length > sent.length ? { markdown_text: final.slice(sent.length) } : {}),
        ...(continues && extras.length > 0 ? { blocks: extras } : {}),
      });
      if (!continues) {
        await context.api.call(
          'chat.update',
          { channel: ref.channel, ts: ref.id, ...messageFields(renderReply(reply)) },
          { idempotent: true },
        );
      }
      if (reply.file) await uploadFile(context, conversation, ref, reply.file);
      await forget();
      context.logger.debug(
        { channel: ref.channel, characters: reply.markdown.length },
        'streamed reply finished',
      );
      return ref;
    },
  };
}
