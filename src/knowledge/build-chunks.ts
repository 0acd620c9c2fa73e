import type { Embedder } from '../core/embedder';
import type { KnowledgeChunk } from '../core/knowledge-index';
import { extractDocument } from '../documents/extract-document';
import type { DocumentLimits } from '../documents/limits';
import { chunkDocument } from './chunk-document';

/** What to read and how: the bytes, the file name (a hint for text formats), the limits, the embedder. */
export interface BuildChunksInput {
  /** The source the chunks belong to. */
  sourceId: string;
  /** What answers call it; embedded with each chunk so a passage keeps its document's context. */
  title: string;
  /** The file's bytes. */
  bytes: Uint8Array;
  /** The file name, a hint for text formats (`notes.md`). */
  name?: string;
  /** The document limits (DOCUMENT_*). */
  limits: DocumentLimits;
  /** Embeds the chunks when an embedding model is configured. */
  embedder?: Embedder;
  /** Aborts the embedding calls. */
  signal?: AbortSignal;
}

/**
 * Read a document into the knowledge index's chunks: extract (within the limits; a `DocumentError` when the
 * file cannot be read), cut by section into chunks of a few hundred tokens, and embed each with its title and
 * heading path in front, when an embedder is given.
 */
export async function buildChunks(input: BuildChunksInput): Promise<KnowledgeChunk[]> {
  const document = await extractDocument(input.bytes, {
    ...(input.name ? { name: input.name } : {}),
    limits: input.limits,
  });
  const chunks = chunkDocument(input.sourceId, document);
  if (!input.embedder || chunks.length === 0) return chunks;
  const vectors = await input.embedder.embed(
    chunks.map((chunk) =>
      [input.title, chunk.headingPath.join(' › '), chunk.text].filter(Boolean).join('\n'),
    ),
    'document',
    input.signal,
  );
  return chunks.map((chunk, index) => ({ ...chunk, vector: vectors[index] }));
}
