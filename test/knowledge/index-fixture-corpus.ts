/**
 * Index the knowledge fixtures through the real pipeline pieces, extractDocument, then chunkDocument, then
 * the engine's upsert, with each folder's access.json as the sources' principals. Shared by the recall test and
 * the knowledge bench. The knowledge-index branch has no folder indexer yet: this is the glue a folder sync
 * would be, and gives way to it when it lands.
 */
import { createHash } from 'node:crypto';
import type { Embedder } from '../../src/core/embedder';
import type { KnowledgeHit, KnowledgeIndex, KnowledgePrincipal } from '../../src/core/knowledge-index';
import { chunkDocument } from '../../src/knowledge/chunk-document';
import {
  extractKnowledgeDocument,
  type FolderAccess,
  listAccessFolders,
  listKnowledgeDocuments,
  readKnowledgeDocument,
} from './fixture-corpus';

/** The principal of documents outside any access.json folder (everyone who may use Deskmate). */
export const everyone: KnowledgePrincipal = 'everyone';

/** An access.json's channels and users as the port's principals. */
export function principalsOfAccess(access: FolderAccess): KnowledgePrincipal[] {
  return [
    ...access.channels.map((channel) => `conversation:${channel}`),
    ...access.users.map((user) => `user:${user}`),
  ];
}

/** Who may read a document of the corpus: its nearest access.json folder's principals, or `open` (everyone). */
export function accessOfDocument(
  path: string,
  open: KnowledgePrincipal[] = [everyone],
): KnowledgePrincipal[] {
  const folder = listAccessFolders()
    .filter((each) => path.startsWith(`${each.folder}/`))
    .sort((left, right) => right.folder.length - left.folder.length)[0];
  return folder ? principalsOfAccess(folder.access) : open;
}

/** The document a hit comes from (sources are indexed with their path under documents/ as id). */
export function documentOfHit(hit: KnowledgeHit): string {
  return hit.source.id;
}

/** What indexing the corpus took, with the embedding time apart. */
export interface CorpusIndexing {
  documents: number;
  /** PDF pages count as pages; every other document of the corpus is shorter than a page and counts as one. */
  pages: number;
  chunks: number;
  /** Reading and extracting the files, in milliseconds. */
  extractMs: number;
  /** Cutting into chunks. */
  chunkMs: number;
  /** Embedding the chunks (0 without an embedder). */
  embedMs: number;
  /** Writing to the engine (upserts, including its full-text index upkeep). */
  upsertMs: number;
}

/** How to index the corpus: an embedder for vectors, and the principals of documents open to everyone. */
export interface CorpusIndexingOptions {
  /** Embeds the chunks (their time is counted apart); keyword-only without it. */
  embedder?: Embedder;
  /** The access of documents outside any access.json folder (default: `everyone`). */
  openAccess?: KnowledgePrincipal[];
}

/** Index every document of the corpus into `index`, embedding the chunks when an embedder is given. */
export async function indexFixtureCorpus(
  index: KnowledgeIndex,
  options: CorpusIndexingOptions = {},
): Promise<CorpusIndexing> {
  const { embedder } = options;
  const figures: CorpusIndexing = {
    documents: 0,
    pages: 0,
    chunks: 0,
    extractMs: 0,
    chunkMs: 0,
    embedMs: 0,
    upsertMs: 0,
  };
  for (const path of listKnowledgeDocuments()) {
    let started = performance.now();
    const bytes = readKnowledgeDocument(path);
    const extracted = await extractKnowledgeDocument(path);
    figures.extractMs += performance.now() - started;
    started = performance.now();
    const chunks = chunkDocument(path, extracted);
    figures.chunkMs += performance.now() - started;
    if (embedder) {
      started = performance.now();
      const vectors = await embedder.embed(
        chunks.map((chunk) => chunk.text),
        'document',
      );
      chunks.forEach((chunk, position) => {
        chunk.vector = vectors[position];
      });
      figures.embedMs += performance.now() - started;
    }
    started = performance.now();
    await index.upsert(
      {
        id: path,
        version: createHash('sha256').update(bytes).digest('hex'),
        origin: 'folder',
        title: extracted.title ?? path.split('/').pop() ?? path,
        access: accessOfDocument(path, options.openAccess),
        indexedAt: new Date().toISOString(),
      },
      chunks,
    );
    figures.upsertMs += performance.now() - started;
    figures.documents += 1;
    figures.pages += extracted.type === 'pdf' ? (extracted.pageCount ?? 1) : 1;
    figures.chunks += chunks.length;
  }
  return figures;
}
