import type { ConversationRef, Platform } from './conversation';
import type { KnowledgePrincipal } from './knowledge-index';

/** Everyone allowed to use Deskmate in a workspace: `everyone:<platform>:<workspace>`. */
export function everyonePrincipal(platform: Platform, workspace: string): KnowledgePrincipal {
  return `everyone:${platform}:${workspace}`;
}

/** The members of one conversation (its threads included): `conversation:<platform>:<workspace>:<channel>`. */
export function conversationPrincipal(conversation: ConversationRef): KnowledgePrincipal {
  return `conversation:${conversation.platform}:${conversation.workspace}:${conversation.channel}`;
}

/** One person: `user:<platform>:<workspace>:<user>`. */
export function userPrincipal(platform: Platform, workspace: string, user: string): KnowledgePrincipal {
  return `user:${platform}:${workspace}:${user}`;
}

/** A principal read back into its parts; undefined for a string of another shape. */
export type ParsedPrincipal =
  | { kind: 'everyone'; platform: string; workspace: string }
  | { kind: 'conversation'; platform: string; workspace: string; channel: string }
  | { kind: 'user'; platform: string; workspace: string; user: string };

/** The parts of a principal string (`conversation:slack:T1:C1` → its platform, workspace and channel). */
export function parsePrincipal(principal: KnowledgePrincipal): ParsedPrincipal | undefined {
  const [kind, platform, workspace, ...rest] = principal.split(':');
  if (!platform || !workspace) return undefined;
  if (kind === 'everyone' && rest.length === 0) return { kind, platform, workspace };
  if (kind === 'conversation' && rest.length === 1) return { kind, platform, workspace, channel: rest[0] };
  if (kind === 'user' && rest.length === 1) return { kind, platform, workspace, user: rest[0] };
  return undefined;
}
