/**
 * Documents benchmark (`npm run bench -- documents`, issue #21). Its files are made at bench time in a
 * temporary directory (bench/document-files.ts), never committed.
 *
 * 1. Extraction: a 300-page PDF and a ~25 MB DOCX (300 pages of prose and photo-like pictures), each read by
 *    Deskmate's `extractDocument` in a fresh process (bench/extract-child.ts): pages per second (cold, with the
 *    reader loaded on first use, and warm) and the process's peak RSS.
 * 2. Tokens: a 100-page PDF summarized through the real summarize skill and pipeline, with a fake model that
 *    records every request; tokens sent (all requests, system prompt included, by the project's token
 *    estimator) / the document's own tokens (its extracted text, by the same estimator).
 * 3. The ack path while a large file is extracted: Deskmate (`all`, and `web` + `jobs`) at 250 events/s, quiet
 *    segments alternating with segments during which the jobs side extracts a fresh copy of the 300-page PDF
 *    (shared with "summarize"; no model configured, so the jobs side's work is the download and the
 *    extraction, then an outline). An extracting segment counts the acks due from the file's download to its
 *    answer. p99 extracting / p99 quiet of the same run. Other jobs in the same segments: a few `help`
 *    mentions from new members of the channel (bench/help-probes.ts), each timed from its sending to its
 *    reply; an extracting segment counts those sent from the file's download to its answer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import type { SharedFile } from '../src/core/shared-file';
import { extractDocument } from '../src/documents';
import { estimateTokens } from '../src/llm/token-estimator';
import { queueKeys } from '../src/pipeline/redis-queue-scripts';
import { createSkills } from '../src/skills';
import { RecordingPlatform } from '../test/fakes/recording-platform';
import { documentModel, piecesIn, userTurn } from '../test/helpers/document-model';
import { inboundMessage } from '../test/helpers/messages';
import { startTestPipeline } from '../test/helpers/pipeline';
import { slackFileShareRequest, slackRequests } from './ack-requests';
import { writeBenchDocx, writeBenchPdf } from './document-files';
import type { ExtractionFigures } from './extract-child';
import { helpProbes, replyTimes } from './help-probes';
import { fixedRate, percentileOf } from './load';
import {
  deskmateSettings,
  type FakePlatforms,
  nodeArguments,
  root,
  type ServerProcess,
  startDeskmateServer,
} from './processes';

const run = promisify(execFile);

/** Pages of the large PDF and of the DOCX; pages of the document summarized for the token ratio. */
export const largePages = 300;
export const summaryPages = 100;
/** Photo-like pictures in the DOCX (~3.1 MB each), which bring it to ~25 MB. */
const docxPictures = 8;
/** The PDF's title, overwritten in each shared copy so each has its own hash (and is read afresh). */
const titleMarker = 'Bench report 0000';

/** The files, made once per benchmark in a temporary directory. */
export interface BenchDocuments {
  directory: string;
  pdf: string;
  docx: string;
  summaryPdf: string;
  remove(): void;
}

export async function makeBenchDocuments(): Promise<BenchDocuments> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-bench-documents-'));
  const files = {
    directory,
    pdf: join(directory, `report-${largePages}-pages.pdf`),
    docx: join(directory, `plan-${largePages}-pages.docx`),
    summaryPdf: join(directory, `report-${summaryPages}-pages.pdf`),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
  await writeBenchPdf(files.pdf, largePages, titleMarker);
  await writeBenchDocx(files.docx, largePages, docxPictures);
  await writeBenchPdf(files.summaryPdf, summaryPages, titleMarker);
  return files;
}

