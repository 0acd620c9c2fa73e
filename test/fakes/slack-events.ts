import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'node:querystring';
import type { FakeSlackMessage, FileShareOptions } from './slack-state';
import type { FakeSlackServer } from './slack-web-api';

const fixtures = join(__dirname, '..', 'fixtures', 'slack');

/** A fixture payload (a fresh copy each time). */
export function slackFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}

/** An Events API envelope. */
export interface EventEnvelope extends Record<string, unknown> {
  event_id: string;
  event: Record<string, unknown>;
}

/** Slack's request signature headers for a body, as Slack computes them. */
export function signedHeaders(
  body: string,
  signingSecret: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

/** Options for a delivery. */
export interface DeliveryOptions {
  /** `X-Slack-Retry-Num` (and a retry reason) for a redelivery. */
  retryNum?: number;
  /** Request timestamp (unix seconds); default now. */
  timestamp?: number;
  /** Replace the signature header. */
  signature?: string;
  /** Content type (default JSON for events, form for commands and actions). */
  contentType?: string;
}

/** What the bot's server answered. */
export interface DeliveryAnswer {
  status: number;
  text: string;
}

/** POST a raw body to the bot, signed with the signing secret (unless the options forge it). */
export async function postSigned(
  url: string,
  body: string,
  signingSecret: string,
  options: DeliveryOptions & { contentType: string },
): Promise<DeliveryAnswer> {
  const headers: Record<string, string> = {
    'content-type': options.contentType,
    ...signedHeaders(body, signingSecret, options.timestamp),
    ...(options.signature ? { 'x-slack-signature': options.signature } : {}),
    ...(options.retryNum
      ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {}),
  };
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/** Deliver an Events API envelope over HTTP, as Slack does. */
export function deliverEvent(
  url: string,
  envelope: Record<string, unknown>,
  signingSecret: string,
  options: DeliveryOptions = {},
): Promise<DeliveryAnswer> {
  return postSigned(url, JSON.stringify(envelope), signingSecret, {
    ...options,
    contentType: options.contentType ?? 'application/json',
  });
}

/** Deliver a slash command (form fields) over HTTP. */
export function deliverCommand(
  url: string,
  fields: Record<string, string>,
  signingSecret: string,
  options: DeliveryOptions = {},
): Promise<DeliveryAnswer> {
  return postSigned(url, stringify(fields), signingSecret, {
    ...options,
    contentType: options.contentType ?? 'application/x-www-form-urlencoded',
  });
}

/** Deliver an interaction payload (`payload=<json>` form) over HTTP. */
export function deliverInteraction(
  url: string,
  payload: Record<string, unknown>,
  signingSecret: string,
  options: DeliveryOptions = {},
): Promise<DeliveryAnswer> {
  return postSigned(url, stringify({ payload: JSON.stringify(payload) }), signingSecret, {
    ...options,
    contentType: options.contentType ?? 'application/x-www-form-urlencoded',
  });
}

function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

function envelopeFor(fake: FakeSlackServer, fixture: string, event: Record<string, unknown>): EventEnvelope {
  const envelope = slackFixture<EventEnvelope>(fixture);
  envelope.team_id = fake.state.teamId;
  envelope.api_app_id = fake.state.appId;
  envelope.event_id = newEventId();
  envelope.event_time = Math.floor(Date.now() / 1000);
  envelope.authorizations = [
    {
      enterprise_id: null,
      team_id: fake.state.teamId,
      user_id: fake.state.botUserId,
      is_bot: true,
      is_enterprise_install: false,
    },
  ];
  envelope.event = { ...envelope.event, ...event };
  return envelope;
}

/**
 * Someone mentions the bot: the message is stored in the fake (so history has it) and the `app_mention`
 * envelope Slack would send for it is returned. `{bot}` in the text marks the bot's mention.
 */
export function mentionEvent(
  fake: FakeSlackServer,
  options: { channel: string; user: string; text: string; threadTs?: string },
): { message: FakeSlackMessage; envelope: EventEnvelope } {
  const raw = options.text.replace(/\{bot\}/g, `<@${fake.state.botUserId}>`);
  const message = fake.state.userSays({
    channel: options.channel,
    user: options.user,
    text: raw,
    threadTs: options.threadTs,
  });
  const event: Record<string, unknown> = {
    user: options.user,
    text: raw,
    ts: message.ts,
    event_ts: message.ts,
    channel: options.channel,
    team: fake.state.teamId,
    client_msg_id: randomBytes(8).toString('hex'),
    blocks: [],
  };
  const envelope = envelopeFor(fake, 'app-mention.json', event);
  if (options.threadTs) envelope.event.thread_ts = options.threadTs;
  else {
    delete envelope.event.thread_ts;
    delete envelope.event.parent_user_id;
  }
  return { message, envelope };
}

/**
 * The person edits a message that mentions the bot: the stored text changes and Slack sends `app_mention`
 * again, with a new `event_id`, the same `ts` and an `edited` field (the shape in slack-go/slack#1256;
 * re-firing reported in PostHog/posthog#59517, inkeep/agents#2284, chenhg5/cc-connect#1579).
 */
export function editedMentionEvent(
  fake: FakeSlackServer,
  message: FakeSlackMessage,
  newText: string,
): EventEnvelope {
  const raw = newText.replace(/\{bot\}/g, `<@${fake.state.botUserId}>`);
  message.text = raw;
  const editedTs = fake.state.nextTs();
  const envelope = envelopeFor(fake, 'app-mention.json', {
    user: message.user,
    text: raw,
    ts: message.ts,
    event_ts: editedTs,
    channel: message.channel,
    team: fake.state.teamId,
    client_msg_id: randomBytes(8).toString('hex'),
    blocks: [],
    edited: { user: message.user, ts: editedTs },
  });
  if (message.threadTs) envelope.event.thread_ts = message.threadTs;
  else {
    delete envelope.event.thread_ts;
    delete envelope.event.parent_user_id;
  }
  return envelope;
}

/** The `message` envelope (`message.channels` / `message.im`) of a stored message. */
export function messageEventFor(
  fake: FakeSlackServer,
  message: FakeSlackMessage,
  channelType: string,
): EventEnvelope {
  const envelope = envelopeFor(fake, 'message-im.json', {
    user: message.user,
    text: message.text,
    ts: message.ts,
    event_ts: message.ts,
    channel: message.channel,
    channel_type: channelType,
    blocks: [],
  });
  if (message.threadTs) envelope.event.thread_ts = message.threadTs;
  return envelope;
}

/** Someone writes to the bot directly: stored, and the `message.im` envelope returned. */
export function directMessageEvent(
  fake: FakeSlackServer,
  options: { user: string; text: string; threadTs?: string },
): { message: FakeSlackMessage; envelope: EventEnvelope } {
  const channel = fake.state.directChannel(options.user);
  const message = fake.state.userSays({
    channel: channel.id,
    user: options.user,
    text: options.text,
    threadTs: options.threadTs,
  });
  return { message, envelope: messageEventFor(fake, message, 'im') };
}

/** The user opens the assistant panel (while viewing `contextChannel`): a new assistant thread. */
export function assistantThreadStartedEvent(
  fake: FakeSlackServer,
  options: { user: string; contextChannel?: string },
): { threadTs: string; channel: string; envelope: EventEnvelope } {
  const channel = fake.state.directChannel(options.user);
  const root = fake.state.botPosts({ channel: channel.id, text: '' });
  const envelope = envelopeFor(fake, 'assistant-thread-started.json', {
    event_ts: fake.state.nextTs(),
    assistant_thread: {
      user_id: options.user,
      context: options.contextChannel
        ? { channel_id: options.contextChannel, team_id: fake.state.teamId, enterprise_id: null }
        : {},
      channel_id: channel.id,
      thread_ts: root.ts,
    },
  });
  return { threadTs: root.ts, channel: channel.id, envelope };
}

/**
 * The user moves to another channel with the panel open: `assistant_thread_context_changed`, the same
 * `assistant_thread` shape as `assistant_thread_started` (https://docs.slack.dev/reference/events/assistant_thread_context_changed).
 */
export function assistantContextChangedEvent(
  fake: FakeSlackServer,
  options: { user: string; channel: string; threadTs: string; contextChannel: string },
): EventEnvelope {
  return envelopeFor(fake, 'assistant-thread-started.json', {
    type: 'assistant_thread_context_changed',
    event_ts: fake.state.nextTs(),
    assistant_thread: {
      user_id: options.user,
      context: { channel_id: options.contextChannel, team_id: fake.state.teamId, enterprise_id: null },
      channel_id: options.channel,
      thread_ts: options.threadTs,
    },
  });
}

/** The user writes in an assistant thread: stored, and the `message.im` envelope returned. */
export function assistantMessageEvent(
  fake: FakeSlackServer,
  options: { user: string; channel: string; threadTs: string; text: string },
): EventEnvelope {
  const message = fake.state.userSays({
    channel: options.channel,
    user: options.user,
    text: options.text,
    threadTs: options.threadTs,
  });
  const envelope = envelopeFor(fake, 'assistant-user-message.json', {
    user: options.user,
    text: options.text,
    ts: message.ts,
    event_ts: message.ts,
    channel: options.channel,
    thread_ts: options.threadTs,
    parent_user_id: fake.state.botUserId,
  });
  return envelope;
}

/** The form fields of a slash command, with a `response_url` on the fake. */
export function slashCommand(
  fake: FakeSlackServer,
  options: { command: string; text: string; user: string; channel: string },
): Record<string, string> {
  const fields = slackFixture<Record<string, string>>('slash-command.json');
  const channel = fake.state.channels.get(options.channel);
  return {
    ...fields,
    team_id: fake.state.teamId,
    api_app_id: fake.state.appId,
    command: options.command,
    text: options.text,
    user_id: options.user,
    user_name: fake.state.users.get(options.user)?.name ?? 'someone',
    channel_id: options.channel,
    channel_name: channel?.isIm ? 'directmessage' : (channel?.name ?? 'unknown'),
    response_url: fake.newResponseUrl({ kind: 'command', channel: options.channel, user: options.user }),
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
  };
}

/** The `block_actions` payload of a click on a button of a bot message. */
export function buttonClick(
  fake: FakeSlackServer,
  options: { user: string; message: FakeSlackMessage; actionId: string },
): Record<string, unknown> {
  const payload = slackFixture<Record<string, unknown>>('block-actions.json');
  const buttons = (options.message.blocks ?? [])
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements as Array<Record<string, unknown>>);
  const button = buttons.find((element) => element.action_id === options.actionId);
  if (!button) throw new Error(`no button ${options.actionId} on the message`);
  return {
    ...payload,
    user: {
      id: options.user,
      username: fake.state.users.get(options.user)?.name,
      name: fake.state.users.get(options.user)?.name,
      team_id: fake.state.teamId,
    },
    team: { id: fake.state.teamId, domain: 'deskmate-test' },
    api_app_id: fake.state.appId,
    container: {
      type: 'message',
      message_ts: options.message.ts,
      channel_id: options.message.channel,
      is_ephemeral: Boolean(options.message.visibleTo),
      ...(options.message.threadTs ? { thread_ts: options.message.threadTs } : {}),
    },
    channel: { id: options.message.channel, name: fake.state.channels.get(options.message.channel)?.name },
    // A click on an ephemeral message carries `container.is_ephemeral` and no `message` object (Slack keeps
    // no copy of ephemeral messages; Bolt's BlockAction types `message` as optional; slack-go/slack#711 lists
    // the container's `is_ephemeral`).
    message: options.message.visibleTo
      ? undefined
      : {
          type: 'message',
          user: fake.state.botUserId,
          bot_id: fake.state.botId,
          ts: options.message.ts,
          text: options.message.text,
          blocks: options.message.blocks,
          ...(options.message.threadTs ? { thread_ts: options.message.threadTs } : {}),
        },
    response_url: fake.newResponseUrl({
      kind: 'interaction',
      channel: options.message.channel,
      user: options.user,
      messageTs: options.message.ts,
    }),
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    actions: [{ ...button, block_id: 'b1', action_ts: fake.state.nextTs() }],
  };
}

/**
 * Someone shares a file: in a channel with the bot mentioned (`app_mention` carrying `files`), or in their
 * direct chat with the bot (`message` with subtype `file_share`). The message and file are stored in the
 * fake, which serves the file to the bot token.
 */
export function fileShareEvent(
  fake: FakeSlackServer,
  options: FileShareOptions,
): { message: FakeSlackMessage; envelope: EventEnvelope; fileId: string } {
  const channel = options.channel ?? fake.state.directChannel(options.user).id;
  const direct = channel.startsWith('D');
  const raw = (options.text ?? '').replace(/\{bot\}/g, `<@${fake.state.botUserId}>`);
  const { message, file } = fake.state.userSharesFile({ ...options, channel, text: raw });
  const event: Record<string, unknown> = {
    user: options.user,
    text: raw,
    ts: message.ts,
    event_ts: message.ts,
    channel,
    team: fake.state.teamId,
    files: [fake.fileObject(file)],
    upload: false,
    display_as_bot: false,
    blocks: [],
    ...(direct ? { subtype: 'file_share', channel_type: 'im' } : {}),
  };
  const envelope = envelopeFor(fake, direct ? 'file-share.json' : 'app-mention.json', event);
  delete envelope.event.client_msg_id;
  if (options.threadTs) envelope.event.thread_ts = options.threadTs;
  else {
    delete envelope.event.thread_ts;
    delete envelope.event.parent_user_id;
  }
  return { message, envelope, fileId: file.id };
}

/** A file was deleted: the `file_deleted` envelope Slack sends (a file id, no file object, no user). */
export function fileDeletedEvent(fake: FakeSlackServer, fileId: string): EventEnvelope {
  const envelope = envelopeFor(fake, 'file-deleted.json', { file_id: fileId, event_ts: fake.state.nextTs() });
  return envelope;
}
