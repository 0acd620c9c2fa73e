import type { ConversationRef } from '../../src/core/conversation';
import type { InboundMessage, InboundVia, UnreadablePart } from '../../src/core/inbound-message';
import type { SharedFile } from '../../src/core/shared-file';
import type { SlackContext, SlackPlatformData } from './context';
import { isHostedFile, isMediaFile, type SlackFileObject, toSharedFile } from './files';
import { attachmentsText, type SlackAttachment } from './message-content';
import { responseUrlPrefix } from './messages';
import { decodeActionId } from './render';
import { type NameLookup, toReadableText } from './text';

/** The fields of a Slack message event Deskmate reads (`app_mention`, `message`). */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  /** The team of the person who wrote it; in a Slack Connect channel, their own organization's. */
  team?: string;
  /** The writer's team (Slack Connect events carry it beside `team` and `source_team`). */
  user_team?: string;
  /** Files shared with the message (`file_share`). */
  files?: SlackFileObject[];
  /** A shared or forwarded message (`is_share`), or an app's attachments. */
  attachments?: SlackAttachment[];
  /** Set when the message was edited: Slack re-sends `app_mention` for an edited mention with it. */
  edited?: { user?: string; ts?: string };
}

/** The fields of a slash command Deskmate reads. */
export interface SlackCommandPayload {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
  response_url?: string;
  trigger_id?: string;
}

