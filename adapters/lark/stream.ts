import type { PostedMessageRef, PostOptions, ReplyStream } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply } from '../../src/core/reply';
import { createEditStream, createPacer } from '../../src/pipeline/edit-stream';
import { idempotencyKey, type LarkEnvelope, larkCodeOf, unwrap } from './api';
import type { LarkContext } from './context';
import { earlierPost } from './earlier-post';
import { type CardEntity, nextSequence, postReply, rememberCardEntity, sendInteractive } from './messages';
import { answerElementId, answerMarkdown, hasExtras, preview, renderCard, streamingCard } from './render';

/**
 * CardKit's APIs take at most 50 calls a second per app, whatever the card (`cardkit-v1/card/settings` and the
 * other CardKit pages, 接口频率限制 1000 次/分钟、50 次/秒): all streams of the app, in every process, share
 * a bucket of 40 a second (a burst of 5), so many answers streamed at once slow down instead of meeting 429s.
 */
const appCallsPerSecond = 40;
/** A small burst, so no one-second window holds more than 45 calls. */
const appBurst = 5;
const appBucketKey = 'lark:cardkit';

/** Wait for a CardKit call of the app (a store that cannot count does not hold the answer up). */
async function appWideTurn(context: LarkContext): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const granted = await context.store
      .takeToken(appBucketKey, appBurst, appCallsPerSecond)
      .catch(() => true);
    if (granted) return;
    await context.sleep(25);
  }
}

/** CardKit's answer when a `sequence` is not above the last one: the same operation already went through. */
const sequenceAlreadyUsed = 300317;
const streamRecordTtlSeconds = 24 * 60 * 60;

/** A started streamed answer: the message and its card entity, kept so a retried job continues it. */
interface StreamRecord extends CardEntity {
  messageId: string;
  channel: string;
}

/**
 * Stream through CardKit: the answer element of a streaming-mode card gets the whole text so far with a
 * strictly increasing `sequence`, at least `streamIntervalMs` apart (CardKit takes 10 operations a second
 * per card); then streaming mode is closed and, when the final reply has more than text (sections,
 * sources, buttons), the card is replaced with the full rendering.
 */
function cardKitStream(
  context: LarkContext,
  conversation: ConversationRef,
  record: StreamRecord,
): ReplyStream {
  const ref: PostedMessageRef = { id: record.messageId, channel: record.channel };
  const pacer = createPacer(context.streamIntervalMs);
  const cardkit = context.client.cardkit.v1;
  const entity: CardEntity = {
    cardId: record.cardId,
    createdAt: record.createdAt,
    sequence: record.sequence,
  };
  let text = '';
  let shown = '';

  /** One paced operation; a retry of an operation that had gone through is not an error. */
  const operate = async (name: string, call: (sequence: number) => Promise<LarkEnvelope<unknown>>) => {
    await pacer.wait(context.sleep);
    await appWideTurn(context);
    entity.sequence = nextSequence(entity);
    try {
      await unwrap(name, call(entity.sequence));
    } catch (error) {
      if (larkCodeOf(error) !== sequenceAlreadyUsed) throw error;
    }
  };
  const showText = async (content: string) => {
    if (content === shown) return;
    await operate('cardkit.v1.cardElement.content', (sequence) =>
      cardkit.cardElement.content({
        path: { card_id: entity.cardId, element_id: answerElementId },
        data: { content, sequence },
      }),
    );
    shown = content;
  };

  return {
    async append(markdown) {
      text += markdown;
      if (!pacer.due()) return;
      // A missed intermediate update is not worth failing the answer for: the final one carries everything.
      await showText(answerMarkdown({ markdown: text })).catch((error: unknown) => {
        context.logger.warn({ err: error, cardId: entity.cardId }, 'streaming update failed; continuing');
      });
    },
    async finish(reply: Reply): Promise<PostedMessageRef> {
      // A card no longer streaming (a resumed answer) takes its text with the full replacement below.
      let replace = hasExtras(reply);
      await showText(answerMarkdown(reply)).catch((error: unknown) => {
        if (isDeskmateError(error) && error.retryable) throw error;
        replace = true;
      });
      await operate('cardkit.v1.card.settings', (sequence) =>
        cardkit.card.settings({
          path: { card_id: entity.cardId },
          // The chat list shows `summary` as the message's preview: the answer's, not the streaming "…"
          // (https://open.feishu.cn/document/cardkit-v1/streaming-updates-openapi-overview, FAQ).
          data: {
            settings: JSON.stringify({
              config: { streaming_mode: false, summary: { content: preview(reply.markdown) || '…' } },
            }),
            sequence,
          },
        }),
      );
      if (replace) {
        const card = renderCard(reply, { kind: conversation.kind, thread: conversation.thread });
        await operate('cardkit.v1.card.update', (sequence) =>
          cardkit.card.update({
            path: { card_id: entity.cardId },
            data: { card: { type: 'card_json', data: JSON.stringify(card) }, sequence },
          }),
        );
      }
      await rememberCardEntity(context, ref.id, entity);
      context.logger.debug({ messageId: ref.id, cardId: entity.cardId }, 'streamed answer finished');
      return ref;
    },
  };
}

