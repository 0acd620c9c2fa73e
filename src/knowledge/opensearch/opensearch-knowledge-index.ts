import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { DeskmateError } from '../../core/errors';
import type {
  KnowledgeChunk,
  KnowledgeHit,
  KnowledgeIndex,
  KnowledgeQuery,
  KnowledgeSource,
  KnowledgeStatus,
} from '../../core/knowledge-index';
import type { Logger } from '../../core/logger';
import { keywordQueryOf } from '../keyword-query';
import { fuseByReciprocalRank } from '../reciprocal-rank-fusion';
import { sameSource } from '../same-source';
import { chunkFromRecord, sourceFromRecord, sourceRecord } from '../stored-records';
import {
  chunkDocument,
  chunksMapping,
  openSearchTextVersion,
  sourcesMapping,
  textAnalyzer,
} from './opensearch-documents';

/** Where the OpenSearch index lives. */
export interface OpenSearchKnowledgeIndexOptions {
  /** The cluster (OPENSEARCH_URL), credentials in the URL when it needs them. */
  url: string;
  /** Prefix of the two indices, `<prefix>-sources` and `<prefix>-chunks` (default `deskmate-knowledge`). */
  indexPrefix?: string;
  /** The embedding model chunks' vectors come from; unset, the index is keyword-only. */
  embeddingModel?: string;
  /** Logger (ids and counts, never text). */
  logger: Logger;
}

/** Candidates each search list contributes before fusion, at least. */
const minimumCandidates = 40;
/** Most sources `sources()` lists. */
const maxSources = 10_000;

type Body = Record<string, unknown>;
type SearchHit = { _id: string; _source: Body };

/**
 * The knowledge index on OpenSearch, for deployments past what one embedded index serves: BM25 on a
 * Chinese-capable analyzer (smartcn or ICU when the cluster has the plugin, else the built-in `cjk` bigrams)
 * and k-NN (Lucene HNSW, cosine) sent together in one `_msearch`, each filtered by the asker's principals
 * inside the query (k-NN's own filter, so the filter applies before the top-k), fused by reciprocal rank.
 */
