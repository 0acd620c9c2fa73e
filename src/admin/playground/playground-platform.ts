import type { ChatPlatform, PostedMessageRef, ReplyStream } from '../../core/chat-platform';
import type { ConversationAudience } from '../../core/conversation';
import type { HistoryMessage } from '../../core/history-message';
import type { Reply } from '../../core/reply';

/** A reply the playground caught instead of posting it. */
export interface CapturedReply {
  /** The id the skill got back for it. */
  id: string;
  /** Its final form (a placeholder updated later is replaced). */
  reply: Reply;
  /** Sent only to the requester (ephemeral, or a direct message). */
  private: boolean;
  /** Written piece by piece through a stream. */
  streamed: boolean;
}

/** The playground's platform and what it caught. */
export interface PlaygroundPlatform {
  /** The port the real skills talk to. */
  platform: ChatPlatform;
  /** Every message the job posted, in posting order, each in its final form. */
  replies(): CapturedReply[];
  /** Milliseconds from creation to the first text shown (a post, or a stream's first piece). */
  firstShownMs(): number | undefined;
}

/**
 * A chat platform that lives in the console: its history is the sample or pasted thread, everyone may read
 * it, and whatever the skills post, update or stream is kept here and shown in the browser. It talks to no
 * chat service: nothing reaches Slack or Lark from the playground.
 */
export function createPlaygroundPlatform(messages: readonly HistoryMessage[]): PlaygroundPlatform {
  const started = Date.now();
  const captured: CapturedReply[] = [];
  let firstShown: number | undefined;
  let counter = 0;
  const shown = () => {
    firstShown ??= Date.now() - started;
  };
  const find = (id: string) => captured.find((entry) => entry.id === id);
  const everyone: ConversationAudience = { openTo: 'members', external: false };

  const platform: ChatPlatform = {
    name: 'console',
    async history(_conversation, query) {
      const after = query.afterId ? messages.findIndex((message) => message.id === query.afterId) + 1 : 0;
      const selected = messages.slice(after);
      return { messages: selected.slice(0, query.limit), truncated: selected.length > query.limit };
    },
    async isMember() {
      return true;
    },
    async audience() {
      return everyone;
    },
    async post(conversation, reply, options): Promise<PostedMessageRef> {
      shown();
      const id = `reply-${++counter}`;
      captured.push({ id, reply, private: Boolean(options?.privateTo), streamed: false });
      return { id, channel: conversation.channel };
    },
    async update(_conversation, message, reply) {
      const entry = find(message.id);
      if (entry) entry.reply = reply;
    },
    async stream(conversation): Promise<ReplyStream> {
      const entry: CapturedReply = {
        id: `reply-${++counter}`,
        reply: { markdown: '' },
        private: false,
        streamed: true,
      };
      captured.push(entry);
      return {
        async append(markdown) {
          shown();
          entry.reply = { ...entry.reply, markdown: entry.reply.markdown + markdown };
        },
        async finish(reply) {
          shown();
          entry.reply = reply;
          return { id: entry.id, channel: conversation.channel };
        },
      };
    },
    async messageLink(_conversation, messageId) {
      return messages.find((message) => message.id === messageId)?.link;
    },
  };
  return { platform, replies: () => captured.map((entry) => ({ ...entry })), firstShownMs: () => firstShown };
}