/** One extraction in a fresh process. */
export async function extractionRun(path: string): Promise<ExtractionFigures> {
  const { stdout } = await run(process.execPath, [...nodeArguments('bench/extract-child'), path], {
    cwd: root,
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as ExtractionFigures;
}

/** What the token benchmark measured. */
export interface DocumentTokenFigures {
  pages: number;
  documentTokens: number;
  sentTokens: number;
  ratio: number;
  calls: number;
}

/**
 * Summarize the 100-page PDF through the real pipeline and summarize skill (default settings) with a fake
 * model that records each request and answers citing the parts it was given.
 */
export async function documentTokens(path: string): Promise<DocumentTokenFigures> {
  const bytes = readFileSync(path);
  const document = await extractDocument(bytes);
  const documentTokenCount = document.pieces.reduce((total, piece) => total + estimateTokens(piece.text), 0);
  const llm = documentModel({
    summary: (request) => {
      const numbers = piecesIn(request).map((piece) => piece.number);
      if (numbers.length > 0)
        return { text: `- The team reviewed the plan [${numbers[0]}][${numbers.at(-1)}]` };
      const cited = [...userTurn(request).matchAll(/\[(\d+)\]/g)].map((match) => match[1]);
      return { text: `**TL;DR** Steady progress [${cited[0]}][${cited.at(-1)}].` };
    },
  });
  const conversation = {
    platform: 'slack' as const,
    workspace: 'T1',
    channel: 'C1',
    thread: 't1',
    kind: 'group' as const,
  };
  const platform = new RecordingPlatform('slack');
  platform.members.add('U1');
  platform.files = {
    async read(file) {
      return { bytes, name: file.name, link: `https://files.example/${file.id}` };
    },
  };
  const file: SharedFile = { id: 'report', name: 'report.pdf', conversation };
  const pipeline = await startTestPipeline({ platforms: { slack: platform }, llm, skills: createSkills() });
  try {
    await pipeline.queue.enqueue(inboundMessage('summarize', { conversation, files: [file] }));
    await pipeline.drain();
  } finally {
    await pipeline.stop();
  }
  if (!platform.visibleMessages().some((text) => text.includes('Steady progress'))) {
    throw new Error(`the summary did not come back: ${platform.visibleMessages().join(' / ')}`);
  }
  const sentTokens = llm.requests.reduce(
    (total, request) =>
      total +
      estimateTokens(
        `${request.system ?? ''}\n${request.messages.map((message) => String(message.content)).join('\n')}`,
      ),
    0,
  );
  return {
    pages: document.pageCount ?? document.pieces.length,
    documentTokens: documentTokenCount,
    sentTokens,
    ratio: sentTokens / documentTokenCount,
    calls: llm.requests.length,
  };
}

/** The rows of the ack-while-extracting benchmark. */
export const extractingRows = {
  all: 'Deskmate `all`',
  'web-jobs': 'Deskmate `web` + `jobs`',
} as const;
export type ExtractingRow = keyof typeof extractingRows;

/** One row's figures in one run. */
export interface ExtractingFigures {
  quietP99: number;
  extractingP99: number;
  quietMax: number;
  extractingMax: number;
  /** Acks counted: all of the quiet segments', those of the extracting segments due while the file was read. */
  quietAcks: number;
  extractingAcks: number;
  /** Mean time from the file's download to its answer, the window counted (ms). */
  extractingWindowMs: number;
  /** Requests not answered 2xx, both kinds of segment. */
  failed: number;
  /** Help reply times (ms): every quiet segment's probes, and the extracting segments' sent in the window. */
  quietHelpMs: number[];
  extractingHelpMs: number[];
  /**
   * The reply times of each segment's first probe (counted), sent as the segment starts: nothing of the load
   * queued ahead of it yet, only the file in an extracting segment.
   */
  quietFirstHelpMs: number[];
  extractingFirstHelpMs: number[];
  /** Jobs queued just before each counted probe was sent, quiet and extracting. */
  quietQueuedAhead: number[];
  extractingQueuedAhead: number[];
  /** Help probes sent in the extracting segments, in the window or not, and those never answered (all). */
  extractingProbesSent: number;
  helpUnanswered: number;
  /** Each extracting segment's window, from the file's download to its answer (ms), not cut at the load's end. */
  windowsMs: number[];
}

/** Segments of each kind per row and run, alternating. */
const segments = 3;
/**
 * The ack load's rate. Lower than the ack section's 1,000/s: on these two shared cores, with the jobs side
 * and others' work, 1,000/s is close to saturation, and the p99 then measures a queue that grows.
 */
export const extractingRatePerSecond = 250;
/** A segment's length: longer than the file's reading, which is what an extracting segment counts. */
const segmentSeconds = 4;
const connections = 64;

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, problem: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(problem);
    await sleep(20);
  }
}

