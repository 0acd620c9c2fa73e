import type { SharedFile } from './shared-file';

/** A message read back from a conversation's history, for summaries and extraction. */
export interface HistoryMessage {
  /** The platform's message id (Slack `ts`, Lark `message_id`). */
  id: string;
  /** Who wrote it. */
  author: { id: string; name?: string };
  /** Plain text, mentions as readable names. */
  text: string;
  /** When it was written (ISO 8601). */
  at: string;
  /** A link that opens this message on the platform (permalink). */
  link?: string;
  /** Whether a bot wrote it. */
  isBot: boolean;
  /** Whether Deskmate itself wrote it, when the adapter can tell (other bots' posts, e.g. Jira's, are content). */
  fromSelf?: boolean;
  /** How many replies it has, when the platform says. */
  replyCount?: number;
  /** Files shared with it (documents only; images and media are not read). */
  files?: SharedFile[];
}

/** What to read: a thread, or a channel since a time. */
export interface HistoryQuery {
  /** Read this thread (root message id); otherwise the channel. */
  thread?: string;
  /** Oldest time to include (ISO 8601), for channel history. */
  since?: string;
  /** Only messages strictly after this message id (for incremental summaries). */
  afterId?: string;
  /** Read at most this many (a capped channel read keeps the newest; a thread keeps the first); see `truncated`. */
  limit: number;
}

/** Messages read, oldest first, and whether a cap stopped the read early. */
export interface HistoryResult {
  /** The messages, oldest first. */
  messages: HistoryMessage[];
  /** True when there were more messages than the limit allowed. */
  truncated: boolean;
}
