import type { ConversationRef } from './conversation';
import type { SharedFile } from './shared-file';

/** The person who sent a message. */
export interface Author {
  /** Platform user id (Slack `U…`, Lark `open_id`). */
  id: string;
  /** Display name, when the adapter knows it. */
  name?: string;
  /** The author's IANA timezone, when the platform profile says. */
  timezone?: string;
}

/**
 * How a message reached Deskmate. `event` is no one's request: the platform said content was removed (a
 * file deleted, a message recalled), and nothing is answered.
 */
export type InboundVia = 'mention' | 'dm' | 'command' | 'action' | 'assistant' | 'event';

/** Content removed on the platform; the knowledge sources made from it are removed too. */
export type RemovedContent =
  /** A file deleted (Slack `file_deleted`): its id. */
  | { kind: 'file'; fileId: string }
  /** A message recalled (Lark `im.message.recalled_v1`): its id; the files it carried go with it. */
  | { kind: 'message'; messageId: string };

/** A command word or slash command and the text after it. */
export interface CommandInvocation {
  /** The command word as typed, lowercased (`summarize`, `总结`); the router maps it to a skill. */
  name: string;
  /** The rest of the text after the command word. */
  args: string;
  /** Set when it came from a bot menu (Lark): a key no skill knows is answered with the help. */
  menu?: boolean;
}

/** Something in a message Deskmate cannot read: an image, audio, video, or a kind of message it does not know. */
export interface UnreadablePart {
  /** What it is. */
  kind: 'image' | 'file' | 'audio' | 'video' | 'sticker' | 'other';
  /** For `other`: the platform's name for the kind of message (Lark `message_type`). */
  type?: string;
}

/** A button click: which action and the value the button carried. */
export interface ActionInvocation {
  /** The skill that owns the button. */
  skill: string;
  /** The action within the skill (`create`, `cancel`, `done`). */
  action: string;
  /** The value the button carried (a small JSON string or id). */
  value: string;
  /** The message that holds the button, so the skill can update it. */
  sourceMessageId?: string;
  /**
   * The card was shown only to the clicker (a Slack ephemeral message, which Slack shows only to someone
   * in its channel): the platform vouches that the clicker could read the card's conversation.
   */
  onPrivateCard?: boolean;
}

/** One message from any platform, normalized by its adapter: the only input skills see. */
export interface InboundMessage {
  /** The platform's event id (Slack `event_id`, Lark `header.event_id`): deliveries dedupe on it. */
  eventId: string;
  /** The message's own id on the platform (Slack `channel:ts`, Lark `message_id`). */
  messageId: string;
  /** Where the message lives and where the answer goes. */
  conversation: ConversationRef;
  /** The channel the person has open beside this conversation (Slack's AI-app panel): what "this channel" means there. */
  viewing?: ConversationRef;
  /** Who sent it. */
  author: Author;
  /** The text, bot mention removed and other mentions as readable names. */
  text: string;
  /** How it reached Deskmate. */
  via: InboundVia;
  /** Set when a slash command or a command word picked the skill. */
  command?: CommandInvocation;
  /** Set for button clicks. */
  action?: ActionInvocation;
  /** True when the message was written inside an existing thread (not a top-level post). */
  inThread?: boolean;
  /** The text of the message this one replies to or quotes, when the platform says (for rewrite/translate). */
  quoted?: string;
  /** Users mentioned in the text, in order (ids and names), for owners and attendees. */
  mentions?: Author[];
  /** Parts Deskmate cannot read yet (images, voice, unknown message types): the answer says so. */
  unreadable?: UnreadablePart[];
  /** Files shared with the message that Deskmate can read when a skill asks (downloaded on the job side). */
  files?: SharedFile[];
  /** The message this one replies to (Lark's parent, the root of a Slack thread), when it is a reply. */
  replyTo?: string;
  /** Set for `via: 'event'`: what the platform removed. */
  removed?: RemovedContent;
  /**
   * Every answer goes only to the author, sent once complete (no placeholder, no streaming): set by the
   * adapter where the platform's convention is private answers (Slack slash commands, clicks on a private card).
   */
  answerPrivately?: boolean;
  /** BCP 47 language hint from the platform, when it sends one. */
  locale?: string;
  /** When the adapter received it (ISO 8601). */
  receivedAt: string;
  /** Platform-specific extras an adapter needs later (response_url, assistant thread); JSON only. */
  platformData?: Record<string, unknown>;
}
