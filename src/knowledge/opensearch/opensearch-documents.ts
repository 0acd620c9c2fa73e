import type { KnowledgeChunk, KnowledgeSource } from '../../core/knowledge-index';
import { searchTextOf } from '../search-text';

type Body = Record<string, unknown>;

/**
 * The analyzer chunk text is indexed with, from the cluster's plugins: `smartcn` (Chinese word segmentation,
 * analysis-smartcn), else `icu_analyzer` (analysis-icu), else the built-in `cjk` analyzer (Chinese, Japanese
 * and Korean as overlapping character pairs, English as words), which needs no plugin.
 */
export function textAnalyzer(plugins: string[]): Body {
  if (plugins.includes('analysis-smartcn')) return { type: 'smartcn' };
  if (plugins.includes('analysis-icu')) return { type: 'icu_analyzer' };
  return { type: 'cjk' };
}

/** The sources index: one document per source, at its current version. */
export const sourcesMapping: Body = {
  properties: {
    id: { type: 'keyword' },
    version: { type: 'keyword' },
    origin: { type: 'keyword' },
    title: { type: 'keyword' },
    link: { type: 'keyword', index: false },
    access: { type: 'keyword' },
    added_by: { type: 'keyword' },
    indexed_at: { type: 'date' },
  },
};

/**
 * The version of what `search_text` holds (`searchTextOf`: title and heading path above the text) and how it
 * is analyzed: a chunks index of another version (or from before the field) starts over, as for a new model.
 */
export const openSearchTextVersion = '1';

/**
 * The chunks index: the source's access is copied onto each chunk so searches filter inside the query; the
 * vector (Lucene HNSW, cosine, so k-NN's filter is applied while searching) only with an embedding model,
 * whose name is kept in `_meta` (another model's vectors are not comparable: a change starts over).
 */
export function chunksMapping(analyzer: Body, vectors?: { dimensions: number; model: string }): Body {
  return {
    settings: {
      index: { knn: vectors !== undefined },
      analysis: { analyzer: { deskmate_text: analyzer } },
    },
    mappings: {
      _meta: {
        search_text_version: openSearchTextVersion,
        ...(vectors ? { embedding_model: vectors.model } : {}),
      },
      properties: {
        id: { type: 'keyword' },
        source_id: { type: 'keyword' },
        write_id: { type: 'keyword' },
        text: { type: 'text', index: false },
        search_text: { type: 'text', analyzer: 'deskmate_text' },
        heading_path: { type: 'keyword', index: false },
        place: { type: 'keyword', index: false },
        language: { type: 'keyword' },
        access: { type: 'keyword' },
        ...(vectors
          ? {
              vector: {
                type: 'knn_vector',
                dimension: vectors.dimensions,
                method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' },
              },
            }
          : {}),
      },
    },
  };
}

/** A chunk as a document, with its source's access and the id of the write that adds it. */
export function chunkDocument(
  chunk: KnowledgeChunk,
  source: KnowledgeSource,
  writeId: string,
  withVector: boolean,
): Body {
  return {
    id: chunk.id,
    source_id: source.id,
    write_id: writeId,
    text: chunk.text,
    search_text: searchTextOf(source.title, chunk),
    heading_path: chunk.headingPath,
    place: chunk.place,
    language: chunk.language,
    access: source.access,
    ...(withVector && chunk.vector ? { vector: chunk.vector } : {}),
  };
}
