/**
 * Index the knowledge fixtures as a deployment would: the folder sync (KNOWLEDGE_DIR pointed at documents/)
 * reads, extracts, chunks and upserts every document, with access.json's principals. Shared by the recall
 * test and the knowledge bench.
 */
import type { Embedder } from '../../src/core/embedder';
import { everyonePrincipal, type KnowledgeHit, type KnowledgeIndex } from '../../src/core/knowledge-index';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { createFolderSync, folderSourcePrefix } from '../../src/knowledge/folder-sync';
import { createLogger } from '../../src/logger';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
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
  /** The pass, in milliseconds: scan, read, extract, chunk, upsert (and embed, when an embedder is given). */
  syncMs: number;
}

/** Index every document of the corpus into `index` with one folder-sync pass; throws unless all are indexed. */
export async function indexFixtureCorpus(
  index: KnowledgeIndex,
  options: { embedder?: Embedder } = {},
): Promise<CorpusIndexing> {
  const sync = createFolderSync({
    folder: knowledgeDocumentsRoot,
    index,
    embedder: options.embedder,
    store: createMemoryStateStore(),
    logger: createLogger({ level: 'silent' }),
    limits: defaultDocumentLimits,
    rescanMilliseconds: 60 * 60_000,
  });
  const started = performance.now();
  const pass = await sync.syncOnce();
  const syncMs = performance.now() - started;
  await sync.stop();
  const expected = listKnowledgeDocuments().length;
  if (!pass || pass.failed > 0 || pass.indexed !== expected) {
    throw new Error(`the folder sync indexed ${JSON.stringify(pass)} of ${expected} fixture documents`);
  }
  return { documents: pass.indexed, chunks: (await index.status()).chunks, syncMs };
}