let shares = 0;

/** Share a fresh copy of the PDF with "summarize", and wait until the jobs side has downloaded it. */
async function shareLargeFile(
  server: ServerProcess,
  fakes: FakePlatforms,
  pdf: string,
): Promise<{ name: string; answeredBefore: number }> {
  shares += 1;
  const name = `bench-report-${shares}.pdf`;
  const answeredBefore = await fakes.answered(`Summary of ${name}`);
  const downloads = await fakes.downloads();
  const shared = await fakes.shareFile({
    path: pdf,
    name,
    mimetype: 'application/pdf',
    marker: titleMarker,
    replacement: `Bench report ${String(shares).padStart(4, '0')}`,
  });
  const request = slackFileShareRequest(fakes, '/slack/events', shared);
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  if (!response.ok) throw new Error(`the file share was answered ${response.status}`);
  await waitFor(
    async () => (await fakes.downloads()) > downloads,
    60_000,
    'the shared file was not downloaded',
  );
  return { name, answeredBefore };
}

/** Measure one row: quiet and extracting segments alternate on the same servers. */
export async function extractingRun(
  row: ExtractingRow,
  redisUrl: string,
  fakes: FakePlatforms,
  pdf: string,
): Promise<ExtractingFigures> {
  const prefix = `bench-documents-${row}-${Date.now()}:`;
  const settings = {
    ...deskmateSettings('slack', fakes),
    // No model: the jobs side's work on the file is its download and extraction, then an outline.
    LLM_PROVIDER: 'offline',
    // The load's mentions all come from one person, over the per-person limit after the first: the jobs
    // side drops them after one check in Redis, so its real work is the file (each shared by someone new).
    // The web side does not look at the limits: the ack path is the same.
    RATE_LIMIT_USER_PER_MINUTE: '1',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
  };
  const servers: ServerProcess[] =
    row === 'all'
      ? [await startDeskmateServer({ ...settings, DESKMATE_ROLE: 'all' })]
      : await Promise.all([
          startDeskmateServer({ ...settings, DESKMATE_ROLE: 'web' }),
          startDeskmateServer({ ...settings, DESKMATE_ROLE: 'jobs' }),
        ]);
  const acknowledging = servers[0];
  const redis = new Redis(redisUrl);
  const depthKey = queueKeys(prefix, 'jobs').depth;
  const drained = () =>
    waitFor(async () => Number(await redis.get(depthKey)) === 0, 120_000, `${row}: help jobs left`);
  const latencies = { quiet: [] as number[], extracting: [] as number[] };
  const windows: number[] = [];
  const help = { quiet: [] as number[], extracting: [] as number[], sent: 0, unanswered: 0 };
  const queuedAhead = { quiet: [] as number[], extracting: [] as number[] };
  const firstHelp = { quiet: [] as number[], extracting: [] as number[] };
  const queueDepth = async () => Number(await redis.get(depthKey));
  const windowsMs: number[] = [];
  let failed = 0;
  const load = () =>
    fixedRate(
      acknowledging.baseUrl,
      slackRequests(fakes, '/slack/events', extractingRatePerSecond * segmentSeconds),
      extractingRatePerSecond,
      connections,
    );
  try {
    // Warm-up, not counted: a burst of mentions, and one file read (PDF.js loads on the first one).
    await load();
    const warm = await shareLargeFile(acknowledging, fakes, pdf);
    await waitFor(
      async () => (await fakes.answered(`Summary of ${warm.name}`)) > warm.answeredBefore,
      180_000,
      `${row}: the warm-up file was not answered`,
    );
    await helpProbes(acknowledging, fakes, queueDepth, 1);
    for (let index = 0; index < segments; index += 1) {
      for (const kind of index % 2 === 0
        ? (['quiet', 'extracting'] as const)
        : (['extracting', 'quiet'] as const)) {
        await drained();
        if (kind === 'quiet') {
          const [result, probes] = await Promise.all([load(), helpProbes(acknowledging, fakes, queueDepth)]);
          latencies.quiet.push(...result.timeline.map(([, latency]) => latency));
          failed += result.failed;
          const answered = replyTimes(probes);
          help.quiet.push(...answered.times);
          help.unanswered += answered.unanswered;
          queuedAhead.quiet.push(...answered.queuedAhead);
          firstHelp.quiet.push(...replyTimes(probes.slice(0, 1)).times);
          continue;
        }
        const shared = await shareLargeFile(acknowledging, fakes, pdf);
        const downloadedAt = performance.now();
        // Watch for the answer while the load runs and after: the acks due before it (or before the load's
        // end) are those of this segment, and so are the help mentions sent before it.
        let answeredAt = Number.POSITIVE_INFINITY;
        const watching = (async () => {
          const deadline = Date.now() + 180_000;
          while (answeredAt === Number.POSITIVE_INFINITY) {
            if ((await fakes.answered(`Summary of ${shared.name}`)) > shared.answeredBefore)
              answeredAt = performance.now();
            else if (Date.now() > deadline) throw new Error(`${row}: ${shared.name} was not answered`);
            else await sleep(25);
          }
        })();
        const probing = helpProbes(acknowledging, fakes, queueDepth);
        // Awaited after the load; until then a failure must not count as unhandled.
        for (const pending of [watching, probing]) pending.catch(() => undefined);
        const result = await load();
        const loadEndedAt = performance.now();
        const until = Math.min(answeredAt, loadEndedAt) - (result.startedAt - performance.timeOrigin);
        latencies.extracting.push(
          ...result.timeline.filter(([due]) => due <= until).map(([, latency]) => latency),
        );
        windows.push(Math.min(answeredAt, loadEndedAt) - downloadedAt);
        failed += result.failed;
        const [probes] = await Promise.all([probing, watching]);
        windowsMs.push(answeredAt - downloadedAt);
        const from = performance.timeOrigin + downloadedAt;
        const to = performance.timeOrigin + answeredAt;
        const inWindow = probes.filter((probe) => probe.sentAt >= from && probe.sentAt <= to);
        const answered = replyTimes(inWindow);
        if (inWindow[0] === probes[0]) firstHelp.extracting.push(...replyTimes(probes.slice(0, 1)).times);
        help.extracting.push(...answered.times);
        queuedAhead.extracting.push(...answered.queuedAhead);
        help.sent += probes.length;
        help.unanswered += replyTimes(probes).unanswered;
      }
    }
  } finally {
    redis.disconnect();
    await Promise.all(servers.map((server) => server.stop()));
  }
  return {
    quietP99: percentileOf(latencies.quiet, 0.99),
    extractingP99: percentileOf(latencies.extracting, 0.99),
    quietMax: Math.max(...latencies.quiet),
    extractingMax: Math.max(...latencies.extracting),
    quietAcks: latencies.quiet.length,
    extractingAcks: latencies.extracting.length,
    extractingWindowMs: windows.reduce((total, each) => total + each, 0) / windows.length,
    failed,
    quietHelpMs: help.quiet,
    extractingHelpMs: help.extracting,
    quietFirstHelpMs: firstHelp.quiet,
    extractingFirstHelpMs: firstHelp.extracting,
    quietQueuedAhead: queuedAhead.quiet,
    extractingQueuedAhead: queuedAhead.extracting,
    extractingProbesSent: help.sent,
    helpUnanswered: help.unanswered,
    windowsMs,
  };
}
