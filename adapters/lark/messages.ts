import type { PostedMessageRef, PostOptions } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { Reply } from '../../src/core/reply';
import { idempotencyKey, unwrap } from './api';
import type { LarkContext } from './context';
import { earlierPost, rememberSent } from './earlier-post';
import { type LarkCard, renderCard } from './render';

/** The CardKit card behind a posted message (streamed answers): its id, when it was made, the last `sequence`. */
export interface CardEntity {
  cardId: string;
  createdAt: number;
  sequence: number;
}

/**
 * The next `sequence` for a card: strictly increasing, and derived from the card's age (5 ms steps) so a
 * restarted or retried job, which cannot know the last one used, still goes above it.
 */
export function nextSequence(entity: CardEntity, now = Date.now()): number {
  return Math.max(entity.sequence + 1, Math.floor((now - entity.createdAt) / 5) + 1);
}

const cardEntityTtlSeconds = 14 * 24 * 60 * 60;

/** Where the card entity of a message is remembered. */
function cardEntityKey(messageId: string): string {
  return `lark:card-entity:${messageId}`;
}

interface SentMessage {
  message_id?: string;
  chat_id?: string;
}

/** Lark's `receive_id_type` for an id: chats are `oc_…`, people (menu conversations, private answers) `ou_…`. */
function receiveIdType(id: string): 'chat_id' | 'open_id' {
  return id.startsWith('ou_') ? 'open_id' : 'chat_id';
}

async function create(
  context: LarkContext,
  receiveId: string,
  content: string,
  uuid: string | undefined,
): Promise<SentMessage> {
  return unwrap<SentMessage>(
    'im.v1.message.create',
    context.client.im.v1.message.create({
      params: { receive_id_type: receiveIdType(receiveId) },
      data: { receive_id: receiveId, msg_type: 'interactive', content, ...(uuid ? { uuid } : {}) },
    }),
  );
}

/**
 * Send an interactive message: in the conversation's thread when it has one (a reply that opens or joins
 * the thread), else into the chat; privately (to the person directly) when asked in a group. The
 * idempotency key becomes Lark's `uuid`, so a send retried within the hour returns the first message; one
 * retried later returns the message its first attempt posted when it is found (see `earlierPost`).
 */
export async function sendInteractive(
  context: LarkContext,
  conversation: ConversationRef,
  content: LarkCard | { type: 'card'; data: { card_id: string } },
  options: PostOptions = {},
): Promise<PostedMessageRef> {
  const body = JSON.stringify(content);
  const uuid = options.idempotencyKey ? idempotencyKey(options.idempotencyKey) : undefined;
  if (options.privateTo && conversation.kind === 'group') {
    const sent = await create(
      context,
      options.privateTo,
      body,
      uuid ? idempotencyKey(uuid, ':private') : undefined,
    );
    return { id: sent.message_id ?? '', channel: sent.chat_id ?? options.privateTo };
  }
  const earlier = uuid ? await earlierPost(context, conversation, uuid) : undefined;
  if (earlier) {
    // The earlier post shows what that attempt had (a placeholder, perhaps): it now shows this card.
    if ('schema' in content) {
      await unwrap(
        'im.v1.message.patch',
        context.client.im.v1.message.patch({ path: { message_id: earlier.id }, data: { content: body } }),
      );
    }
    return earlier;
  }
  if (conversation.thread) {
    try {
      const sent = await unwrap<SentMessage>(
        'im.v1.message.reply',
        context.client.im.v1.message.reply({
          path: { message_id: conversation.thread },
          data: { msg_type: 'interactive', content: body, reply_in_thread: true, ...(uuid ? { uuid } : {}) },
        }),
      );
      return await sentRef(context, uuid, sent, conversation.channel);
    } catch (error) {
      // The thread's first message was withdrawn: answer in the chat instead.
      if (!isDeskmateError(error) || error.code !== 'not_found') throw error;
      context.logger.info({ channel: conversation.channel }, 'thread root is gone; posting in the chat');
    }
  }
  const sent = await create(context, conversation.channel, body, uuid);
  return sentRef(context, uuid, sent, conversation.channel);
}

/** The ref of a sent message, remembered under its `uuid`. */
async function sentRef(
  context: LarkContext,
  uuid: string | undefined,
  sent: SentMessage,
  channel: string,
): Promise<PostedMessageRef> {
  const ref = { id: sent.message_id ?? '', channel: sent.chat_id ?? channel };
  if (uuid && ref.id) await rememberSent(context, uuid, ref);
  return ref;
}

/** Post a reply as an interactive card. */
export function postReply(
  context: LarkContext,
  conversation: ConversationRef,
  reply: Reply,
  options: PostOptions = {},
): Promise<PostedMessageRef> {
  const card = renderCard(reply, { kind: conversation.kind, thread: conversation.thread });
  return sendInteractive(context, conversation, card, options);
}

/**
 * Replace a posted message with a new reply: a streamed answer's card entity is updated through CardKit
 * (next `sequence`), any other card is patched.
 */
export async function updateReply(
  context: LarkContext,
  conversation: ConversationRef,
  message: PostedMessageRef,
  reply: Reply,
): Promise<void> {
  const card = renderCard(reply, { kind: conversation.kind, thread: conversation.thread });
  const entity = await context.store.getJson<CardEntity>(cardEntityKey(message.id));
  if (entity) {
    const sequence = nextSequence(entity);
    await unwrap(
      'cardkit.v1.card.update',
      context.client.cardkit.v1.card.update({
        path: { card_id: entity.cardId },
        data: { card: { type: 'card_json', data: JSON.stringify(card) }, sequence },
      }),
    );
    await context.store.setJson(cardEntityKey(message.id), { ...entity, sequence }, cardEntityTtlSeconds);
    return;
  }
  await unwrap(
    'im.v1.message.patch',
    context.client.im.v1.message.patch({
      path: { message_id: message.id },
      data: { content: JSON.stringify(card) },
    }),
  );
}

/** Remember the card entity of a posted message, so a later update goes through CardKit. */
export async function rememberCardEntity(
  context: LarkContext,
  messageId: string,
  entity: CardEntity,
): Promise<void> {
  await context.store.setJson(cardEntityKey(messageId), entity, cardEntityTtlSeconds);
}