/** The fields of a `block_actions` payload Deskmate reads. */
export interface SlackBlockActionsPayload {
  type: string;
  user: { id: string; username?: string; name?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string; name?: string };
  container?: { message_ts?: string; channel_id?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
  response_url?: string;
  trigger_id?: string;
  actions?: Array<{ action_id?: string; value?: string; action_ts?: string; text?: { text?: string } }>;
}

/** Where an event came from: its envelope's ids. */
interface EventOrigin {
  /** `event_id` of the envelope. */
  eventId?: string;
  /** `team_id` of the envelope. */
  teamId?: string;
  /** The bot's user id (auth.test, else the envelope's `authorizations`). */
  botUserId?: string;
}

/** Message subtypes that are something a person wrote. */
const contentSubtypes = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

/** Slack's own system user: its direct messages ("… archived the channel …") are notices, like a bot's. */
export const slackSystemUser = 'USLACK';

/**
 * Whether an event is Slack re-sending an edited message. Editing a message that mentions the app makes Slack
 * send `app_mention` again with a new `event_id`, the same `ts` and an `edited` field (slack-go/slack#1256;
 * PostHog/posthog#59517). Deskmate never treats an edit as a new request, decided from the payload alone so
 * it does not depend on whether the 9 h dedupe still remembers the message: answering edits would post a
 * second answer for every typo fixed, and in direct messages and the AI panel Slack sends only
 * `message_changed` for an edit, which is no request either, so an edit behaves the same everywhere (the
 * choice PostHog, inkeep/agents#2284 and cc-connect#1579 made). The cost: a message edited to add the
 * mention is not answered; asking again in a new message always works.
 */
export function isEditedMessage(event: SlackMessageEvent): boolean {
  return Boolean(event.edited);
}

/** Whether a message event is a person's own message (no bot, no Slack notice, no edit or join notice). */
export function isPersonMessage(event: SlackMessageEvent): boolean {
  return (
    !event.bot_id &&
    Boolean(event.user) &&
    event.user !== slackSystemUser &&
    contentSubtypes.has(event.subtype) &&
    !isEditedMessage(event)
  );
}

/** The shared files Deskmate cannot read, by kind: media, and files Slack does not host (external, deleted). */
function unreadableFiles(event: SlackMessageEvent): UnreadablePart[] {
  return (event.files ?? [])
    .filter((file) => isMediaFile(file) || !isHostedFile(file))
    .map((file) => {
      const type = file.mimetype ?? '';
      if (type.startsWith('image/')) return { kind: 'image' };
      if (type.startsWith('audio/')) return { kind: 'audio' };
      if (type.startsWith('video/')) return { kind: 'video' };
      return { kind: 'file' };
    });
}

/** The shared files Deskmate can read when asked (documents Slack hosts), from the payload alone. */
function readableFiles(
  event: SlackMessageEvent,
  conversation: ConversationRef,
  messageId: string,
): SharedFile[] {
  return (event.files ?? [])
    .filter((file) => !isMediaFile(file) && isHostedFile(file))
    .flatMap((file) => toSharedFile(file, conversation, messageId) ?? []);
}

/** Whether a channel id or event is a direct message with the bot. */
export function isDirectChannel(channel: string, channelType?: string): boolean {
  return channelType === 'im' || (channelType === undefined && channel.startsWith('D'));
}

/** Nothing looked up: on the acknowledgement path names come only from the payload (the job side adds the rest). */
const payloadOnly: NameLookup = { users: new Map(), channels: new Map() };

function author(id: string, name?: string) {
  return { id, ...(name ? { name } : {}) };
}

/** Options for normalizing a message event. */
interface MessageNormalizeOptions extends EventOrigin {
  /** How it reached the bot. */
  via: Extract<InboundVia, 'mention' | 'dm' | 'assistant'>;
  /** Extra platform data (assistant thread). */
  platformData?: SlackPlatformData;
  /** The channel the person is viewing beside the AI-app panel (`assistant_thread.context.channel_id`). */
  viewingChannel?: string;
}

/**
 * An `app_mention` or `message` event as an InboundMessage: the message id is `channel:ts`, so one post
 * delivered as both `app_mention` and `message` is one job; a mention is answered in its thread (its own
 * `ts` when it was not in one); a direct message at the top level stays at the top level.
 */
export function normalizeMessageEvent(
  context: SlackContext,
  event: SlackMessageEvent,
  options: MessageNormalizeOptions,
): InboundMessage {
  const raw = event.text ?? '';
  const userId = event.user ?? '';
  const readable = toReadableText(raw, payloadOnly, options.botUserId);
  const direct = isDirectChannel(event.channel, event.channel_type);
  const teamId = options.teamId ?? event.team ?? context.identity()?.teamId ?? 'slack';
  const conversation: ConversationRef = {
    platform: 'slack',
    workspace: teamId,
    channel: event.channel,
    thread: event.thread_ts ?? (direct ? undefined : event.ts),
    kind: direct ? 'dm' : 'group',
  };
  const messageId = `${event.channel}:${event.ts}`;
  // The stream's recipient team is the writer's own: in Slack Connect, not the installing workspace (envelope).
  const recipientTeam = event.user_team ?? event.team ?? teamId;
  const platformData: SlackPlatformData = { userId, teamId: recipientTeam, ...options.platformData };
  const unreadable = unreadableFiles(event);
  const files = readableFiles(event, conversation, messageId);
  const inThread = Boolean(event.thread_ts && event.thread_ts !== event.ts);
  // A shared or forwarded message is what the person quotes, never what they typed: it cannot pick a command.
  const quoted = toReadableText(attachmentsText(event.attachments), payloadOnly).text;
  // A direct chat open beside the panel (the person's own DMs) is nothing Deskmate may read: only channels count.
  const viewing =
    options.viewingChannel && !isDirectChannel(options.viewingChannel) ? options.viewingChannel : undefined;
  return {
    eventId: options.eventId ?? messageId,
    messageId,
    conversation,
    ...(viewing
      ? { viewing: { platform: 'slack', workspace: teamId, channel: viewing, kind: 'group' } }
      : {}),
    author: author(userId),
    text: readable.text,
    via: options.via,
    inThread,
    // A reply in a thread answers the thread's first message (Slack has no other "reply to").
    ...(inThread && event.thread_ts ? { replyTo: event.thread_ts } : {}),
    ...(quoted ? { quoted } : {}),
    ...(readable.mentions.length > 0 ? { mentions: readable.mentions } : {}),
    ...(unreadable.length > 0 ? { unreadable } : {}),
    ...(files.length > 0 ? { files } : {}),
    receivedAt: context.now().toISOString(),
    platformData,
  };
}

/** Options for normalizing a slash command. */
interface CommandNormalizeOptions {
  /** The command that takes a command word first (`/deskmate summarize …`). */
  umbrellaCommand: string;
  /** The bot's user id. */
  botUserId?: string;
}

/**
 * A slash command as an InboundMessage. `/deskmate summarize last 24h` names the command word `summarize`
 * with args `last 24h` (bare `/deskmate` is `help`); `/summarize last 24h` names `summarize`. The router
 * maps the word (English or Chinese) to its skill.
 */
export function normalizeCommand(
  context: SlackContext,
  payload: SlackCommandPayload,
  options: CommandNormalizeOptions,
): InboundMessage {
  const raw = payload.text ?? '';
  const text = toReadableText(raw, payloadOnly, options.botUserId);
  const commandName = payload.command.replace(/^\//, '').toLowerCase();
  let command: { name: string; args: string };
  if (commandName === options.umbrellaCommand) {
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text.text);
    command = match ? { name: match[1].toLowerCase(), args: match[2].trim() } : { name: 'help', args: '' };
  } else {
    command = { name: commandName, args: text.text };
  }
  const direct = payload.channel_id.startsWith('D') || payload.channel_name === 'directmessage';
  const teamId = payload.team_id ?? context.identity()?.teamId ?? 'slack';
  const id = `command:${payload.trigger_id ?? `${payload.channel_id}:${payload.user_id}:${Date.now()}`}`;
  const platformData: SlackPlatformData = {
    userId: payload.user_id,
    teamId,
    ...(payload.response_url ? { responseUrl: payload.response_url } : {}),
  };
  return {
    eventId: id,
    messageId: id,
    conversation: {
      platform: 'slack',
      workspace: teamId,
      channel: payload.channel_id,
      kind: direct ? 'dm' : 'group',
    },
    author: author(payload.user_id, payload.user_name),
    text: text.text,
    via: 'command',
    command,
    // Slack's convention: only the person who used a slash command sees its answers.
    answerPrivately: true,
    ...(text.mentions.length > 0 ? { mentions: text.mentions } : {}),
    receivedAt: context.now().toISOString(),
    platformData,
  };
}

/** A click on a Deskmate button as an InboundMessage, or `undefined` when the button is not one of ours. */
export function normalizeAction(
  context: SlackContext,
  payload: SlackBlockActionsPayload,
): InboundMessage | undefined {
  const action = payload.actions?.[0];
  const decoded = action?.action_id ? decodeActionId(action.action_id) : undefined;
  const channel = payload.container?.channel_id ?? payload.channel?.id;
  if (!action || !decoded || !channel) return undefined;
  // The card's channel is the container's; a payload naming two different channels is not trusted.
  if (
    payload.container?.channel_id &&
    payload.channel?.id &&
    payload.container.channel_id !== payload.channel.id
  ) {
    return undefined;
  }
  const direct = channel.startsWith('D');
  const sourceTs = payload.container?.message_ts ?? payload.message?.ts;
  // A click on a private (ephemeral) card: Slack sends no `message`, and the card can change only through
  // this click's response_url; its ts starts no thread, and every answer stays private.
  const onPrivateCard = payload.container?.is_ephemeral === true;
  const thread =
    payload.message?.thread_ts ??
    payload.container?.thread_ts ??
    (direct || onPrivateCard ? undefined : sourceTs);
  const teamId = payload.team?.id ?? payload.user.team_id ?? context.identity()?.teamId ?? 'slack';
  const id = `action:${payload.trigger_id ?? `${sourceTs}:${action.action_id}:${action.action_ts}`}`;
  // The private card is named by its click: the job side records the click's response_url under this id.
  const source =
    onPrivateCard && payload.response_url
      ? `${responseUrlPrefix}${id}`
      : onPrivateCard
        ? undefined
        : sourceTs;
  const platformData: SlackPlatformData = {
    userId: payload.user.id,
    // The clicker's own team (Slack Connect: not the workspace the card lives in).
    teamId: payload.user.team_id ?? teamId,
    ...(payload.response_url ? { responseUrl: payload.response_url } : {}),
  };
  return {
    eventId: id,
    messageId: id,
    conversation: { platform: 'slack', workspace: teamId, channel, thread, kind: direct ? 'dm' : 'group' },
    author: author(payload.user.id, payload.user.name ?? payload.user.username),
    text: action.text?.text ?? '',
    via: 'action',
    action: {
      skill: decoded.skill,
      action: decoded.action,
      value: action.value ?? '',
      ...(source ? { sourceMessageId: source } : {}),
      ...(onPrivateCard ? { onPrivateCard: true } : {}),
    },
    ...(onPrivateCard ? { answerPrivately: true } : {}),
    receivedAt: context.now().toISOString(),
    platformData,
  };
}

/** The fields of a `file_deleted` event Deskmate reads. */
export interface SlackFileDeletedEvent {
  type: 'file_deleted';
  file_id?: string;
  channel_ids?: string[];
  event_ts?: string;
}

/**
 * A deleted file, from the payload alone: no one's request (`via: 'event'`); the job removes the knowledge
 * sources made from it. Its message id names the file, so a second delivery dedupes.
 */
export function normalizeFileDeleted(
  event: SlackFileDeletedEvent,
  origin: EventOrigin,
  receivedAt: Date,
): InboundMessage | undefined {
  if (!event.file_id || !origin.teamId) return undefined;
  return {
    eventId: origin.eventId ?? `file_deleted:${event.file_id}`,
    messageId: `file_deleted:${event.file_id}`,
    conversation: {
      platform: 'slack',
      workspace: origin.teamId,
      channel: event.channel_ids?.[0] ?? 'files',
      kind: 'group',
    },
    author: { id: '' },
    text: '',
    via: 'event',
    removed: { kind: 'file', fileId: event.file_id },
    receivedAt: receivedAt.toISOString(),
  };
}
