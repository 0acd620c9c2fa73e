import type { ChatPlatform } from '../core/chat-platform';
import type { InboundMessage } from '../core/inbound-message';
import {
  everyonePrincipal as anyone,
  type KnowledgeIndex,
  type KnowledgePrincipal,
} from '../core/knowledge-index';
import {
  conversationPrincipal,
  everyonePrincipal,
  parsePrincipal,
  userPrincipal,
} from '../core/knowledge-principals';

/** Most conversations whose membership is checked for one direct-chat search. */
const maxMembershipChecks = 200;

/**
 * The principals a knowledge search holds for the place the answer goes, next to source access (`everyone`,
 * the knowledge folder's files open to all, goes wherever the workspace's `everyone:…` goes):
 * - in the asker's direct chat: everyone in the workspace, the asker, and each conversation named by a
 *   source's access that the asker is a member of (checked through the platform, as source access does);
 * - in a channel: the channel itself, and everyone in the workspace only when the channel has no
 *   outsiders; a source open to one person or to another conversation never answers in a channel;
 * - on the console: everything local.
 */
export async function knowledgePrincipals(
  platform: ChatPlatform,
  message: InboundMessage,
  index: KnowledgeIndex,
): Promise<KnowledgePrincipal[]> {
  const { conversation, author } = message;
  const everyone = everyonePrincipal(conversation.platform, conversation.workspace);
  if (conversation.platform === 'console') {
    const local = new Set<KnowledgePrincipal>([
      anyone,
      everyone,
      userPrincipal('console', conversation.workspace, author.id),
    ]);
    for (const source of await index.sources()) {
      for (const principal of source.access) {
        if (parsePrincipal(principal)?.platform === 'console') local.add(principal);
      }
    }
    return [...local];
  }
  if (conversation.kind === 'group') {
    const here = conversationPrincipal(conversation);
    const audience = await platform.audience(conversation);
    return audience.external ? [here] : [anyone, everyone, here];
  }
  const principals = [
    anyone,
    everyone,
    userPrincipal(conversation.platform, conversation.workspace, author.id),
  ];
  const channels = new Set<string>();
  for (const source of await index.sources()) {
    for (const principal of source.access) {
      const parsed = parsePrincipal(principal);
      if (
        parsed?.kind === 'conversation' &&
        parsed.platform === conversation.platform &&
        parsed.workspace === conversation.workspace
      ) {
        channels.add(parsed.channel);
      }
    }
  }
  const candidates = [...channels].slice(0, maxMembershipChecks);
  const memberships = await Promise.all(
    candidates.map(async (channel) => {
      const ref = { ...conversation, channel, thread: undefined, kind: 'group' as const };
      if (channel === conversation.channel) return ref;
      return (await platform.isMember(ref, author.id)) ? ref : undefined;
    }),
  );
  for (const ref of memberships) if (ref) principals.push(conversationPrincipal(ref));
  return principals;
}
