/** The chat platforms Deskmate speaks to; `console` is the local development adapter. */
export type Platform = 'slack' | 'lark' | 'console';

/** Where a message lives: enough to read its history and to answer in the right place. */
export interface ConversationRef {
  /** Which platform the conversation is on. */
  platform: Platform;
  /** The workspace: Slack `team_id`, Lark `tenant_key`, `local` for the console. */
  workspace: string;
  /** The channel: Slack channel id, Lark `chat_id`. */
  channel: string;
  /** The thread the answer belongs in: Slack `thread_ts`, Lark root message id. */
  thread?: string;
  /** A direct conversation with the bot, or a group conversation. */
  kind: 'dm' | 'group';
}

/** A stable string key for a conversation (thread included), used for memory and locks. */
export function conversationKey(conversation: ConversationRef): string {
  const thread = conversation.thread ?? '-';
  return `${conversation.platform}:${conversation.workspace}:${conversation.channel}:${thread}`;
}

/** Who can read a conversation. */
export interface ConversationAudience {
  /** `workspace`: anyone in the workspace may open it (a public channel); `members`: only its members. */
  openTo: 'workspace' | 'members';
  /** Whether people outside the workspace are in it (Slack Connect, Lark external groups). */
  external: boolean;
}
