import type { ChatPlatform } from '../core/chat-platform';
import type { ConversationRef } from '../core/conversation';
import { DeskmateError } from '../core/errors';
import type { InboundMessage } from '../core/inbound-message';
import type { SourceAccess } from '../core/skill';
import { detectLanguage } from '../text/language';

const wording = {
  en: {
    notMember: "I can't read that conversation for you: you're not a member of it.",
    keptPrivate: 'Only you can see this: it comes from a conversation that not everyone here may read.',
  },
  zh: {
    notMember: '无法为你读取该会话：你不是它的成员。',
    keptPrivate: '仅你可见：内容来自一个并非此处所有人都能查看的会话。',
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
  const [sourceAudience, destinationAudience] = await Promise.all([
    platform.audience(source),
    platform.audience(destination),
  ]);
  return sourceAudience.openTo === 'workspace' && !destinationAudience.external;
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
  const check = async (conversation: ConversationRef) => {
    if (!(await platform.isMember(conversation, message.author.id))) {
      throw new DeskmateError('forbidden', 'the requester is not a member of the conversation to read', {
        userMessage: words.notMember,
      });
    }
    if (!(await replyStaysInside(platform, conversation, message.conversation))) {
      options.keepPrivate(words.keptPrivate);
    }
  };
  return {
    allow(conversation) {
      const key = `${conversation.platform}:${conversation.workspace}:${conversation.channel}`;
      let pending = checked.get(key);
      if (!pending) {
        pending = check(conversation);
        checked.set(key, pending);
      }
      return pending;
    },
  };
}

/** The platform as a skill sees it: reading history goes through the job's source access first. */
export function withSourceAccess(platform: ChatPlatform, access: SourceAccess): ChatPlatform {
  const history: ChatPlatform['history'] = async (conversation, query) => {
    await access.allow(conversation);
    return platform.history(conversation, query);
  };
  return new Proxy(platform, {
    get(target, property) {
      if (property === 'history') return history;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
