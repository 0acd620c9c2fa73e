import type { ConversationAudience, ConversationRef } from './conversation';
import type { HistoryQuery, HistoryResult } from './history-message';
import type { InboundMessage } from './inbound-message';
import type { Reply } from './reply';
import type { FileCapability } from './shared-file';

/** A message Deskmate posted, enough to update it later. */
export interface PostedMessageRef {
  /** The platform's id of the posted message (Slack `ts`, Lark `message_id`). */
  id: string;
  /** The channel it was posted in. */
  channel: string;
}

/** A reply being written piece by piece; `finish` always ends with the full text. */
export interface ReplyStream {
  /** Add text to the reply. */
  append(markdown: string): Promise<void>;
  /** Finish the reply with its final form. */
  finish(reply: Reply): Promise<PostedMessageRef>;
}

/** A task to create on the platform's task service. */
export interface TaskDraft {
  /** What to do. */
  summary: string;
  /** More detail, e.g. a link to the source message. */
  description?: string;
  /** Platform user id of the owner. */
  assigneeId?: string;
  /** Due time (ISO 8601). */
  due?: string;
  /** Idempotency key: the same key never creates a second task. */
  idempotencyKey: string;
}

/** A task created on the platform. */
export interface CreatedTask {
  /** The platform's task id. */
  id: string;
  /** A link that opens it. */
  url?: string;
}

/** Optional capability: a real task service (Lark tasks). */
export interface TaskCapability {
  /** Create a task; the same idempotency key returns the first task. */
  createTask(draft: TaskDraft): Promise<CreatedTask>;
  /** Mark a task done (completing a done task changes nothing). */
  completeTask?(taskId: string, at: Date): Promise<void>;
}

/** A time range. */
export interface TimeRange {
  /** Start (ISO 8601). */
  start: string;
  /** End (ISO 8601). */
  end: string;
}

/** A meeting to put on calendars. */
export interface EventDraft extends TimeRange {
  /** Title. */
  title: string;
  /** IANA timezone the times were asked in. */
  timezone: string;
  /** Platform user ids of the attendees. */
  attendeeIds: string[];
  /** Description. */
  description?: string;
  /** Idempotency key: the same key never creates a second event. */
  idempotencyKey: string;
}

/** A calendar event created on the platform. */
export interface CreatedEvent {
  /** The platform's event id. */
  id: string;
  /** A link that opens it. */
  url?: string;
}

/** Optional capability: a real calendar (Lark calendar). */
export interface CalendarCapability {
  /** Busy ranges of each user in the window, keyed by user id. */
  freeBusy(userIds: string[], window: TimeRange): Promise<Record<string, TimeRange[]>>;
  /** Create an event and invite the attendees. */
  createEvent(draft: EventDraft): Promise<CreatedEvent>;
}

/** The port skills use to talk to a chat platform; adapters implement it. */
export interface ChatPlatform {
  /** Which platform this is. */
  readonly name: ConversationRef['platform'];
  /** How the platform is named to the model, when not its `name` (Lark in China: "Feishu (飞书)"). */
  readonly displayName?: string;
  /** Read a thread, or a channel since a time, oldest first. */
  history(conversation: ConversationRef, query: HistoryQuery): Promise<HistoryResult>;
  /** Whether the user may read the conversation (is a member of it). */
  isMember(conversation: ConversationRef, userId: string): Promise<boolean>;
  /** Who can read the conversation: its members only, or anyone in the workspace; outsiders or not. */
  audience(conversation: ConversationRef): Promise<ConversationAudience>;
  /** Post a reply in the conversation (in its thread when it has one). */
  post(conversation: ConversationRef, reply: Reply, options?: PostOptions): Promise<PostedMessageRef>;
  /**
   * The message Deskmate posted earlier with this idempotency key, for platforms whose posts are not
   * idempotent by themselves; asked only when a job may have died between posting and recording it.
   */
  findPosted?(conversation: ConversationRef, idempotencyKey: string): Promise<PostedMessageRef | undefined>;
  /** Replace a message Deskmate posted earlier. */
  update(conversation: ConversationRef, message: PostedMessageRef, reply: Reply): Promise<void>;
  /** Start a streamed reply, where the platform can show one growing. */
  stream?(conversation: ConversationRef, options?: PostOptions): Promise<ReplyStream>;
  /** Show that Deskmate is working (Slack assistant status), where the platform has it. */
  setStatus?(conversation: ConversationRef, status: string): Promise<void>;
  /** A link that opens a message, for citations. */
  messageLink?(conversation: ConversationRef, messageId: string): Promise<string | undefined>;
  /**
   * The conversation (and message) a pasted message link points to, when it is a link of this platform.
   * `from` is the conversation the link was pasted in: a link resolves within its workspace.
   */
  resolveLink?(url: string, from: ConversationRef): Promise<LinkedMessage | undefined>;
  /**
   * Job-side work kept off the acknowledgement path: the message with what its payload did not carry (the
   * names of its author and of the people and channels it mentions, the author's timezone and locale),
   * looked up through the platform and cached in the store; and any "working on it" sign the platform shows.
   */
  prepareMessage?(message: InboundMessage): Promise<InboundMessage>;
  /** Real tasks, where the platform has them. */
  tasks?: TaskCapability;
  /** A real calendar, where the platform has it. */
  calendar?: CalendarCapability;
  /** Shared files and linked documents, where Deskmate can read them. */
  files?: FileCapability;
}

/** A message a link points to. */
export interface LinkedMessage {
  /** The conversation (its thread, when the link is to a thread or a reply). */
  conversation: ConversationRef;
  /** The linked message's id; absent for a link to a whole channel (summarized like the channel itself). */
  messageId?: string;
}

/** Options for posting. */
export interface PostOptions {
  /** Show only to this user (ephemeral), where the platform can. */
  privateTo?: string;
  /** Idempotency key for platforms that accept one (Lark `uuid`). */
  idempotencyKey?: string;
  /** Platform-specific data carried from the inbound message (response_url…). */
  platformData?: Record<string, unknown>;
}