export async function createOpenSearchKnowledgeIndex(
  options: OpenSearchKnowledgeIndexOptions,
): Promise<KnowledgeIndex> {
  const { logger } = options;
  const client = new Client({ node: options.url, requestTimeout: 30_000, maxRetries: 2 });
  const prefix = options.indexPrefix ?? 'deskmate-knowledge';
  const sourcesIndex = `${prefix}-sources`;
  const chunksIndex = `${prefix}-chunks`;
  let dimensions: number | undefined;
  let chunksReady = false;

  const exists = async (index: string) => (await client.indices.exists({ index })).body === true;
  let analyzer: Body;
  try {
    const plugins = (await client.cat.plugins({ format: 'json' })).body as Array<{ component?: string }>;
    analyzer = textAnalyzer(plugins.map((plugin) => plugin.component ?? ''));
    if (!(await exists(sourcesIndex))) {
      await client.indices.create({ index: sourcesIndex, body: { mappings: sourcesMapping } });
    }
  } catch (error) {
    throw new DeskmateError(
      'not_configured',
      'the OpenSearch cluster could not be reached or refused to create the knowledge indices. Fix: check OPENSEARCH_URL (with credentials) and that the cluster is up',
      { cause: error, retryable: true },
    );
  }

  async function openChunks(): Promise<boolean> {
    if (chunksReady) return true;
    if (!(await exists(chunksIndex))) return false;
    const mapping = (await client.indices.getMapping({ index: chunksIndex })).body as Record<
      string,
      {
        mappings?: {
          _meta?: { embedding_model?: string; search_text_version?: string };
          properties?: { vector?: { dimension?: number } };
        };
      }
    >;
    const mappings = Object.values(mapping)[0]?.mappings;
    const model = mappings?._meta?.embedding_model;
    const searchText = mappings?._meta?.search_text_version;
    if ((model || undefined) !== options.embeddingModel || searchText !== openSearchTextVersion) {
      logger.warn(
        {
          before: model ?? 'none',
          after: options.embeddingModel ?? 'none',
          searchTextBefore: searchText ?? 'none',
          searchTextAfter: openSearchTextVersion,
        },
        'the embedding model or the searched text changed: the knowledge index starts over and every source is indexed again',
      );
      await client.indices.delete({ index: chunksIndex });
      await client.deleteByQuery({ index: sourcesIndex, body: { query: { match_all: {} } }, refresh: true });
      return false;
    }
    dimensions = mappings?.properties?.vector?.dimension;
    chunksReady = true;
    return true;
  }

  async function createChunks(vectorLength: number | undefined): Promise<void> {
    await client.indices.create({
      index: chunksIndex,
      body: chunksMapping(
        analyzer,
        options.embeddingModel && vectorLength
          ? { dimensions: vectorLength, model: options.embeddingModel }
          : undefined,
      ),
    });
    dimensions = options.embeddingModel ? vectorLength : undefined;
    chunksReady = true;
  }

  async function storedSource(sourceId: string): Promise<KnowledgeSource | undefined> {
    const found = await client.search({
      index: sourcesIndex,
      body: { query: { term: { id: sourceId } }, size: 1 },
    });
    const hit = (found.body.hits.hits as SearchHit[])[0];
    return hit ? sourceFromRecord(hit._source) : undefined;
  }

  async function upsert(source: KnowledgeSource, chunks: KnowledgeChunk[]): Promise<'indexed' | 'unchanged'> {
    if (source.access.length === 0) {
      throw new DeskmateError('bad_input', `knowledge source ${source.id} has no access list`);
    }
    const stored = await storedSource(source.id);
    if (stored && sameSource(stored, source)) return 'unchanged';
    const model = options.embeddingModel;
    const lengths = new Set(chunks.map((chunk) => chunk.vector?.length ?? 0));
    if (model && (lengths.has(0) || lengths.size > 1 || (dimensions && !lengths.has(dimensions)))) {
      throw new DeskmateError(
        'bad_input',
        `every chunk needs a vector from ${model} (the index embeds with it)`,
      );
    }
    if (!(await openChunks()) && chunks.length > 0) await createChunks(chunks[0].vector?.length);
    const writeId = randomUUID();
    if (chunks.length > 0) {
      const operations = chunks.flatMap((chunk) => [
        { index: { _index: chunksIndex, _id: chunk.id } },
        chunkDocument(chunk, source, writeId, dimensions !== undefined),
      ]);
      const answer = await client.bulk({ body: operations, refresh: true });
      if (answer.body.errors) {
        throw new DeskmateError('unavailable', `OpenSearch refused chunks of ${source.id}`, {
          retryable: true,
        });
      }
    }
    if (chunksReady) {
      await client.deleteByQuery({
        index: chunksIndex,
        refresh: true,
        body: {
          query: {
            bool: {
              filter: [{ term: { source_id: source.id } }],
              must_not: [{ term: { write_id: writeId } }],
            },
          },
        },
      });
    }
    await client.index({ index: sourcesIndex, id: source.id, body: sourceRecord(source), refresh: true });
    return 'indexed';
  }

  async function search(query: KnowledgeQuery): Promise<KnowledgeHit[]> {
    if (query.principals.length === 0 || query.limit <= 0 || !(await openChunks())) return [];
    const access = { terms: { access: query.principals } };
    const count = Math.max(query.limit * 4, minimumCandidates);
    const searches: Body[] = [];
    if (query.text.trim()) {
      searches.push(
        { index: chunksIndex },
        {
          size: count,
          _source: { excludes: ['vector'] },
          query: {
            bool: { must: [{ match: { search_text: keywordQueryOf(query.text) } }], filter: [access] },
          },
        },
      );
    }
    if (query.vector && dimensions && query.vector.length === dimensions) {
      searches.push(
        { index: chunksIndex },
        {
          size: count,
          _source: { excludes: ['vector'] },
          query: { knn: { vector: { vector: query.vector, k: count, filter: access } } },
        },
      );
    }
    if (searches.length === 0) return [];
    const answer = await client.msearch({ body: searches });
    const lists = (answer.body.responses as Array<{ hits?: { hits: SearchHit[] }; error?: unknown }>).map(
      (response) => {
        if (response.error) {
          throw new DeskmateError('unavailable', 'OpenSearch could not run a knowledge search', {
            cause: response.error,
            retryable: true,
          });
        }
        return response.hits?.hits ?? [];
      },
    );
    const documents = new Map<string, Body>();
    for (const hit of lists.flat()) documents.set(hit._id, hit._source);
    const fused = fuseByReciprocalRank(lists.map((hits) => hits.map((hit) => hit._id))).slice(0, query.limit);
    if (fused.length === 0) return [];
    const chunks = fused.map((entry) => chunkFromRecord(documents.get(entry.id) as Body));
    const sourceIds = [...new Set(chunks.map((chunk) => chunk.sourceId))];
    const found = await client.search({
      index: sourcesIndex,
      body: { size: sourceIds.length, query: { bool: { filter: [{ terms: { id: sourceIds } }, access] } } },
    });
    const sources = new Map(
      (found.body.hits.hits as SearchHit[]).map((hit) => [hit._id, sourceFromRecord(hit._source)]),
    );
    return chunks.flatMap((chunk, index) => {
      const source = sources.get(chunk.sourceId);
      return source ? [{ chunk, source, score: fused[index].score }] : [];
    });
  }

  return {
    upsert,
    search,
    async remove(sourceId) {
      const stored = await storedSource(sourceId);
      if (await openChunks()) {
        await client.deleteByQuery({
          index: chunksIndex,
          refresh: true,
          body: { query: { term: { source_id: sourceId } } },
        });
      }
      if (stored) await client.delete({ index: sourcesIndex, id: sourceId, refresh: true });
      return stored !== undefined;
    },
    async sources(principals) {
      if (principals && principals.length === 0) return [];
      const found = await client.search({
        index: sourcesIndex,
        body: {
          size: maxSources,
          query: principals ? { bool: { filter: [{ terms: { access: principals } }] } } : { match_all: {} },
          sort: [{ indexed_at: 'desc' }],
        },
      });
      return (found.body.hits.hits as SearchHit[]).map((hit) => sourceFromRecord(hit._source));
    },
    async status(): Promise<KnowledgeStatus> {
      const count = async (index: string) => Number((await client.count({ index })).body.count ?? 0);
      return {
        engine: 'opensearch',
        sources: await count(sourcesIndex),
        chunks: (await openChunks()) ? await count(chunksIndex) : 0,
        vectors: options.embeddingModel !== undefined,
      };
    },
    async close() {
      await client.close();
    },
  };
}
