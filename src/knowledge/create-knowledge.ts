import type { KnowledgeConfig } from '../config-knowledge';
import type { JobQueue } from '../core/job-queue';
import type { KnowledgeIndex } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import type { KnowledgeBase } from '../core/skill';
import type { StateStore } from '../core/state-store';
import type { DocumentLimits } from '../documents/limits';
import { createEmbedder } from '../llm/create-embedder';
import { createReranker } from '../llm/create-reranker';
import { createMemoryQueue } from '../pipeline/memory-queue';
import { withMaskedEmbeddings, withMaskedReranking } from '../privacy/masking-knowledge';
import { createFolderIndexing, type FolderIndexing } from './folder-indexing';
import { type FolderJob, folderJobs } from './folder-job';
import { readFolderSyncProgress } from './folder-sync-record';
import { prepareLanceThreads } from './lancedb/lance-threads';
import { lazyKnowledgeIndex } from './lazy-knowledge-index';

/** The knowledge base of a jobs process: the index skills search, and the folder sync when KNOWLEDGE_DIR is set. */
export interface Knowledge extends KnowledgeBase {
  /** Keeps the index in step with KNOWLEDGE_DIR (passes and the jobs they queue); absent without one. */
  folderIndexing?: FolderIndexing;
  /** Run folder jobs here and sync the folder (a pass now, then every KNOWLEDGE_RESCAN_SECONDS). */
  start(): Promise<void>;
  /** Stop passing and running folder jobs (running ones get the grace period; the rest stay queued). */
  stopIndexing(graceMs: number): Promise<void>;
  /** Stop indexing (a second's grace unless given) and close the index. */
  stop(graceMs?: number): Promise<void>;
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

/** The embedding and rerank models the configuration names, masked when MASK_PERSONAL_DATA is on. */
export function knowledgeModels(
  config: KnowledgeConfig,
  logger: Logger,
  maskPersonalData = false,
): Pick<KnowledgeBase, 'embed' | 'rerank'> {
  const plainEmbed = config.embedding ? createEmbedder(config.embedding, logger) : undefined;
  const plainRerank = config.rerank ? createReranker(config.rerank, logger) : undefined;
  // MASK_PERSONAL_DATA covers every model call that carries text out, not only the chat model's.
  const embed = plainEmbed && maskPersonalData ? withMaskedEmbeddings(plainEmbed) : plainEmbed;
  const rerank = plainRerank && maskPersonalData ? withMaskedReranking(plainRerank) : plainRerank;
  return { ...(embed ? { embed } : {}), ...(rerank ? { rerank } : {}) };
}

/**
 * Build the knowledge base for the job side: an index opened lazily (LanceDB is loaded only when it is first
 * used: at start with a knowledge folder, else on the first question), the embedder, the reranker, and the
 * folder sync with its queue (`folderQueue`, the shared `knowledge` queue with Redis; in memory without).
 */
export function createKnowledge(
  config: KnowledgeConfig,
  parts: {
    store: StateStore;
    logger: Logger;
    documents: DocumentLimits;
    /** Mask personal data in what goes to the embedding and rerank models (MASK_PERSONAL_DATA). */
    maskPersonalData?: boolean;
    /** Builds the queue folder jobs go through; called only with a knowledge folder. */
    folderQueue?: () => JobQueue<FolderJob>;
  },
): Knowledge {
  const logger = parts.logger.child({ component: 'knowledge' });
  const { embed, rerank } = knowledgeModels(config, logger, parts.maskPersonalData);
  const index = lazyKnowledgeIndex(() => openEngine(config, logger, embed?.model));
  const folderIndexing = config.folder
    ? createFolderIndexing({
        folder: config.folder,
        index,
        embedder: embed,
        // Two at a time, as on the Redis queue (job-runner.ts).
        queue:
          parts.folderQueue?.() ??
          createMemoryQueue({ kind: folderJobs, store: parts.store, logger, concurrency: 2 }),
        store: parts.store,
        logger,
        limits: parts.documents,
        rescanMilliseconds: config.rescanSeconds * 1000,
      })
    : undefined;
  let indexingStopped: Promise<void> | undefined;
  const stopIndexing = (graceMs: number) => {
    indexingStopped ??= folderIndexing?.stop(graceMs) ?? Promise.resolve();
    return indexingStopped;
  };
  return {
    index,
    ...(embed ? { embed } : {}),
    ...(rerank ? { rerank } : {}),
    ...(folderIndexing ? { folderIndexing } : {}),
    folderProgress: () => readFolderSyncProgress(parts.store),
    start: async () => folderIndexing?.start(),
    stopIndexing,
    async stop(graceMs = 1000) {
      await stopIndexing(graceMs);
      await index.close();
    },
  };
}
