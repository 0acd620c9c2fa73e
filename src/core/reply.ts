/** A link back to a message a reply is based on. */
export interface Citation {
  /** The label shown, usually the message number (`1`). */
  label: string;
  /** The permalink to the message. */
  url: string;
}

/** A button on a reply; clicking it reaches the named skill as an `action` message. */
export interface ReplyButton {
  /** The text on the button. */
  label: string;
  /** The skill that handles the click. */
  skill: string;
  /** The action within that skill. */
  action: string;
  /** A small value the click carries back (at most 2,000 characters). */
  value: string;
  /** Visual weight. */
  style?: 'primary' | 'danger';
}

/** A titled part of a reply (key points, decisions, …). */
export interface ReplySection {
  /** Heading of the section. */
  title: string;
  /** Markdown body of the section. */
  markdown: string;
}

/** A file attached to a reply (an `.ics` invite). */
export interface ReplyFile {
  /** File name shown to the user. */
  filename: string;
  /** MIME type. */
  contentType: string;
  /** The file's content. */
  content: string;
}

/** A platform-neutral answer; each adapter renders it (Slack blocks, Lark cards, console text). */
export interface Reply {
  /** The main text, standard Markdown. */
  markdown: string;
  /** Optional titled sections after the main text. */
  sections?: ReplySection[];
  /** Sources the reply cites. */
  citations?: Citation[];
  /** Buttons under the reply. */
  buttons?: ReplyButton[];
  /** A file to attach. */
  file?: ReplyFile;
  /** A short line under the reply (e.g. "made without a model"). */
  footnote?: string;
  /** Only the requester should see it (ephemeral where the platform can). */
  private?: boolean;
  /** User ids to notify: the adapter puts a real mention of each before the text (reminders, owners). */
  notify?: string[];
}

/** A plain Markdown reply. */
export function textReply(markdown: string, options: Omit<Reply, 'markdown'> = {}): Reply {
  return { markdown, ...options };
}
