import type { PostedMessageRef, PostOptions, ReplyStream } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply } from '../../src/core/reply';
import { type SlackContext, slackPlatformData } from './context';
import { messageFields, postReply, updateReply, uploadFile } from './messages';
import { safeMarkdown } from './mrkdwn';
import { renderReply } from './render';

const streamRecordTtlSeconds = 24 * 60 * 60;
/** Text held back waiting for a word boundary is sent anyway past this size. */
const maxHeldCharacters = 400;

interface StreamRecord {
  channel: string;
  ts: string;
}

/** Spaces calls on one message at least `intervalMs` apart (checked, never waited on a timer). */
function createPacer(intervalMs: number) {
  let last = 0;
  return {
    due: () => Date.now() - last >= intervalMs,
    mark: () => {
      last = Date.now();
    },
  };
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
 * as blocks). Where Slack has no streaming (no thread, an older workspace, the method refused), the reply
 * is posted and then updated with `chat.update` at most every `updateIntervalMs`. Both kinds of call also
 * keep within the workspace's budget shared by all replies (`streamBudgets`). `finish` always leaves the
 * message holding the full final reply.
 */
export async function startStream(
  context: SlackContext,
  conversation: ConversationRef,
  options: PostOptions = {},
): Promise<ReplyStream> {
  const data = slackPlatformData(options.platformData);
  const recordKey = options.idempotencyKey ? `slack:stream:${options.idempotencyKey}` : undefined;
  const earlier = recordKey ? await context.store.getJson<StreamRecord>(recordKey) : undefined;

  let mode: 'idle' | 'native' | 'updates' = 'idle';
  let ref: PostedMessageRef | undefined;
  let pending = '';
  let sent = '';
  let broken = false;
  const streamPacer = createPacer(context.streamIntervalMs);
  const updatePacer = createPacer(context.updateIntervalMs);

  if (earlier) {
    // A retried job: the message its first run started is taken over and updated, not streamed again.
    await context.api
      .call('chat.stopStream', { channel: earlier.channel, ts: earlier.ts }, { idempotent: true })
      .catch(() => undefined);
    mode = 'updates';
    ref = { id: earlier.ts, channel: earlier.channel };
  }

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
      if (recordKey)
        await context.store.setJson(recordKey, { channel: ref.channel, ts: ref.id }, streamRecordTtlSeconds);
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

  const showByUpdate = async (markdown: string) => {
    if (!ref) {
      ref = await postReply(context, conversation, { markdown }, options);
      if (recordKey)
        await context.store.setJson(recordKey, { channel: ref.channel, ts: ref.id }, streamRecordTtlSeconds);
    } else {
      await updateReply(context, conversation, ref, { markdown });
    }
    updatePacer.mark();
  };

  /** Send `piece`, the part of the pending text that can go now. */
  const flush = async (piece: string) => {
    const text = safeMarkdown(piece);
    if (mode === 'idle') mode = (await startNative(text)) ? 'native' : 'updates';
    else if (mode === 'native') {
      try {
        await context.api.call('chat.appendStream', {
          channel: ref?.channel,
          ts: ref?.id,
          markdown_text: text,
        });
      } catch (error) {
        // The final message is rewritten whole at the end: a lost piece costs nothing but this log line.
        broken = true;
        context.logger.warn(
          { err: error, channel: ref?.channel },
          'appending to the stream failed; will rewrite at the end',
        );
      }
    }
    pending = pending.slice(piece.length);
    sent += text;
    streamPacer.mark();
    if (mode === 'updates') await showByUpdate(sent);
  };

  return {
    async append(markdown) {
      pending += markdown;
      const due = mode === 'updates' ? updatePacer.due() : streamPacer.due();
      const piece = due ? sendable(pending) : '';
      if (!piece) return;
      // The workspace's share of Slack's limit, spent by every reply streaming now: when it is used up, the
      // text waits for a later append or the end. Starting the stream or posting the message is not counted.
      const budget =
        mode === 'native' ? context.streamBudgets.append : ref ? context.streamBudgets.update : undefined;
      if (budget && !(await budget.take(conversation.workspace))) return;
      await flush(piece);
    },
    async finish(reply: Reply): Promise<PostedMessageRef> {
      if (mode === 'idle' && sent === '') {
        // Nothing was shown yet: one ordinary message says it all.
        const posted = await postReply(context, conversation, reply, options);
        if (recordKey) await context.store.delete(recordKey).catch(() => undefined);
        return posted;
      }
      if (mode === 'native' && ref) {
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
      } else if (ref) {
        await updateReply(context, conversation, ref, reply);
      } else {
        ref = await postReply(context, conversation, reply, options);
      }
      if (recordKey) await context.store.delete(recordKey).catch(() => undefined);
      context.logger.debug(
        { channel: ref.channel, mode, characters: reply.markdown.length },
        'streamed reply finished',
      );
      return ref;
    },
  };
}
