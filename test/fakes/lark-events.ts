import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { FakeLarkServer } from './lark-open-api';
import type { FakeMessage } from './lark-state';

const fixtures = join(__dirname, '..', 'fixtures', 'lark');

/** A fixture payload (a fresh copy each time). */
export function larkFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}

/** A schema 2.0 event body. */
export interface EventEnvelope {
  schema: string;
  header: Record<string, unknown>;
  event: Record<string, unknown>;
}

/** Someone in a message: `bot` for the bot itself. */
export type Mentioned = 'bot' | { openId: string; name: string };

/** Options for a message event. */
export interface MessageEventOptions {
  chatId: string;
  userId: string;
  /** Text; `{mention:N}` marks where the N-th entry of `mentions` goes (0-based). */
  text: string;
  mentions?: Mentioned[];
  /** The message it replies to (in a thread when `inThread`). */
  parentId?: string;
  inThread?: boolean;
  eventId?: string;
  /** The sender's client (`… LarkLocale/zh_CN …`); none by default. */
  userAgent?: string;
}

/**
 * Store a message from a person in the fake and build the `im.message.receive_v1` event Lark would send
 * for it, from the recorded payload shape in the fixtures.
 */
export function messageEvent(
  fake: FakeLarkServer,
  options: MessageEventOptions,
): { message: FakeMessage; payload: EventEnvelope } {
  const state = fake.state;
  const mentions = (options.mentions ?? []).map((mentioned, index) => {
    const key = `@_user_${index + 1}`;
    return mentioned === 'bot'
      ? { key, id: state.botOpenId, name: 'Deskmate', mentionedType: 'bot' }
      : { key, id: mentioned.openId, name: mentioned.name, mentionedType: 'user' };
  });
  const text = options.text.replace(
    /\{mention:(\d+)\}/g,
    (_match, index: string) => mentions[Number(index)]?.key ?? '',
  );
  const message = state.userSays({
    chatId: options.chatId,
    userId: options.userId,
    content: JSON.stringify({ text }),
    mentions: mentions.map(({ key, id, name }) => ({ key, id, name })),
    parentId: options.parentId,
    inThread: options.inThread,
  });
  return { message, payload: receiveEvent(fake, message, mentions, options.eventId, options.userAgent) };
}

/** The `im.message.receive_v1` event Lark sends for a stored message (the recorded shape in the fixtures). */
export function receiveEvent(
  fake: FakeLarkServer,
  message: FakeMessage,
  mentions: Array<{ key: string; id: string; name: string; mentionedType: string }> = [],
  eventId?: string,
  userAgent?: string,
): EventEnvelope {
  const state = fake.state;
  const chat = state.chats.get(message.chatId);
  const payload = larkFixture<EventEnvelope>('message-receive-group.json');
  payload.header.event_id = eventId ?? randomBytes(16).toString('hex');
  payload.header.create_time = String(message.createTime);
  payload.header.app_id = fake.appId;
  payload.header.tenant_key = state.tenantKey;
  payload.header.token = fake.verificationToken;
  payload.event.sender = {
    sender_id: {
      open_id: message.senderId,
      union_id: `on_${message.senderId.slice(3)}`,
      user_id: message.senderId.slice(3, 11),
    },
    sender_type: 'user',
    tenant_key: state.tenantKey,
  };
  payload.event.message = {
    message_id: message.messageId,
    root_id: message.rootId ?? '',
    parent_id: message.parentId ?? '',
    create_time: String(message.createTime),
    update_time: String(message.createTime),
    chat_id: message.chatId,
    thread_id: message.threadId ?? '',
    chat_type: chat?.type === 'p2p' ? 'p2p' : 'group',
    message_type: message.msgType,
    content: message.content,
    mentions: mentions.map((mention) => ({
      key: mention.key,
      id: { open_id: mention.id, union_id: `on_${mention.id.slice(3)}`, user_id: '' },
      mentioned_type: mention.mentionedType,
      name: mention.name,
      tenant_key: state.tenantKey,
    })),
    ...(userAgent ? { user_agent: userAgent } : {}),
  };
  return payload;
}

/** Someone sends a file (a `file` message, in a direct chat when no chat is given): stored, and its event. */
export function fileMessageEvent(
  fake: FakeLarkServer,
  options: {
    chatId?: string;
    userId: string;
    name: string;
    bytes: Buffer;
    parentId?: string;
    inThread?: boolean;
  },
): { message: FakeMessage; payload: EventEnvelope } {
  const chatId = options.chatId ?? fake.state.directChat(options.userId).chatId;
  const message = fake.state.userSendsFile({ ...options, chatId });
  return { message, payload: receiveEvent(fake, message) };
}

/** The `im.message.recalled_v1` event Lark sends when a stored message is recalled by its sender. */
export function recallEvent(fake: FakeLarkServer, message: FakeMessage): EventEnvelope {
  const payload = larkFixture<EventEnvelope>('message-recalled.json');
  payload.header.event_id = randomBytes(16).toString('hex');
  payload.header.create_time = String(Date.now());
  payload.header.app_id = fake.appId;
  payload.header.tenant_key = fake.state.tenantKey;
  payload.header.token = fake.verificationToken;
  payload.event.message_id = message.messageId;
  payload.event.chat_id = message.chatId;
  payload.event.recall_time = String(Date.now());
  return payload;
}

