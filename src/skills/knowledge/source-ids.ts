import type { ConversationRef } from '../../core/conversation';
import type { KnowledgePrincipal } from '../../core/knowledge-index';
import { conversationPrincipal, everyonePrincipal, userPrincipal } from '../../core/knowledge-principals';
import { linkedDocumentSourceId, sharedFileSourceId } from '../../core/knowledge-source-ids';
import type { SkillContext } from '../../core/skill';
import type { DocumentSource } from '../documents/find-source';

/** The stable id of a source made from a shared file or a linked document. */
export function knowledgeSourceId(source: DocumentSource): string {
  return source.kind === 'document'
    ? linkedDocumentSourceId(source.document)
    : sharedFileSourceId(source.file);
}

/** Who may read what is shared in a conversation: its members (only the person, in a direct chat or the console). */
function conversationAccess(context: SkillContext, conversation: ConversationRef): KnowledgePrincipal[] {
  const { platform, workspace } = conversation;
  if (conversation.kind === 'dm' || platform === 'console') {
    return [userPrincipal(platform, workspace, context.message.author.id)];
  }
  return [conversationPrincipal(conversation)];
}

/**
 * Who may read a source added from chat: a file, the members of the conversation it was shared in; a linked
 * document, everyone in the workspace when its sharing lets them read it, else the conversation it was added in.
 */
export async function knowledgeAccessOf(
  context: SkillContext,
  source: DocumentSource,
): Promise<KnowledgePrincipal[]> {
  if (source.kind === 'file') return conversationAccess(context, source.file.conversation);
  const { document } = source;
  const access = await context.platform.files?.documentAccess?.(document, context.message.author.id);
  if (access?.readable && access.audience.openTo === 'workspace' && !access.audience.external) {
    return [everyonePrincipal(document.platform, document.workspace)];
  }
  return conversationAccess(context, context.message.conversation);
}