/** Stream by patching an ordinary card (the shared post-then-edit stream), at most every `patchIntervalMs`. */
function patchStream(context: LarkContext, conversation: ConversationRef, options: PostOptions): ReplyStream {
  const place = { kind: conversation.kind, thread: conversation.thread };
  return createEditStream({
    intervalMs: context.patchIntervalMs,
    // A retried job gets the same message back (the same `uuid`), and patches it.
    post: (reply) => postReply(context, conversation, reply, options),
    edit: async (message, reply) => {
      await unwrap(
        'im.v1.message.patch',
        context.client.im.v1.message.patch({
          path: { message_id: message.id },
          data: { content: JSON.stringify(renderCard(reply, place)) },
        }),
      );
    },
    onEditFailed: (error) => context.logger.warn({ err: error }, 'streaming patch failed; continuing'),
  });
}

/**
 * Start a streamed answer: CardKit when the app may use it, else a card patched as the text grows. A
 * job retried with the same idempotency key continues the answer it had started instead of starting another.
 */
export async function startStream(
  context: LarkContext,
  conversation: ConversationRef,
  options: PostOptions = {},
): Promise<ReplyStream> {
  const recordKey = options.idempotencyKey
    ? `lark:stream:${idempotencyKey(options.idempotencyKey)}`
    : undefined;
  const started = recordKey ? await context.store.getJson<StreamRecord>(recordKey) : undefined;
  if (started) return cardKitStream(context, conversation, started);
  // Posted by an attempt older than Lark's uuid window but not recorded: that message is patched instead.
  const uuid = options.idempotencyKey ? idempotencyKey(options.idempotencyKey) : undefined;
  if (uuid && (await earlierPost(context, conversation, uuid)))
    return patchStream(context, conversation, options);

  let cardId: string | undefined;
  try {
    const created = await unwrap<{ card_id?: string }>(
      'cardkit.v1.card.create',
      context.client.cardkit.v1.card.create({
        data: { type: 'card_json', data: JSON.stringify(streamingCard()) },
      }),
    );
    cardId = created.card_id;
  } catch (error) {
    context.logger.warn(
      { err: error },
      'CardKit unavailable (add cardkit:card:write); streaming by message patch',
    );
  }
  if (!cardId) return patchStream(context, conversation, options);
  const createdAt = Date.now();
  const ref = await sendInteractive(
    context,
    conversation,
    { type: 'card', data: { card_id: cardId } },
    options,
  );
  const record: StreamRecord = { messageId: ref.id, channel: ref.channel, cardId, createdAt, sequence: 0 };
  if (recordKey) await context.store.setJson(recordKey, record, streamRecordTtlSeconds);
  return cardKitStream(context, conversation, record);
}
