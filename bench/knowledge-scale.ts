/**
 * Query time at scale: 100,000 synthetic chunks (bench/knowledge-synthetic.ts) in the embedded LanceDB engine,
 * written through its upsert as a folder sync would, then the fixture questions searched keyword-only with an
 * asker's principals (no model call: nothing to embed). Reports p50 and p95 of one search, per pass.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeIndex, KnowledgePrincipal } from '../src/core/knowledge-index';
import { createLanceDbKnowledgeIndex } from '../src/knowledge/lancedb/lancedb-knowledge-index';
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

/** Write `sourceCount` × `chunksPerSource` synthetic chunks into a new LanceDB index under `directory`. */
export async function buildSyntheticIndex(
  directory: string,
  sourceCount: number,
  chunksPerSource: number,
): Promise<SyntheticIndex> {
  const index = await createLanceDbKnowledgeIndex({
    uri: directory,
    logger: createLogger({ level: 'silent' }),
  });
  const started = performance.now();
  for (const { source, chunks } of syntheticSources(sourceCount, chunksPerSource))
    await index.upsert(source, chunks);
  const buildMs = performance.now() - started;
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
