/**
 * Index the knowledge fixtures as a deployment would: the folder sync (KNOWLEDGE_DIR pointed at documents/)
 * reads, extracts, chunks and upserts every document, with access.json's principals. Shared by the recall
 * test and the knowledge bench.
 */
import type { Embedder } from '../../src/core/embedder';
import { everyonePrincipal, type KnowledgeHit, type KnowledgeIndex } from '../../src/core/knowledge-index';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { folderSourcePrefix } from '../../src/knowledge/folder-sync';
import { createLogger } from '../../src/logger';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { startTestFolderIndexing } from '../helpers/folder-indexing';
import { knowledgeDocumentsRoot, listKnowledgeDocuments } from './fixture-corpus';

/** The principal of documents outside any access.json folder (everyone who may use Deskmate). */
export const everyone = everyonePrincipal;

/** The document (path under documents/) a hit comes from: folder sources are `folder:<path>`. */
export function documentOfHit(hit: KnowledgeHit): string | undefined {
  const id = hit.source.id;
  return id.startsWith(folderSourcePrefix) ? id.slice(folderSourcePrefix.length) : undefined;
}

/** What one folder-sync pass over the corpus did and took. */
export interface CorpusIndexing {
  documents: number;
  chunks: number;
  /** The pass and its jobs, in milliseconds: scan, read, extract, chunk, upsert (and embed, when an embedder is given). */
  syncMs: number;
}

/** Index every document of the corpus into `index` with one folder-sync pass; throws unless all are indexed. */
export async function indexFixtureCorpus(
  index: KnowledgeIndex,
  options: { embedder?: Embedder } = {},
): Promise<CorpusIndexing> {
  const indexing = await startTestFolderIndexing({
    folder: knowledgeDocumentsRoot,
    index,
    embedder: options.embedder,
    store: createMemoryStateStore(),
    logger: createLogger({ level: 'silent' }),
    limits: defaultDocumentLimits,
  });
  const started = performance.now();
  const synced = await indexing.syncAndWait();
  const syncMs = performance.now() - started;
  await indexing.stop(1000);
  const expected = listKnowledgeDocuments().length;
  if (!synced || synced.record.failed > 0 || synced.record.indexed !== expected) {
    throw new Error(
      `the folder sync indexed ${JSON.stringify(synced?.record)} of ${expected} fixture documents`,
    );
  }
  return { documents: synced.record.indexed, chunks: (await index.status()).chunks, syncMs };
}
