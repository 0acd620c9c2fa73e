import { randomUUID } from 'node:crypto';
import * as lancedb from '@lancedb/lancedb';
import { DeskmateError } from '../../core/errors';
import type {
  KnowledgeChunk,
  KnowledgeHit,
  KnowledgeIndex,
  KnowledgePrincipal,
  KnowledgeQuery,
  KnowledgeSource,
  KnowledgeStatus,
} from '../../core/knowledge-index';
import type { Logger } from '../../core/logger';
import { fuseByReciprocalRank } from '../reciprocal-rank-fusion';
import { sameSource } from '../same-source';
import { chunkFromRecord, sourceFromRecord, sourceRecord } from '../stored-records';
import { connectLanceDb, type LanceDbLocation } from './lancedb-connect';
import {
  accessFilter,
  chunkRow,
  chunksSchema,
  searchTextVersion,
  sourcesSchema,
  sqlString,
} from './lancedb-rows';
import { rewriteSearchText } from './lancedb-search-text-migration';
import { ensureTextIndex, keywordMatches, searchTextVersionOf } from './lancedb-text-index';

/** Where the embedded index lives and how it reads. */
export interface LanceDbKnowledgeIndexOptions extends LanceDbLocation {
  /** Chunks at which a vector index is built (below it, vector search scans; default 10,000). */
  vectorIndexThreshold?: number;
  /** The embedding model chunks' vectors come from; unset, the index is keyword-only. */
  embeddingModel?: string;
  /** Quiet milliseconds after the last write before its rows are folded into the indices (default 2,000). */
  settleMilliseconds?: number;
  /** Logger (ids and counts, never text). */
  logger: Logger;
}

const sourcesTable = 'sources';
const chunksTable = 'chunks';
/** Candidates each search list contributes before fusion, at least. */
const minimumCandidates = 40;
/** Writes between two compactions during a long burst (each also folds new rows into the indices). */
const writesPerOptimize = 25;
/** Below this many chunks, every write is folded into the full-text index at once (see afterWrite). */
const smallTableRows = 20;
const chunkColumns = ['id', 'source_id', 'text', 'heading_path', 'place', 'language'];

