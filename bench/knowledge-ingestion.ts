/**
 * One ingestion of the knowledge fixtures, in a process of its own so its peak RSS is the ingestion's: one
 * folder-sync pass (scan, read, extract, chunk, upsert; no embedding model, so no embedding time) into a new
 * embedded LanceDB. Prints one line of JSON. Run by the knowledge bench: `node --import tsx bench/knowledge-ingestion.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLanceDbKnowledgeIndex } from '../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../src/logger';
import { indexFixtureCorpus } from '../test/knowledge/index-fixture-corpus';

/** What one ingestion took. */
export interface IngestionFigures {
  documents: number;
  chunks: number;
  syncMs: number;
  /** RSS once the modules are loaded, before the pass (MB). */
  rssBeforeMb: number;
  /** The process's peak RSS, the pass included (MB). */
  peakRssMb: number;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-bench-ingest-'));
  const index = await createLanceDbKnowledgeIndex({
    uri: directory,
    logger: createLogger({ level: 'silent' }),
  });
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  try {
    const indexing = await indexFixtureCorpus(index);
    const figures: IngestionFigures = {
      documents: indexing.documents,
      chunks: indexing.chunks,
      syncMs: indexing.syncMs,
      rssBeforeMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await index.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
