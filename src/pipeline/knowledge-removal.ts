import type { InboundMessage } from '../core/inbound-message';
import type { KnowledgeIndex } from '../core/knowledge-index';
import { madeFromRemoved } from '../core/knowledge-source-ids';
import type { Logger } from '../core/logger';

/**
 * Remove the knowledge sources made from content the platform removed (a deleted Slack file, a recalled Lark
 * message), so the next answer cannot use them. Returns how many were removed.
 */
export async function removeKnowledgeOf(
  index: KnowledgeIndex,
  message: InboundMessage,
  logger: Logger,
): Promise<number> {
  const removed = message.removed;
  if (!removed) return 0;
  const { platform, workspace } = message.conversation;
  const sources = (await index.sources()).filter((source) =>
    madeFromRemoved(source.id, platform, workspace, removed),
  );
  for (const source of sources) await index.remove(source.id);
  logger.info(
    { removed: removed.kind, sources: sources.length },
    'knowledge sources of removed content removed',
  );
  return sources.length;
}
