/**
 * The documents benchmark's runs and tables (`npm run bench -- documents`, issue #21; bench/documents.ts
 * measures). BENCH_DOCUMENTS=extracting runs only its last part: acks and other jobs while a file is read;
 * BENCH_DOCUMENTS_RAW=<file> writes that part's figures of every run as JSON.
 */
import { writeFileSync } from 'node:fs';
import { startRedisServer } from '../test/helpers/redis-server';
import {
  type BenchDocuments,
  type DocumentTokenFigures,
  documentTokens,
  type ExtractingFigures,
  type ExtractingRow,
  extractingRatePerSecond,
  extractingRows,
  extractingRun,
  extractionRun,
  largePages,
  makeBenchDocuments,
} from './documents';
import type { ExtractionFigures } from './extract-child';
import { probeSpacingMs, probesPerSegment } from './help-probes';
import { buildForBenchmarks, startFakePlatforms } from './processes';
import { show, summarize, table } from './tables';

/** Run the documents benchmark `runs` times and print its tables. */
export async function documentsBench(runs: number): Promise<void> {
  buildForBenchmarks();
  const files = await makeBenchDocuments();
  const onlyExtracting = process.env.BENCH_DOCUMENTS === 'extracting';
  try {
    const extraction = onlyExtracting ? undefined : await extractionRuns(files, runs);
    const tokens = onlyExtracting ? undefined : await documentTokens(files.summaryPdf);
    if (tokens) process.stderr.write('documents: tokens done\n');
    const extracting = await extractingRuns(files, runs);
    // BENCH_DOCUMENTS_RAW=<file>: every run's figures as JSON, help reply times included.
    if (process.env.BENCH_DOCUMENTS_RAW)
      writeFileSync(process.env.BENCH_DOCUMENTS_RAW, JSON.stringify(extracting, null, 1));
    console.log(`\n## Documents (${runs} runs; median (min–max))`);
    if (extraction) printExtraction(extraction);
    if (tokens) printTokens(tokens);
    printAcks(extracting);
    printHelpReplies(extracting);
  } finally {
    files.remove();
  }
}

type ExtractionResults = Record<'pdf' | 'docx', ExtractionFigures[]>;
type ExtractingResults = Record<ExtractingRow, ExtractingFigures[]>;
const rows = Object.keys(extractingRows) as ExtractingRow[];

async function extractionRuns(files: BenchDocuments, runs: number): Promise<ExtractionResults> {
  const extraction: ExtractionResults = { pdf: [], docx: [] };
  for (let run = 0; run < runs; run += 1) {
    extraction.pdf.push(await extractionRun(files.pdf));
    extraction.docx.push(await extractionRun(files.docx));
  }
  process.stderr.write('documents: extraction done\n');
  return extraction;
}

async function extractingRuns(files: BenchDocuments, runs: number): Promise<ExtractingResults> {
  const extracting = Object.fromEntries(
    rows.map((row) => [row, [] as ExtractingFigures[]]),
  ) as ExtractingResults;
  const redis = await startRedisServer();
  const fakes = await startFakePlatforms();
  try {
    for (let run = 0; run < runs; run += 1) {
      // The rows' order alternates between runs, so both see the machine in the same minutes.
      for (const row of run % 2 === 0 ? rows : [...rows].reverse())
        extracting[row].push(await extractingRun(row, redis.url, fakes, files.pdf));
      process.stderr.write(`documents: ack run ${run + 1}/${runs} done\n`);
    }
  } finally {
    await fakes.stop();
    await redis.stop();
  }
  return extracting;
}

function printExtraction(extraction: ExtractionResults): void {
  console.log('\nExtraction, each file in a fresh process (`extractDocument`):');
  const extractionLine = (label: string, results: ExtractionFigures[]) => {
    const pick = (read: (figures: ExtractionFigures) => number) => summarize(results.map(read));
    return [
      label,
      `${(results[0].bytes / 1e6).toFixed(1)} MB`,
      String(results[0].pieces),
      show(pick((figures) => (largePages / figures.coldMs) * 1000)),
      show(pick((figures) => (largePages / figures.warmMs) * 1000)),
      show(pick((figures) => figures.rssBeforeMb)),
      show(pick((figures) => figures.peakRssMb)),
      results[0].notes.join(', ') || '—',
    ];
  };
  table(
    [
      'file',
      'size',
      'pieces read',
      'pages per second, first file (loads the reader)',
      'pages per second, warm',
      'RSS before (MB)',
      'peak RSS (MB)',
      'limits reached',
    ],
    [
      extractionLine(`PDF, ${largePages} pages`, extraction.pdf),
      extractionLine(`DOCX, ${largePages} pages and 8 pictures`, extraction.docx),
    ],
  );
}

