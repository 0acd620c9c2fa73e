/**
 * The knowledge bench (`npm run bench -- knowledge`), on the fixture corpus of test/fixtures/knowledge:
 * (a) keyword-only recall@5 of the labelled questions, tuned and held out apart (with embeddings only when a
 * real model is configured); (b) citation validity of answers, through knowledge-answers' ask with a fake model
 * citing numbers it was and was not given; (c) search p50/p95 at 100,000 synthetic chunks on the embedded
 * LanceDB engine (no model call); (d) ingestion of the corpus by the folder sync, pages per second and peak RSS.
 * Timings are medians of BENCH_RUNS runs with min–max; recall and citations are deterministic, measured once.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { prepareLanceThreads } from '../src/knowledge/lancedb/lance-threads';
import { createLanceDbKnowledgeIndex } from '../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../src/logger';
import {
  type AnswerableQuestion,
  answerableQuestions,
  extractKnowledgeDocument,
  listAccessFolders,
  listKnowledgeDocuments,
} from '../test/knowledge/fixture-corpus';
import { rankQuestions } from '../test/knowledge/fixture-recall';
import { everyone, indexFixtureCorpus } from '../test/knowledge/index-fixture-corpus';
import { type RecallFigure, recallOf } from '../test/knowledge/recall-scoring';
import { measureCitations } from './knowledge-citations';
import type { IngestionFigures } from './knowledge-ingestion';
import { buildSyntheticIndex, percentile, scaleQueries, timeSearches } from './knowledge-scale';
import { openPrincipal, syntheticSources } from './knowledge-synthetic';

const root = resolve(__dirname, '..');

// As Deskmate does before loading LanceDB (see src/knowledge/lancedb/lance-threads.ts).
prepareLanceThreads();

type Stat = { median: number; min: number; max: number };

/** Median, min and max (the same as run.ts's, kept here so run.ts can import this file). */
function summarize(values: number[]): Stat {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function show(stat: Stat, digits = 0): string {
  return `${stat.median.toFixed(digits)} (${stat.min.toFixed(digits)}–${stat.max.toFixed(digits)})`;
}

function showRecall(figure: RecallFigure): string {
  return `${figure.recall.toFixed(3)} (${figure.hits}/${figure.questions})`;
}

/** (a) Keyword-only recall@5, tuned and held out, by kind and language, with the missed ids. */
async function recallSection(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-bench-recall-'));
  const index = await createLanceDbKnowledgeIndex({
    uri: directory,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await indexFixtureCorpus(index);
    const questions = answerableQuestions();
    const managers = listAccessFolders().find((each) => each.folder === 'hr/managers');
    const principals = [everyone, ...(managers?.access.ok ? managers.access.principals : [])];
    const { ranks } = await rankQuestions(index, questions, principals, { limit: 5 });
    const tuned = questions.filter((question) => !question.heldOut);
    const heldOut = questions.filter((question) => question.heldOut);
    const row = (label: string, pick: (question: AnswerableQuestion) => boolean) => {
      const left = recallOf(tuned.filter(pick), ranks, 5);
      const right = recallOf(heldOut.filter(pick), ranks, 5);
      console.log(`| ${label} | ${showRecall(left)} | ${right.questions ? showRecall(right) : '—'} |`);
    };
    console.log(
      '\n## Knowledge: retrieval recall@5 on the fixture corpus (151 documents, 60 labelled questions)',
    );
    console.log('| questions | tuned | held out |');
    console.log('| --- | --- | --- |');
    row('all, keyword only (LanceDB full-text, icu)', () => true);
    for (const kind of ['direct', 'paraphrase', 'cross-language'] as const) {
      row(`${kind}, keyword only`, (question) => question.kind === kind);
    }
    for (const language of ['en', 'zh'] as const) {
      row(
        `asked in ${language === 'en' ? 'English' : 'Chinese'}, keyword only`,
        (q) => q.language === language,
      );
    }
    console.log(
      '| all, hybrid (keyword + embeddings) | not measured: no embedding model here | not measured: no embedding model here |',
    );
    console.log(
      `Missed (keyword only): tuned ${recallOf(tuned, ranks, 5).missed.join(', ') || 'none'}; held out ${recallOf(heldOut, ranks, 5).missed.join(', ') || 'none'}. Target ≥ 0.8. Deterministic: measured once.`,
    );
  } finally {
    await index.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** (b) Citation validity before and after knowledge-answers' validator. */
async function citationSection(): Promise<void> {
  const figures = await measureCitations();
  const percent = (count: number) =>
    `${((100 * count) / figures.answers).toFixed(1)}% (${count}/${figures.answers})`;
  console.log(
    '\n## Knowledge: citation validity (ask/问 through the pipeline, fake model citing valid and invalid numbers)',
  );
  console.log('| answers whose citations all name a retrieved chunk | share |');
  console.log('| --- | --- |');
  console.log(`| the model's raw text | ${percent(figures.validBeforeValidator)} |`);
  console.log(`| what the person is shown (after the validator) | ${percent(figures.validAfterValidator)} |`);
  console.log(
    `Answers shown as not found: ${figures.notFound}. Target 100% after the validator. Deterministic: measured once.`,
  );
}

/** When (performance.now()) every row of the chunks table was in its full-text index (undefined past 60 s). */
async function untilIndexed(directory: string): Promise<number | undefined> {
  const started = performance.now();
  const connection = await lancedb.connect(directory);
  const table = await connection.openTable('chunks');
  try {
    while (performance.now() - started < 60_000) {
      await table.checkoutLatest();
      const text = (await table.listIndices()).find((entry) => entry.indexType === 'FTS');
      if (text && (await table.indexStats(text.name))?.numUnindexedRows === 0) return performance.now();
      await new Promise((done) => setTimeout(done, 100));
    }
    return undefined;
  } finally {
    table.close();
    connection.close();
  }
}

/** (c) Search time at 100,000 synthetic chunks, fully indexed, then with 10 fresh upserts not yet optimized. */
async function scaleSection(runs: number): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-bench-scale-'));
  const built = await buildSyntheticIndex(directory, 200, 500);
  try {
    const queries = scaleQueries();
    const passes = async () => {
      const p50: number[] = [];
      const p95: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const times = await timeSearches(built.index, queries);
        p50.push(percentile(times, 0.5));
        p95.push(percentile(times, 0.95));
      }
      return { p50: summarize(p50), p95: summarize(p95) };
    };
    const indexed = await passes();
    // Ten more sources through the engine's upsert: it folds new rows into its full-text index every 25 writes,
    // so these stay unindexed. Bounded: upserts into a large table stalled on this machine (see buildSyntheticIndex).
    let fresh = 0;
    let lastUpsertAt = 0;
    const upsertFresh = async () => {
      for (const { source, chunks } of syntheticSources(10, 100, 2026)) {
        const id = `fresh/${source.id}`;
        await built.index.upsert(
          { ...source, id, access: [openPrincipal] },
          chunks.map((chunk) => ({ ...chunk, id: `fresh/${chunk.id}`, sourceId: id })),
        );
        fresh += chunks.length;
        lastUpsertAt = performance.now();
      }
      return true;
    };
    const finished = await Promise.race([
      upsertFresh(),
      new Promise<false>((done) => setTimeout(() => done(false), 120_000).unref()),
    ]);
    // Searched at once, while the engine has yet to fold the new rows into its full-text index (it does so 2 s
    // after the last write, during these passes): the first pass's p95 is the max, the later ones' the min.
    const [withFresh, indexedAt] = finished
      ? await Promise.all([passes(), untilIndexed(directory)])
      : [undefined, undefined];
    const settled = indexedAt !== undefined ? indexedAt - lastUpsertAt : undefined;
    const afterSettle = settled !== undefined ? await passes() : undefined;
    console.log(
      `\n## Knowledge: search at ${built.chunks.toLocaleString('en')} synthetic chunks (embedded LanceDB, keyword only, top 8, ${queries.length} questions per pass, ${runs} passes; median (min–max) of each pass's percentile)`,
    );
    console.log('| index state | p50 (ms) | p95 (ms) |');
    console.log('| --- | --- | --- |');
    console.log(`| fully indexed | ${show(indexed.p50, 1)} | ${show(indexed.p95, 1)} |`);
    console.log(
      withFresh
        ? `| plus ${fresh.toLocaleString('en')} chunks from 10 upserts, searched at once (the first pass before they are folded in) | ${show(withFresh.p50, 1)} | ${show(withFresh.p95, 1)} |`
        : `| plus 10 upserts of 100 chunks | not measured: the upserts did not finish within 120 s (${fresh} chunks written) | |`,
    );
    if (afterSettle && settled !== undefined) {
      console.log(
        `| the same, once the writes settled (all in the full-text index ${(settled / 1000).toFixed(1)} s after the last upsert) | ${show(afterSettle.p50, 1)} | ${show(afterSettle.p95, 1)} |`,
      );
    }
    console.log(
      `LANCE_CPU_THREADS=${process.env.LANCE_CPU_THREADS} (the default, one per core, stalled here; see the comment at its setting).`,
    );
    console.log(
      `Loaded in bulk in the engine's row format and full-text index in ${(built.buildMs / 1000).toFixed(1)} s (${built.diskMb.toFixed(0)} MB on disk). Searched through the engine. Model calls excluded (nothing embedded). Target p95 ≤ 100 ms.`,
    );
  } finally {
    await built.index.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** (d) Ingestion of the corpus by the folder sync, each run a new process. */
async function ingestionSection(runs: number): Promise<void> {
  let pages = 0;
  for (const path of listKnowledgeDocuments()) {
    pages += path.endsWith('.pdf') ? ((await extractKnowledgeDocument(path)).pageCount ?? 1) : 1;
  }
  const results: IngestionFigures[] = [];
  for (let run = 0; run < runs; run += 1) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/knowledge-ingestion.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    results.push(JSON.parse(output.trim().split('\n').pop() ?? '{}') as IngestionFigures);
  }
  const pick = (read: (figures: IngestionFigures) => number) => summarize(results.map(read));
  const { documents, chunks } = results[0];
  console.log(
    `\n## Knowledge: ingestion of the fixture corpus (one folder-sync pass into a new LanceDB, no embedding model; ${runs} runs, each a new process)`,
  );
  console.log('| figure | median (min–max) |');
  console.log('| --- | --- |');
  console.log(
    `| pages per second (${pages} pages: a PDF page each, every other document is under a page) | ${show(
      pick((each) => (pages * 1000) / each.syncMs),
      1,
    )} |`,
  );
  console.log(
    `| documents per second (${documents} documents, ${chunks} chunks) | ${show(
      pick((each) => (documents * 1000) / each.syncMs),
      1,
    )} |`,
  );
  console.log(
    `| pass (s) | ${show(
      pick((each) => each.syncMs / 1000),
      1,
    )} |`,
  );
  console.log(`| peak RSS of the process (MB) | ${show(pick((each) => each.peakRssMb))} |`);
  console.log(`| RSS before the pass, modules loaded (MB) | ${show(pick((each) => each.rssBeforeMb))} |`);
  console.log('Embedding time excluded: no model is configured, so nothing is embedded.');
}

/** The parts of the knowledge bench, in the order they run. */
export type KnowledgeBenchPart = 'recall' | 'citations' | 'ingestion' | 'scale';

/** The knowledge bench's parts (all by default), printed as Markdown tables. */
export async function knowledgeBench(
  runs: number,
  parts: readonly KnowledgeBenchPart[] = ['recall', 'citations', 'ingestion', 'scale'],
): Promise<void> {
  if (parts.includes('recall')) await recallSection();
  if (parts.includes('citations')) await citationSection();
  if (parts.includes('ingestion')) await ingestionSection(runs);
  if (parts.includes('scale')) await scaleSection(runs);
}
