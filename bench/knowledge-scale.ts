/**
 * Query time at scale: 100,000 synthetic chunks (bench/knowledge-synthetic.ts) in the embedded LanceDB engine,
 * loaded in the engine's row format, then the fixture questions searched through the engine keyword-only with
 * an asker's principals (no model call: nothing to embed). Reports p50 and p95 of one search, per pass.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import type { KnowledgeIndex, KnowledgePrincipal } from '../src/core/knowledge-index';
import { createLanceDbKnowledgeIndex } from '../src/knowledge/lancedb/lancedb-knowledge-index';
import { type ChunkRow, chunkRow, chunksSchema, sourcesSchema } from '../src/knowledge/lancedb/lancedb-rows';
import { ensureTextIndex } from '../src/knowledge/lancedb/lancedb-text-index';
import { type SourceRecord, sourceRecord } from '../src/knowledge/stored-records';
import { createLogger } from '../src/logger';
import { loadKnowledgeQuestions } from '../test/knowledge/fixture-corpus';
import { openPrincipal, restrictedPrincipal, syntheticSources } from './knowledge-synthetic';

/** The asker's principals for the timed searches: everyone, themselves, and the restricted conversation. */
export const scalePrincipals: KnowledgePrincipal[] = [
  openPrincipal,
  'user:slack:T0LANTING:U0ASKER',
  restrictedPrincipal,
];

/** A built synthetic index and what building it took. */
export interface SyntheticIndex {
  index: KnowledgeIndex;
  chunks: number;
  buildMs: number;
  /** The index's size on disk, in megabytes. */
  diskMb: number;
}

/** Bytes under a folder. */
function folderBytes(folder: string): number {
  let total = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    const stats = statSync(path);
    total += stats.isDirectory() ? folderBytes(path) : stats.size;
  }
  return total;
}

/**
 * Write `sourceCount` × `chunksPerSource` synthetic chunks under `directory` in the engine's own tables and row
 * format (lancedb-rows.ts) with its full-text index (icu), in bulk, then open it with the engine: the search is
 * the engine's; the load is a few large writes instead of 200 upserts (which, with LanceDB's default CPU pool
 * on 2 cores, stalled after some 80 upserts of 500 chunks; see LANCE_CPU_THREADS in bench/knowledge.ts).
 */
export async function buildSyntheticIndex(
  directory: string,
  sourceCount: number,
  chunksPerSource: number,
): Promise<SyntheticIndex> {
  const started = performance.now();
  const connection = await lancedb.connect(directory);
  // The engine's table names (lancedb-knowledge-index.ts).
  const sources = await connection.createEmptyTable('sources', sourcesSchema);
  const chunks = await connection.createEmptyTable('chunks', chunksSchema());
  let batch: ChunkRow[] = [];
  let sourceBatch: SourceRecord[] = [];
  const flush = async () => {
    if (batch.length > 0) await chunks.add(batch);
    if (sourceBatch.length > 0) await sources.add(sourceBatch);
    batch = [];
    sourceBatch = [];
  };
  for (const { source, chunks: sourceChunks } of syntheticSources(sourceCount, chunksPerSource)) {
    batch.push(...sourceChunks.map((chunk) => chunkRow(chunk, source, 'bulk', false)));
    sourceBatch.push(sourceRecord(source));
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  // The engine's full-text index, as it makes it.
  await ensureTextIndex(chunks);
  chunks.close();
  sources.close();
  connection.close();
  const buildMs = performance.now() - started;
  const index = await createLanceDbKnowledgeIndex({
    uri: directory,
    logger: createLogger({ level: 'silent' }),
  });
  const status = await index.status();
  return { index, chunks: status.chunks, buildMs, diskMb: folderBytes(directory) / 1024 / 1024 };
}

/** The search texts: every fixture question, English and Chinese, answerable or not. */
export function scaleQueries(): string[] {
  return loadKnowledgeQuestions().map((question) => question.question);
}

/** The value at a percentile (nearest rank) of some numbers. */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** One pass over the queries: milliseconds of each search of the top 8 (what an answer is given). */
export async function timeSearches(
  index: KnowledgeIndex,
  queries: readonly string[],
  principals: KnowledgePrincipal[] = scalePrincipals,
): Promise<number[]> {
  const times: number[] = [];
  for (const text of queries) {
    const started = performance.now();
    await index.search({ text, principals, limit: 8 });
    times.push(performance.now() - started);
  }
  return times;
}
