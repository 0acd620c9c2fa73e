import type { KnowledgeConfig } from '../config-knowledge';
import type { KnowledgeIndex } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import { prepareLanceThreads } from '../knowledge/lancedb/lance-threads';
import { lazyKnowledgeIndex } from '../knowledge/lazy-knowledge-index';
import type { ConsoleKnowledge } from './knowledge-data';

/**
 * The knowledge base the console shows. Role `all`: the index the jobs of this process use (opened on first
 * use), and Forget removes through it. Role `web`: no jobs here, so the index the jobs processes write is
 * opened on first view at the same place: LanceDB through the read-only reader on the same KNOWLEDGE_URI
 * (it never creates or drops a table, so a differing EMBEDDING_MODEL here cannot start the index over),
 * OpenSearch as the jobs open it (a server shared by design). A web-only console never forgets (the page
 * says so): writes stay with the jobs processes.
 */
export function consoleKnowledgeFor(
  config: KnowledgeConfig,
  jobsIndex: KnowledgeIndex | undefined,
  logger: Logger,
): () => Promise<ConsoleKnowledge> {
  const folderConfigured = Boolean(config.folder);
  if (jobsIndex) {
    const knowledge: ConsoleKnowledge = { index: jobsIndex, canForget: true, folderConfigured };
    return async () => knowledge;
  }
  const index = lazyKnowledgeIndex(async () => {
    if (config.engine === 'opensearch') {
      const { createOpenSearchKnowledgeIndex } =
        require('../knowledge/opensearch/opensearch-knowledge-index') as typeof import('../knowledge/opensearch/opensearch-knowledge-index');
      return createOpenSearchKnowledgeIndex({
        url: config.opensearchUrl as string,
        embeddingModel: config.embedding?.model,
        logger,
      });
    }
    prepareLanceThreads();
    const { openLanceDbKnowledgeReader } =
      require('../knowledge/lancedb/lancedb-knowledge-reader') as typeof import('../knowledge/lancedb/lancedb-knowledge-reader');
    return openLanceDbKnowledgeReader({ uri: config.uri });
  });
  const knowledge: ConsoleKnowledge = { index, canForget: false, folderConfigured };
  return async () => knowledge;
}
