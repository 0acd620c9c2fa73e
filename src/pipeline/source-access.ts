import type { ChatPlatform } from '../core/chat-platform';
import type { ConversationAudience, ConversationRef } from '../core/conversation';
import { DeskmateError } from '../core/errors';
import type { InboundMessage } from '../core/inbound-message';
import type { FileCapability, LinkedDocument } from '../core/shared-file';
import type { SourceAccess } from '../core/skill';
import { detectLanguage } from '../text/language';

const wording = {
  en: {
    notMember: "I can't read that conversation for you: you're not a member of it.",
    notMemberAnywhere:
      "I can't read that file for you: it was shared only in conversations you're not a member of.",
    documentClosed:
      "I won't read that document for you: its sharing doesn't let everyone in the organization read it, and you're not one of its members. Ask its owner to share it with you, then ask again.",
    noDocuments: "I can't read documents on this platform.",
    keptPrivate: 'Only you can see this: it comes from a conversation that not everyone here may read.',
    keptPrivateDocument: 'Only you can see this: it comes from a document that not everyone here may read.',
  },
  zh: {
    notMember: '无法为你读取该会话：你不是它的成员。',
    notMemberAnywhere: '无法为你读取该文件：它只分享在你不是成员的会话中。',
    documentClosed:
      '不会为你读取该文档：它的分享设置不允许组织内所有人查看，而你也不是它的协作者。请让文档所有者与你分享后再试。',
    noDocuments: '无法读取此平台上的文档。',
    keptPrivate: '仅你可见：内容来自一个并非此处所有人都能查看的会话。',
    keptPrivateDocument: '仅你可见：内容来自一篇并非此处所有人都能查看的文档。',
  },
};

function sameChannel(left: ConversationRef, right: ConversationRef): boolean {
  return (
    left.platform === right.platform && left.workspace === right.workspace && left.channel === right.channel
  );
}

/**
 * Whether everyone who can read `destination` may read `source` too. Inside: the same channel (its
 * threads have its readers), a direct chat with Deskmate (only the requester, a member, reads it), the
 * console, or a source open to the whole workspace answered in a place without outsiders. Anything else
 * counts as wider, even when its members happen to be a subset: the check never needs member lists.
 */
export async function replyStaysInside(
  platform: ChatPlatform,
  source: ConversationRef,
  destination: ConversationRef,
): Promise<boolean> {
  if (sameChannel(source, destination)) return true;
  if (destination.kind === 'dm' || destination.platform === 'console') return true;
  if (source.platform !== destination.platform || source.workspace !== destination.workspace) return false;
  return audienceStaysInside(platform, await platform.audience(source), destination);
}

/**
 * Whether everyone who can read `destination` may read a source with this audience (a linked document): a
 * direct chat with Deskmate or the console always; otherwise only a source open to the whole workspace,
 * answered in a place without outsiders.
 */
export async function audienceStaysInside(
  platform: ChatPlatform,
  source: ConversationAudience,
  destination: ConversationRef,
): Promise<boolean> {
  if (destination.kind === 'dm' || destination.platform === 'console') return true;
  if (source.openTo !== 'workspace') return false;
  return !(await platform.audience(destination)).external;
}

/** What a job's source access needs. */
interface SourceAccessOptions {
  /** The platform the job runs on. */
  platform: ChatPlatform;
  /** The request: its author is the reader, its conversation the place the answer goes. */
  message: InboundMessage;
  /** Makes the job's answers private from now on, with the notice saying why. */
  keepPrivate(notice: string): void;
}

/**
 * The one membership check of a job: every conversation a skill reads is allowed here first (once per
 * channel), and a source whose readers are fewer than those of the answer's place makes the answer private.
 */
export function createSourceAccess(options: SourceAccessOptions): SourceAccess {
  const { platform, message } = options;
  const words = wording[detectLanguage(message.text)];
  const checked = new Map<string, Promise<void>>();
  // A click on a card shown only to the clicker (Slack ephemeral): the platform vouches that they can read
  // the card's conversation, where Deskmate may not be a member to ask.
  const vouched = (conversation: ConversationRef) =>
    Boolean(message.action?.onPrivateCard) &&
    conversation.platform === message.conversation.platform &&
    conversation.workspace === message.conversation.workspace &&
    conversation.channel === message.conversation.channel;
  const check = async (conversation: ConversationRef) => {
    if (!vouched(conversation) && !(await platform.isMember(conversation, message.author.id))) {
      throw new DeskmateError('forbidden', 'the requester is not a member of the conversation to read', {
        userMessage: words.notMember,
      });
    }
    if (!(await replyStaysInside(platform, conversation, message.conversation))) {
      options.keepPrivate(words.keptPrivate);
    }
  };
  const allow = (conversation: ConversationRef) => {
    const key = `${conversation.platform}:${conversation.workspace}:${conversation.channel}`;
    let pending = checked.get(key);
    if (!pending) {
      pending = check(conversation);
      checked.set(key, pending);
    }
    return pending;
  };
  const checkDocument = async (document: LinkedDocument) => {
    if (!platform.files?.documentAccess || document.platform !== platform.name) {
      throw new DeskmateError('forbidden', 'the platform cannot tell who may read this document', {
        userMessage: words.noDocuments,
      });
    }
    const access = await platform.files.documentAccess(document, message.author.id);
    if (!access.readable) {
      throw new DeskmateError('forbidden', 'the requester may not read the linked document', {
        userMessage: words.documentClosed,
      });
    }
    if (!(await audienceStaysInside(platform, access.audience, message.conversation))) {
      options.keepPrivate(words.keptPrivateDocument);
    }
  };
  return {
    allow,
    async allowOneOf(conversations) {
      for (const conversation of conversations) {
        if (await platform.isMember(conversation, message.author.id)) {
          await allow(conversation);
          return conversation;
        }
      }
      throw new DeskmateError('forbidden', 'the requester is a member of no conversation the file is in', {
        userMessage: words.notMemberAnywhere,
      });
    },
    allowDocument(document) {
      const key = `document:${document.platform}:${document.workspace}:${document.token}`;
      let pending = checked.get(key);
      if (!pending) {
        pending = checkDocument(document);
        checked.set(key, pending);
      }
      return pending;
    },
  };
}

/** A platform's files as a skill sees them: a file is read only after its conversation is allowed, a document after its sharing. */
function filesWithSourceAccess(files: FileCapability, access: SourceAccess): FileCapability {
  return {
    async read(file, limits) {
      await access.allow(file.conversation);
      return files.read(file, limits);
    },
    ...(files.resolveLink ? { resolveLink: files.resolveLink.bind(files) } : {}),
    ...(files.documentAccess ? { documentAccess: files.documentAccess.bind(files) } : {}),
    ...(files.readDocument
      ? {
          readDocument: async (document: LinkedDocument, limits: Parameters<FileCapability['read']>[1]) => {
            await access.allowDocument(document);
            return (files.readDocument as NonNullable<FileCapability['readDocument']>)(document, limits);
          },
        }
      : {}),
  };
}

/** The platform as a skill sees it: reading history, files and documents goes through the job's source access first. */
export function withSourceAccess(platform: ChatPlatform, access: SourceAccess): ChatPlatform {
  const history: ChatPlatform['history'] = async (conversation, query) => {
    await access.allow(conversation);
    return platform.history(conversation, query);
  };
  const files = platform.files ? filesWithSourceAccess(platform.files, access) : undefined;
  return new Proxy(platform, {
    get(target, property) {
      if (property === 'history') return history;
      if (property === 'files') return files;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