/** Open the embedded LanceDB knowledge index (data under the URI; tables are created on first use). */
export async function createLanceDbKnowledgeIndex(
  options: LanceDbKnowledgeIndexOptions,
): Promise<KnowledgeIndex> {
  const { logger } = options;
  const connection = await connectLanceDb(options, 'write');
  const names = await connection.tableNames();
  const sources = names.includes(sourcesTable)
    ? await connection.openTable(sourcesTable)
    : await connection.createEmptyTable(sourcesTable, sourcesSchema, { existOk: true });
  let chunks = names.includes(chunksTable) ? await connection.openTable(chunksTable) : undefined;
  let dimensions: number | undefined;
  if (chunks) {
    const vectors = await vectorColumn(chunks);
    const searchText = await searchTextVersionOf(chunks);
    if (vectors?.model !== options.embeddingModel) {
      // Vectors of another model (or none) cannot be searched with this one's: start over, and let the
      // sources be indexed again (the folder sync does so on its next pass).
      logger.warn(
        { before: vectors?.model ?? 'none', after: options.embeddingModel ?? 'none' },
        'the embedding model changed: the knowledge index starts over and every source is indexed again',
      );
      chunks.close();
      await connection.dropTable(chunksTable);
      await sources.delete('true');
      chunks = undefined;
    } else if (searchText !== searchTextVersion) {
      // Chunks whose searched text (title and heading path above the text) was made otherwise, or not at all:
      // rewritten from what the tables hold, so nothing added in chat is lost on an upgrade.
      const rewritten = await rewriteSearchText(connection, chunksTable, chunks, sources, vectors);
      logger.warn(
        {
          before: searchText ?? 'none',
          after: searchTextVersion,
          chunks: rewritten.chunks,
          dropped: rewritten.dropped,
        },
        'the knowledge index searches chunks differently now: its chunks were rewritten in the new layout',
      );
      chunks = rewritten.table;
      dimensions = vectors?.dimensions;
    } else {
      dimensions = vectors?.dimensions;
    }
  }
  let writes = 0;
  let settleTimer: NodeJS.Timeout | undefined;
  // One write at a time in this process; LanceDB itself settles writes from other processes.
  let writing: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writing.then(work, work);
    writing = next.catch(() => undefined);
    return next;
  };

  /** The chunks table, created with the first chunks (their vectors' length fixes the column's). */
  async function chunksFor(sourceChunks: KnowledgeChunk[]): Promise<lancedb.Table> {
    const model = options.embeddingModel;
    const lengths = new Set(sourceChunks.map((chunk) => chunk.vector?.length ?? 0));
    if (model && (lengths.has(0) || lengths.size > 1 || (dimensions && !lengths.has(dimensions)))) {
      throw new DeskmateError(
        'bad_input',
        `every chunk needs a vector of ${dimensions ?? 'one'} length from ${model} (the index embeds with it)`,
      );
    }
    if (chunks) return chunks;
    const length = model ? (sourceChunks[0]?.vector?.length as number) : undefined;
    chunks = await connection.createEmptyTable(
      chunksTable,
      chunksSchema(model && length ? { dimensions: length, model } : undefined),
      { existOk: true },
    );
    dimensions = (await vectorColumn(chunks))?.dimensions;
    return chunks;
  }

  /** The chunks table, opened when another process created it after this one opened the index. */
  async function existingChunks(): Promise<lancedb.Table | undefined> {
    if (chunks) return chunks;
    if (!(await connection.tableNames()).includes(chunksTable)) return undefined;
    const table = await connection.openTable(chunksTable);
    const vectors = await vectorColumn(table);
    if (
      vectors?.model !== options.embeddingModel ||
      (await searchTextVersionOf(table)) !== searchTextVersion
    ) {
      table.close();
      return undefined;
    }
    chunks ??= table;
    dimensions = vectors?.dimensions;
    return chunks;
  }

  /**
   * After a write: rows not yet in the full-text index are scanned by every search (p95 at 100,000 chunks
   * went from about 35 to over 100 ms with 1,000 such rows), so they are folded in once writes settle, or
   * every few writes of a long burst. Folding in costs the native pool a second or two at 100,000 chunks,
   * off the event loop. A small table is optimized at once: LanceDB's scan of rows not yet in the full-text
   * index misses a word that every indexed row holds, which on a nearly empty index is most words (a source
   * indexed again with new access would not be found).
   */
  async function afterWrite(table: lancedb.Table): Promise<void> {
    writes += 1;
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = undefined;
    if (writes % writesPerOptimize === 0 || (await table.countRows()) < smallTableRows) {
      return optimize(table);
    }
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      serially(() => optimize(table)).catch((error: unknown) =>
        logger.warn({ err: error }, 'knowledge index not optimized; the next write tries again'),
      );
    }, options.settleMilliseconds ?? 2000);
    settleTimer.unref();
  }

  /** Compact, fold new rows into the indices, and build the vector index once the table is large enough. */
  async function optimize(table: lancedb.Table): Promise<void> {
    const started = Date.now();
    await table.optimize({ cleanupOlderThan: new Date(Date.now() - 10 * 60_000) });
    await sources.optimize({ cleanupOlderThan: new Date(Date.now() - 10 * 60_000) });
    logger.debug({ milliseconds: Date.now() - started }, 'knowledge index optimized');
    if (!dimensions) return;
    const indices = await table.listIndices();
    const rows = await table.countRows();
    if (
      rows >= (options.vectorIndexThreshold ?? 10_000) &&
      !indices.some((index) => index.columns.includes('vector'))
    ) {
      await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }) });
      logger.info({ chunks: rows }, 'knowledge vector index built');
    }
  }

  async function storedSource(sourceId: string): Promise<KnowledgeSource | undefined> {
    const rows = await sources
      .query()
      .where(`id = ${sqlString(sourceId)}`)
      .limit(1)
      .toArray();
    return rows[0] ? sourceFromRecord(rows[0]) : undefined;
  }

  async function upsert(source: KnowledgeSource, sourceChunks: KnowledgeChunk[]) {
    if (source.access.length === 0) {
      throw new DeskmateError('bad_input', `knowledge source ${source.id} has no access list`);
    }
    const stored = await storedSource(source.id);
    if (stored && sameSource(stored, source)) return 'unchanged' as const;
    if (sourceChunks.length === 0 && !chunks) {
      await sources.delete(`id = ${sqlString(source.id)}`);
      await sources.add([sourceRecord(source)]);
      return 'indexed' as const;
    }
    const table = await chunksFor(sourceChunks);
    const writeId = randomUUID();
    if (sourceChunks.length > 0) {
      await table.add(
        sourceChunks.map((chunk) => chunkRow(chunk, source, writeId, dimensions !== undefined)),
      );
      await ensureTextIndex(table);
    }
    // The new chunks are in before the old ones go: a search meanwhile finds one version or the other.
    await table.delete(`source_id = ${sqlString(source.id)} AND write_id <> ${sqlString(writeId)}`);
    await sources.delete(`id = ${sqlString(source.id)}`);
    await sources.add([sourceRecord(source)]);
    await afterWrite(table);
    return 'indexed' as const;
  }

  async function vectorRanking(table: lancedb.Table, query: KnowledgeQuery, filter: string, count: number) {
    if (!query.vector || !dimensions || query.vector.length !== dimensions) return [];
    const rows = await table
      .query()
      .nearestTo(query.vector)
      .distanceType('cosine')
      .where(filter)
      .select([...chunkColumns, '_distance'])
      .limit(count)
      .toArray();
    return rows as Array<Record<string, unknown>>;
  }

  return {
    upsert: (source, sourceChunks) => serially(() => upsert(source, sourceChunks)),

    remove: (sourceId) =>
      serially(async () => {
        const stored = await storedSource(sourceId);
        await chunks?.delete(`source_id = ${sqlString(sourceId)}`);
        await sources.delete(`id = ${sqlString(sourceId)}`);
        if (chunks) await afterWrite(chunks);
        return stored !== undefined;
      }),

    async search(query): Promise<KnowledgeHit[]> {
      const table = await existingChunks();
      if (!table || query.principals.length === 0 || query.limit <= 0) return [];
      // The asker's principals are part of each query: the engine ranks only what they may read.
      const filter = accessFilter(query.principals);
      const count = Math.max(query.limit * 4, minimumCandidates);
      const [keyword, vector] = await Promise.all([
        keywordMatches(table, query.text, filter, chunkColumns, count),
        vectorRanking(table, query, filter, count),
      ]);
      const rowsById = new Map<string, Record<string, unknown>>();
      for (const row of [...keyword, ...vector]) rowsById.set(String(row.id), row);
      const fused = fuseByReciprocalRank([
        keyword.map((row) => String(row.id)),
        vector.map((row) => String(row.id)),
      ]).slice(0, query.limit);
      if (fused.length === 0) return [];
      const chunkList = fused.map((entry) =>
        chunkFromRecord(rowsById.get(entry.id) as Record<string, unknown>),
      );
      const sourceIds = [...new Set(chunkList.map((chunk) => chunk.sourceId))];
      const sourceRows = await sources
        .query()
        .where(`id IN (${sourceIds.map(sqlString).join(', ')}) AND ${filter}`)
        .toArray();
      const sourcesById = new Map(sourceRows.map((row) => [String(row.id), sourceFromRecord(row)]));
      return chunkList.flatMap((chunk, index) => {
        const source = sourcesById.get(chunk.sourceId);
        return source ? [{ chunk, source, score: fused[index].score }] : [];
      });
    },

    async sources(principals?: KnowledgePrincipal[]) {
      if (principals && principals.length === 0) return [];
      const query = sources.query();
      const rows = await (principals ? query.where(accessFilter(principals)) : query).toArray();
      return rows.map(sourceFromRecord).sort((left, right) => right.indexedAt.localeCompare(left.indexedAt));
    },

    async status(): Promise<KnowledgeStatus> {
      return {
        engine: 'lancedb',
        sources: await sources.countRows(),
        chunks: (await (await existingChunks())?.countRows()) ?? 0,
        vectors: options.embeddingModel !== undefined,
      };
    },

    async close() {
      if (settleTimer) clearTimeout(settleTimer);
      await writing;
      chunks?.close();
      sources.close();
      connection.close();
    },
  };
}

/** The vector column of a chunks table (its length and the model that made it), if it has one. */
async function vectorColumn(
  table: lancedb.Table,
): Promise<{ dimensions: number; model: string } | undefined> {
  const schema = await table.schema();
  const field = schema.fields.find((candidate) => candidate.name === 'vector');
  if (!field) return undefined;
  const dimensions = (field.type as { listSize?: number }).listSize ?? 0;
  return { dimensions, model: field.metadata.get('model') ?? '' };
}
