import type { ConversationRef } from '../../core/conversation';
import type { HistoryMessage } from '../../core/history-message';
import type { LinkedDocument, SharedFile } from '../../core/shared-file';
import type { SkillContext } from '../../core/skill';
import { findUrls } from '../../text/sanitize';

/** What a request about a document reads: a shared file, or a linked document with its own sharing. */
export type DocumentSource =
  | { kind: 'file'; file: SharedFile }
  | { kind: 'document'; document: LinkedDocument };

/** Where to look for the file a request is about, besides the message's own files and links. */
export interface FindOptions {
  /** Also the latest file shared earlier in the thread, or in a direct chat (questions about "the file"). */
  searchConversation?: boolean;
}

/** Most messages read when looking for the latest file in a thread or direct chat. */
const searchLimit = 200;
/** How far back a direct chat is searched for a file. */
const directChatWindowDays = 7;

/** The files of a history message (the newest last), if it has any. */
function latestFile(messages: readonly HistoryMessage[]): SharedFile | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const file = messages[index].files?.[0];
    if (file) return file;
  }
  return undefined;
}

/**
 * The file or document a link points to: a file permalink is read only where the requester is a member of a
 * conversation it was shared in (refused otherwise); a document is returned as is (its sharing is checked
 * before it is read).
 */
async function fromLinks(context: SkillContext, request: string): Promise<DocumentSource | undefined> {
  const resolve = context.platform.files?.resolveLink;
  if (!resolve) return undefined;
  for (const url of findUrls(request)) {
    const linked = await resolve(url, context.message.conversation);
    if (!linked) continue;
    if (linked.kind === 'document') return { kind: 'document', document: linked.document };
    const conversation = await context.access.allowOneOf(linked.sharedIn);
    return { kind: 'file', file: { ...linked.file, conversation } };
  }
  return undefined;
}

/**
 * Find the file a request is about, in this order: a file shared with the message; a file or document link
 * in the request; the message it replies to; and, when asked, the latest file shared in the thread (or in the
 * direct chat over the last week). Every conversation read on the way is checked for the requester first.
 * `request` holds only words the person wrote (a model's link counts only when it is one of them).
 */
export async function findDocumentSource(
  context: SkillContext,
  request: string,
  options: FindOptions = {},
): Promise<DocumentSource | undefined> {
  const { message } = context;
  const own = message.files?.[0];
  if (own) return { kind: 'file', file: own };
  const linked = await fromLinks(context, request);
  if (linked) return linked;
  const conversation: ConversationRef = message.conversation;
  const thread = conversation.thread;
  if (message.replyTo && thread) {
    // A reply to the thread's root needs only the root (read first); another parent may be anywhere in it.
    const rootOnly = message.replyTo === thread && !options.searchConversation;
    const history = await context.platform.history(conversation, {
      thread,
      limit: rootOnly ? 1 : searchLimit,
    });
    const parent = history.messages.find((entry) => entry.id === message.replyTo);
    const file = parent?.files?.[0];
    if (file) return { kind: 'file', file };
    if (options.searchConversation) {
      const latest = latestFile(history.messages);
      if (latest) return { kind: 'file', file: latest };
    }
    return undefined;
  }
  if (!options.searchConversation) return undefined;
  if (thread && message.inThread) {
    const history = await context.platform.history(conversation, { thread, limit: searchLimit });
    const latest = latestFile(history.messages);
    return latest ? { kind: 'file', file: latest } : undefined;
  }
  if (conversation.kind === 'dm' && conversation.platform !== 'console') {
    const since = new Date(context.now().getTime() - directChatWindowDays * 24 * 60 * 60 * 1000);
    const history = await context.platform.history(
      { ...conversation, thread: undefined },
      { since: since.toISOString(), limit: searchLimit },
    );
    const latest = latestFile(history.messages);
    return latest ? { kind: 'file', file: latest } : undefined;
  }
  return undefined;
}

/** The name a source goes by in an answer: its file name, its title, or a generic word. */
export function sourceName(source: DocumentSource, fallback: string): string {
  if (source.kind === 'file') return source.file.name ?? fallback;
  return source.document.title ?? fallback;
}