function printTokens(tokens: DocumentTokenFigures): void {
  console.log(
    '\nTokens sent to the model for a 100-page document (real summarize skill, recording fake model):',
  );
  table(
    ['pages', "document's own tokens", 'tokens sent', 'model calls', 'sent / document', 'target'],
    [
      [
        String(tokens.pages),
        String(tokens.documentTokens),
        String(tokens.sentTokens),
        String(tokens.calls),
        tokens.ratio.toFixed(3),
        `≤ 1.10: ${tokens.ratio <= 1.1 ? 'met' : 'not met'}`,
      ],
    ],
  );
}

function printAcks(extracting: ExtractingResults): void {
  console.log(
    `\nAck p99 at ${extractingRatePerSecond} events/s while the jobs side extracts the ${largePages}-page PDF (the acks due from its download to its answer), against quiet segments of the same run:`,
  );
  table(
    [
      'Deskmate',
      'p99 quiet (ms)',
      'p99 extracting (ms)',
      'extracting / quiet',
      'max quiet (ms)',
      'max extracting (ms)',
      'acks counted, quiet / extracting',
      'download → answer (ms)',
      'not answered 2xx',
    ],
    rows.map((row) => {
      const results = extracting[row];
      const pick = (read: (figures: ExtractingFigures) => number) => summarize(results.map(read));
      return [
        extractingRows[row],
        show(
          pick((figures) => figures.quietP99),
          1,
        ),
        show(
          pick((figures) => figures.extractingP99),
          1,
        ),
        show(
          pick((figures) => figures.extractingP99 / figures.quietP99),
          2,
        ),
        show(pick((figures) => figures.quietMax)),
        show(pick((figures) => figures.extractingMax)),
        `${results.reduce((total, figures) => total + figures.quietAcks, 0)} / ${results.reduce((total, figures) => total + figures.extractingAcks, 0)}`,
        show(pick((figures) => figures.extractingWindowMs)),
        show(pick((figures) => figures.failed)),
      ];
    }),
  );
}

const median = (values: number[]) => (values.length === 0 ? Number.NaN : summarize(values).median);
const maximum = (values: number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));
/** Median, min and max over the runs of a per-run figure, leaving out runs without it. */
const overRuns = (results: ExtractingFigures[], read: (figures: ExtractingFigures) => number) =>
  summarize(results.map(read).filter((value) => !Number.isNaN(value)));
const total = (results: ExtractingFigures[], read: (figures: ExtractingFigures) => number) =>
  results.reduce((sum, figures) => sum + read(figures), 0);

function printHelpReplies(extracting: ExtractingResults): void {
  console.log(
    `\nOther jobs in the same segments: ${probesPerSegment} \`help\` mentions per segment, ${probeSpacingMs} ms apart, each from a new member of the channel; time from sending one to its reply being posted. An extracting segment counts those sent from the file's download to its answer (per run: the median and max of its probes; the queue and first-probe columns pool every run's probes):`,
  );
  table(
    [
      'Deskmate',
      'help reply, median quiet (ms)',
      'help reply, median extracting (ms)',
      'extracting / quiet (medians)',
      'max quiet (ms)',
      'max extracting (ms)',
      'probes counted, quiet / extracting (of sent while extracting)',
      'jobs queued ahead of a probe, median quiet / extracting',
      "each segment's first probe (none of the load queued ahead), median quiet / extracting (ms)",
      'extraction windows, download → answer (ms, every segment)',
      'probes never answered',
    ],
    rows.map((row) => {
      const results = extracting[row];
      const windows = results.flatMap((figures) => figures.windowsMs);
      return [
        extractingRows[row],
        show(overRuns(results, (figures) => median(figures.quietHelpMs))),
        show(overRuns(results, (figures) => median(figures.extractingHelpMs))),
        show(
          overRuns(results, (figures) => median(figures.extractingHelpMs) / median(figures.quietHelpMs)),
          2,
        ),
        show(overRuns(results, (figures) => maximum(figures.quietHelpMs))),
        show(overRuns(results, (figures) => maximum(figures.extractingHelpMs))),
        `${total(results, (figures) => figures.quietHelpMs.length)} / ${total(results, (figures) => figures.extractingHelpMs.length)} (of ${total(results, (figures) => figures.extractingProbesSent)})`,
        `${median(results.flatMap((figures) => figures.quietQueuedAhead)).toFixed(0)} / ${median(results.flatMap((figures) => figures.extractingQueuedAhead)).toFixed(0)}`,
        `${median(results.flatMap((figures) => figures.quietFirstHelpMs)).toFixed(0)} / ${median(results.flatMap((figures) => figures.extractingFirstHelpMs)).toFixed(0)}`,
        `${show(summarize(windows))}: ${windows.map((each) => each.toFixed(0)).join(', ')}`,
        String(total(results, (figures) => figures.helpUnanswered)),
      ];
    }),
  );
}
