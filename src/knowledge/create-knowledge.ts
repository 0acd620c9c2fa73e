import type { KnowledgeConfig } from '../config-knowledge';
import type { KnowledgeIndex } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import type { KnowledgeBase } from '../core/skill';
import type { StateStore } from '../core/state-store';
import type { DocumentLimits } from '../documents/limits';
import { createEmbedder } from '../llm/create-embedder';
import { createReranker } from '../llm/create-reranker';
import { createFolderSync, type FolderSync } from './folder-sync';
import { prepareLanceThreads } from './lancedb/lance-threads';
import { lazyKnowledgeIndex } from './lazy-knowledge-index';

/** The knowledge base of a jobs process: the index skills search, and the folder sync when KNOWLEDGE_DIR is set. */
export interface Knowledge extends KnowledgeBase {
  /** Keeps the index in step with KNOWLEDGE_DIR; absent without one. */
  folderSync?: FolderSync;
  /** Start syncing the folder (a pass now, then every KNOWLEDGE_RESCAN_SECONDS). */
  start(): void;
  /** Stop syncing and close the index. */
  stop(): Promise<void>;
}

/** Open the configured engine (loaded here, on first use of the index). */
async function openEngine(
  config: KnowledgeConfig,
  logger: Logger,
  embeddingModel?: string,
): Promise<KnowledgeIndex> {
  if (config.engine === 'opensearch') {
    const { createOpenSearchKnowledgeIndex } =
      require('./opensearch/opensearch-knowledge-index') as typeof import('./opensearch/opensearch-knowledge-index');
    const index = await createOpenSearchKnowledgeIndex({
      url: config.opensearchUrl as string,
      embeddingModel,
      logger,
    });
    logger.info({ engine: config.engine, vectors: embeddingModel !== undefined }, 'knowledge index open');
    return index;
  }
  prepareLanceThreads();
  const { createLanceDbKnowledgeIndex } =
    require('./lancedb/lancedb-knowledge-index') as typeof import('./lancedb/lancedb-knowledge-index');
  const index = await createLanceDbKnowledgeIndex({ uri: config.uri, embeddingModel, logger });
  logger.info({ engine: config.engine, vectors: embeddingModel !== undefined }, 'knowledge index open');
  return index;
}

/**
 * Build the knowledge base for the job side: an index opened lazily (LanceDB is loaded only when it is first
 * used: at start with a knowledge folder, else on the first question), the embedder, the reranker, and the
 * folder sync.
 */
export function createKnowledge(
  config: KnowledgeConfig,
  parts: { store: StateStore; logger: Logger; documents: DocumentLimits },
): Knowledge {
  const logger = parts.logger.child({ component: 'knowledge' });
  const embed = config.embedding ? createEmbedder(config.embedding, logger) : undefined;
  const rerank = config.rerank ? createReranker(config.rerank, logger) : undefined;
  const index = lazyKnowledgeIndex(() => openEngine(config, logger, embed?.model));
  const folderSync = config.folder
    ? createFolderSync({
        folder: config.folder,
        index,
        embedder: embed,
        store: parts.store,
        logger,
        limits: parts.documents,
        rescanMilliseconds: config.rescanSeconds * 1000,
      })
    : undefined;
  return {
    index,
    ...(embed ? { embed } : {}),
    ...(rerank ? { rerank } : {}),
    ...(folderSync ? { folderSync } : {}),
    start: () => folderSync?.start(),
    async stop() {
      await folderSync?.stop();
      await index.close();
    },
  };
}
