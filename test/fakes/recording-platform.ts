import type { ChatPlatform, PostedMessageRef, PostOptions, ReplyStream } from '../../src/core/chat-platform';
import type { ConversationAudience, ConversationRef } from '../../src/core/conversation';
import type { HistoryMessage, HistoryQuery } from '../../src/core/history-message';
import type { Reply } from '../../src/core/reply';
import type { FileCapability } from '../../src/core/shared-file';

/** Something the fake platform was asked to do. */
export type RecordedSend =
  | {
      kind: 'post';
      conversation: ConversationRef;
      reply: Reply;
      options?: PostOptions;
      ref: PostedMessageRef;
    }
  | { kind: 'update'; conversation: ConversationRef; reply: Reply; ref: PostedMessageRef }
  | { kind: 'stream'; conversation: ConversationRef; chunks: string[]; reply?: Reply; ref: PostedMessageRef };

/** A hand-written ChatPlatform that records every send and serves a scripted history. */
export class RecordingPlatform implements ChatPlatform {
  readonly name: ConversationRef['platform'];
  readonly sends: RecordedSend[] = [];
  readonly historyCalls: Array<{ conversation: ConversationRef; query: HistoryQuery }> = [];
  readonly memberCalls: Array<{ conversation: ConversationRef; userId: string }> = [];
  history_: HistoryMessage[] = [];
  members = new Set<string>();
  /** Who can read each channel (by channel id); a channel not listed is members-only. */
  audiences = new Map<string, ConversationAudience>();
  failPosts = 0;
  private counter = 0;
  stream?: ChatPlatform['stream'];
  findPosted?: ChatPlatform['findPosted'];
  files?: FileCapability;

  constructor(name: ConversationRef['platform'] = 'console', options: { streaming?: boolean } = {}) {
    this.name = name;
    if (options.streaming) {
      this.stream = async (conversation): Promise<ReplyStream> => {
        const ref = { id: `m${++this.counter}`, channel: conversation.channel };
        const record: RecordedSend = { kind: 'stream', conversation, chunks: [], ref };
        this.sends.push(record);
        return {
          append: async (markdown) => {
            record.chunks.push(markdown);
          },
          finish: async (reply) => {
            record.reply = reply;
            return ref;
          },
        };
      };
    }
  }

  async history(conversation: ConversationRef, query: HistoryQuery) {
    this.historyCalls.push({ conversation, query });
    const after = query.afterId ? this.history_.findIndex((message) => message.id === query.afterId) + 1 : 0;
    const selected = this.history_.slice(after);
    return { messages: selected.slice(0, query.limit), truncated: selected.length > query.limit };
  }

  async isMember(conversation: ConversationRef, userId: string) {
    this.memberCalls.push({ conversation, userId });
    return this.members.has(userId);
  }

  async audience(conversation: ConversationRef): Promise<ConversationAudience> {
    return this.audiences.get(conversation.channel) ?? { openTo: 'members', external: false };
  }

  async post(conversation: ConversationRef, reply: Reply, options?: PostOptions) {
    if (this.failPosts > 0) {
      this.failPosts -= 1;
      throw new Error('platform is down');
    }
    const ref = { id: `m${++this.counter}`, channel: conversation.channel };
    this.sends.push({ kind: 'post', conversation, reply, options, ref });
    return ref;
  }

  async update(conversation: ConversationRef, ref: PostedMessageRef, reply: Reply) {
    this.sends.push({ kind: 'update', conversation, reply, ref });
  }

  /** The text the user ends up seeing for each posted message, in posting order. */
  visibleMessages(): string[] {
    const finalText = new Map<string, string>();
    for (const send of this.sends) {
      if (send.kind === 'stream') finalText.set(send.ref.id, send.reply?.markdown ?? send.chunks.join(''));
      else finalText.set(send.ref.id, send.reply.markdown);
    }
    return [...finalText.values()];
  }
}