/** A `card.action.trigger` callback for a click on a card button carrying `value`. */
export function cardActionEvent(
  fake: FakeLarkServer,
  options: { userId: string; chatId: string; messageId: string; value: unknown },
) {
  const payload = larkFixture<EventEnvelope>('card-action-trigger.json');
  payload.header.event_id = randomBytes(16).toString('hex');
  payload.header.app_id = fake.appId;
  payload.header.tenant_key = fake.state.tenantKey;
  payload.header.token = fake.verificationToken;
  payload.event.operator = {
    tenant_key: fake.state.tenantKey,
    open_id: options.userId,
    union_id: 'on_x',
    user_id: 'x',
  };
  payload.event.action = { value: options.value, tag: 'button' };
  payload.event.context = { open_message_id: options.messageId, open_chat_id: options.chatId };
  return payload;
}

/** A bot menu click (`application.bot.menu_v6`) by a person on the menu item with this event key. */
export function menuEvent(fake: FakeLarkServer, options: { userId: string; eventKey: string }) {
  const payload = larkFixture<EventEnvelope>('bot-menu.json');
  payload.header.event_id = randomBytes(16).toString('hex');
  payload.header.app_id = fake.appId;
  payload.header.tenant_key = fake.state.tenantKey;
  payload.header.token = fake.verificationToken;
  payload.event.operator = {
    ...(payload.event.operator as object),
    operator_id: { open_id: options.userId },
  };
  payload.event.event_key = options.eventKey;
  return payload;
}

/** Encrypt a payload the way Lark does: AES-256-CBC, key SHA-256(encrypt key), random IV prepended, base64. */
export function encryptPayload(payload: unknown, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return JSON.stringify({ encrypt: Buffer.concat([iv, encrypted]).toString('base64') });
}

/** The signature headers Lark sends with a body. */
export function signatureHeaders(
  body: string,
  encryptKey: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const nonce = randomBytes(8).toString('hex');
  const signature = createHash('sha256').update(`${timestamp}${nonce}${encryptKey}${body}`).digest('hex');
  return {
    'x-lark-request-timestamp': String(timestamp),
    'x-lark-request-nonce': nonce,
    'x-lark-signature': signature,
  };
}

/** POST a body to a webhook with node:http; resolves with status and parsed body (a fast 413 is read too). */
export function postRaw(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** Deliver an event as Lark would: encrypted and signed with the encrypt key. */
export function deliver(
  url: string,
  payload: unknown,
  encryptKey: string,
  options: { timestamp?: number } = {},
) {
  const body = encryptPayload(payload, encryptKey);
  return postRaw(url, body, signatureHeaders(body, encryptKey, options.timestamp));
}

/** A message inside a forwarded chat record: who wrote it when, and its text (or a nested record's messages). */
export interface ForwardedMessage {
  senderId: string;
  createTime: number;
  text?: string;
  /** Another content than text (`msgType` and its content JSON). */
  msgType?: string;
  content?: string;
  /** A forwarded record inside the record: its messages. */
  messages?: ForwardedMessage[];
}

/**
 * Someone forwards a chat record (合并转发, `merge_forward`) to a chat: the record and the messages in it are
 * stored (with `upper_message_id`, from the chat they came from, so they are not in this chat's history), and
 * the event Lark sends for the record.
 */
export function forwardedRecordEvent(
  fake: FakeLarkServer,
  options: {
    chatId: string;
    userId: string;
    messages: ForwardedMessage[];
    /** The chat the messages were forwarded from (default: one the bot is not in). */
    fromChatId?: string;
    userAgent?: string;
    parentId?: string;
  },
): { message: FakeMessage; payload: EventEnvelope } {
  const state = fake.state;
  // The record's own body, as recorded in larksuite/node-sdk channel/normalize/__tests__/merge-forward.test.ts.
  const record = state.userSays({
    chatId: options.chatId,
    userId: options.userId,
    msgType: 'merge_forward',
    content: 'Merged and Forwarded Message',
    parentId: options.parentId,
  });
  const store = (recordId: string, messages: ForwardedMessage[]) => {
    for (const forwarded of messages) {
      const stored = state.userSays({
        chatId: options.fromChatId ?? 'oc_source0000000000000000000000000',
        userId: forwarded.senderId,
        msgType: forwarded.messages ? 'merge_forward' : (forwarded.msgType ?? 'text'),
        content: forwarded.messages
          ? 'Merged and Forwarded Message'
          : (forwarded.content ?? JSON.stringify({ text: forwarded.text ?? '' })),
        createTime: forwarded.createTime,
      });
      stored.upperMessageId = recordId;
      if (forwarded.messages) store(stored.messageId, forwarded.messages);
    }
  };
  store(record.messageId, options.messages);
  return { message: record, payload: receiveEvent(fake, record, [], undefined, options.userAgent) };
}
