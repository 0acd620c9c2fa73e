/**
 * Benchmarks entry point: `npm run bench` runs them all; `npm run bench -- ack` (or footprint, jobs,
 * documents, knowledge, personal-data, streaming, summaries) runs one. Each comparison runs side by side in one run; figures are medians of
 * BENCH_RUNS runs (default 5) with min–max, printed as the Markdown tables BENCHMARKS.md records.
 */
import { execFileSync } from 'node:child_process';
import { startRedisServer } from '../test/helpers/redis-server';
import { type AckFigures, ackRun, startAckRedis } from './ack';
import { othersName } from './cpu-shares';
import { documentsBench } from './documents-bench';
import { type FootprintFigures, footprint, footprintSetups, idleAfterMs } from './footprint';
import { drain, type JobFigures, jobSetups } from './jobs';
import { personalDataFigures } from './personal-data';
import { buildForBenchmarks, root, startFakePlatforms } from './processes';
import { streamingRun } from './streaming';
import { benchSummaries } from './summaries';
import { type Stat, show, summarize, table } from './tables';

async function footprintBench(runs: number): Promise<void> {
  // Deskmate as `npm run build` builds it (what the Docker image runs), and the fakes it talks to.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
  });
  buildForBenchmarks();
  const redis = await startRedisServer();
  const fakes = await startFakePlatforms();
  const lines: string[][] = [];
  try {
    // BENCH_FOOTPRINT_ROWS=memory,bare,all,web,jobs,npm-start,npm-dev (any of them): only those rows.
    const rows = process.env.BENCH_FOOTPRINT_ROWS?.split(',');
    const setups = footprintSetups(fakes, redis.url).filter((setup) => !rows || rows.includes(setup.key));
    for (const setup of setups) {
      const results: FootprintFigures[] = [];
      for (let run = 0; run < runs; run += 1) results.push(await footprint(setup.entry, setup.settings));
      const pick = (read: (figures: FootprintFigures) => number) => summarize(results.map(read));
      lines.push([
        setup.label,
        show(pick((figures) => figures.readyMs)),
        show(pick((figures) => figures.readyCpuMs)),
        show(pick((figures) => figures.startRssMb)),
        show(
          pick((figures) => figures.idleRssMb),
          1,
        ),
      ]);
    }
  } finally {
    await fakes.stop();
    await redis.stop();
  }
  console.log(`\n## Footprint (${runs} runs; median (min–max))`);
  table(
    [
      'Deskmate',
      'start → ready (ms)',
      'CPU time to ready (ms)',
      'RSS 1 s after ready (MB)',
      `idle RSS, ${idleAfterMs / 1000} s after ready (MB)`,
    ],
    lines,
  );
}

/** The processes named in CPU shares, Deskmate's first and the rest of the machine last. */
function processNames(shares: Array<Record<string, number>>): string[] {
  const order = [
    'server',
    'web',
    'jobs',
    'jobs 1',
    'jobs 2',
    'Redis',
    'fakes and fake model',
    'load generator',
  ];
  const names = [...new Set(shares.flatMap((each) => Object.keys(each)))];
  const rank = (name: string) =>
    name === othersName ? 99 : order.indexOf(name) >= 0 ? order.indexOf(name) : 50;
  return names.sort((left, right) => rank(left) - rank(right));
}

const rowNames: Record<string, string> = {
  'slack-bare': 'Slack, bare Bolt',
  slack: 'Slack, Deskmate `web`',
  'slack-all-busy': 'Slack, Deskmate `all`, 200 summaries in flight',
  'slack-web-jobs-busy': 'Slack, Deskmate `web` + `jobs`, 200 summaries in flight',
  'lark-bare': 'Lark, bare `adaptDefault`',
  lark: 'Lark, Deskmate `web`',
};

function ackTables(results: Array<Record<string, AckFigures>>): void {
  const rows = Object.keys(results[0]);
  const pick = (row: string, read: (figures: AckFigures) => number | undefined) =>
    summarize(results.map((result) => read(result[row]) ?? Number.NaN));
  const stat = (row: string, read: (figures: AckFigures) => number | undefined, digits = 0) =>
    show(pick(row, read), digits);
  const ratio = (row: string, base: string, read: (figures: AckFigures) => number | undefined) =>
    rows.includes(row) && rows.includes(base)
      ? summarize(
          results.map((result) => (read(result[row]) ?? Number.NaN) / (read(result[base]) ?? Number.NaN)),
        )
      : { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  console.log(`\n## Ack path (${results.length} runs; median (min–max))`);
  table(
    [
      'server',
      'throughput at saturation (req/s)',
      'CPU per ack, server + Redis (µs)',
      'p50 at 1,000/s (ms)',
      'p99 at 1,000/s (ms)',
      'max at 1,000/s (ms)',
      'event-loop delay p99 (ms)',
      'not answered 2xx',
    ],
    rows.map((row) => [
      rowNames[row] ?? row,
      stat(row, (figures) => figures.saturation?.throughput),
      stat(row, (figures) => figures.cpuMicrosPerRequest),
      stat(row, (figures) => figures.fixedRate.p50, 2),
      stat(row, (figures) => figures.fixedRate.p99, 1),
      stat(row, (figures) => figures.fixedRate.max),
      stat(row, (figures) => figures.loopDelayP99Ms, 1),
      stat(row, (figures) => figures.failed),
    ]),
  );
  console.log('\nRatios, per run then the median:');
  const throughput = (figures: AckFigures) => figures.saturation?.throughput;
  const p99 = (figures: AckFigures) => figures.fixedRate.p99;
  const perCpuSecond = (figures: AckFigures) => 1 / (figures.cpuMicrosPerRequest ?? Number.NaN);
  const lines: Array<[string, Stat, string, ((median: number) => boolean)?]> = [
    [
      'Slack throughput, Deskmate / bare Bolt',
      ratio('slack', 'slack-bare', throughput),
      '≥ 1.0',
      (x) => x >= 1,
    ],
    ['Slack acks per CPU-second, Deskmate / bare Bolt', ratio('slack', 'slack-bare', perCpuSecond), '—'],
    ['Lark throughput, Deskmate / bare', ratio('lark', 'lark-bare', throughput), '≥ 0.9', (x) => x >= 0.9],
    ['Lark acks per CPU-second, Deskmate / bare', ratio('lark', 'lark-bare', perCpuSecond), '—'],
    [
      'Slack p99 at 1,000/s, Deskmate / bare Bolt',
      ratio('slack', 'slack-bare', p99),
      '≤ 1.2',
      (x) => x <= 1.2,
    ],
    ['Lark p99 at 1,000/s, Deskmate / bare', ratio('lark', 'lark-bare', p99), '—'],
    [
      'p99, `all` with 200 summaries / quiet `web`',
      ratio('slack-all-busy', 'slack', p99),
      '≤ 2',
      (x) => x <= 2,
    ],
    [
      'p99, `web` + `jobs` with 200 summaries / quiet `web`',
      ratio('slack-web-jobs-busy', 'slack', p99),
      '≤ 2',
      (x) => x <= 2,
    ],
  ];
  table(
    ['ratio', 'median (min–max)', 'target', 'median meets it'],
    lines
      .filter(([, stat]) => !Number.isNaN(stat.median))
      .map(([label, stat, target, meets]) => [
        label,
        show(stat, 2),
        target,
        meets ? (meets(stat.median) ? 'yes' : 'no') : '—',
      ]),
  );
  const busy = rows.filter((row) => results[0][row].model);
  if (busy.length > 0) {
    console.log('\nThe busy rows: what the fake model did during the fixed-rate run, and the slowest ack:');
    table(
      [
        'row',
        'answers streaming (fewest)',
        'model tokens per second',
        'model requests in the run',
        'slowest ack (ms)',
      ],
      busy.map((row) => [
        rowNames[row] ?? row,
        stat(row, (figures) => figures.model?.answersStreaming),
        stat(row, (figures) => figures.model?.tokensPerSecond),
        stat(row, (figures) => figures.model?.requests),
        stat(row, (figures) => figures.fixedRate.max),
      ]),
    );
  }
  console.log('\nAt 1,000 events/s, who had the two cores (% of one core):');
  const names = processNames(rows.map((row) => results[0][row].cpuShares));
  table(
    ['server', 'p99 inside the server (ms)', ...names],
    rows.map((row) => [
      rowNames[row] ?? row,
      stat(row, (figures) => figures.insideServerP99Ms, 1),
      ...names.map((name) => stat(row, (figures) => figures.cpuShares[name])),
    ]),
  );
}

async function ackBench(runs: number): Promise<void> {
  buildForBenchmarks();
  const redis = await startAckRedis();
  const results: Array<Record<string, AckFigures>> = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      // Fresh fakes each run: the threads the busy rows summarize start as seeded, without the last run's
      // answers in them.
      const fakes = await startFakePlatforms();
      try {
        results.push(await ackRun(redis, fakes));
      } finally {
        await fakes.stop();
      }
      process.stderr.write(`ack run ${run + 1}/${runs} done\n`);
    }
  } catch (error) {
    // The runs done so far are still figures: print them, then fail.
    if (results.length > 0) {
      console.log(
        `\n(ack: run ${results.length + 1} of ${runs} failed; the tables below are its first ${results.length})`,
      );
      ackTables(results);
    }
    throw error;
  } finally {
    await redis.stop();
  }
  ackTables(results);
}

async function jobsBench(runs: number): Promise<void> {
  buildForBenchmarks();
  const redis = await startRedisServer();
  const fakes = await startFakePlatforms();
  // Per setup, then per number of replicas.
  const results = jobSetups.map(() => ({ 1: [] as JobFigures[], 2: [] as JobFigures[] }));
  try {
    // One and two replicas alternate (1, 2, then 2, 1), so both see the machine in the same minutes.
    for (let run = 0; run < runs; run += 1) {
      for (const [index, setup] of jobSetups.entries()) {
        for (const replicas of run % 2 === 0 ? [1, 2] : [2, 1]) {
          results[index][replicas as 1 | 2].push(
            await drain(setup, replicas, redis.url, redis.process.pid, fakes),
          );
        }
      }
      process.stderr.write(`jobs run ${run + 1}/${runs} done\n`);
    }
  } finally {
    await fakes.stop();
    await redis.stop();
  }
  console.log(
    `\n## Job throughput (${runs} runs; median (min–max); each \`jobs\` process at WORKER_CONCURRENCY 4)`,
  );
  const names = processNames(results.flatMap((each) => [each[1][0].cpuShares, each[2][0].cpuShares]));
  const lines: string[][] = [];
  for (const [index, setup] of jobSetups.entries()) {
    const byReplicas = results[index];
    for (const replicas of [1, 2] as const) {
      const pick = (read: (figures: JobFigures) => number) => summarize(byReplicas[replicas].map(read));
      lines.push([
        `${setup.label}, ${setup.messages} mentions`,
        String(replicas),
        show(pick((figures) => figures.repliesPerSecond)),
        show(pick((figures) => figures.drainMs)),
        show(
          pick((figures) => figures.cpuMsPerReply),
          1,
        ),
        ...names.map((name) => show(pick((figures) => figures.cpuShares[name] ?? Number.NaN))),
      ]);
    }
    const ratio = summarize(
      byReplicas[2].map((two, run) => two.repliesPerSecond / byReplicas[1][run].repliesPerSecond),
    );
    lines.push([
      `${setup.label}: two replicas / one (per run)`,
      '',
      show(ratio, 2),
      '',
      '',
      ...names.map(() => ''),
    ]);
  }
  const verdicts: string[] = [];
  for (const [index, setup] of jobSetups.entries()) {
    const byReplicas = results[index];
    const ratio = summarize(
      byReplicas[2].map((two, run) => two.repliesPerSecond / byReplicas[1][run].repliesPerSecond),
    ).median;
    const busy = (read: (figures: JobFigures) => number) => summarize(byReplicas[1].map(read)).median;
    const machine = busy((figures) =>
      Object.values(figures.cpuShares).reduce((total, share) => total + share, 0),
    );
    const others = busy((figures) => figures.cpuShares[othersName] ?? Number.NaN);
    verdicts.push(
      ratio >= 1.1
        ? `- ${setup.label}: a second replica adds throughput (${ratio.toFixed(2)}× one)${ratio < 1.8 ? `, less than twice: with one replica the machine was already busy ${machine.toFixed(0)}% of its 200% (others on the machine ${others.toFixed(0)}%)` : ''}.`
        : `- ${setup.label}: a second replica does not add throughput (${ratio.toFixed(2)}× one): with one replica the machine was already busy ${machine.toFixed(0)}% of its 200% (others on the machine ${others.toFixed(0)}%), so a second one only competes for the same two cores.`,
    );
  }
  table(
    [
      'fake Slack',
      '`jobs` processes',
      'help replies per second',
      'start → last reply (ms)',
      'CPU of the jobs processes per reply (ms)',
      ...names.map((name) => `${name} (%)`),
    ],
    lines,
  );
  console.log('');
  for (const verdict of verdicts) console.log(verdict);
}

function personalDataBench(): void {
  const figures = personalDataFigures();
  console.log('\n## Personal data masking (test/fixtures/personal-data; 7 runs of 200 passes)');
  table(
    ['figure', 'value'],
    [
      [
        'planted items found',
        `${figures.found} of ${figures.plantedItems} (${figures.plantedMessages} messages, English and Chinese)`,
      ],
      [
        'false positives',
        `${figures.falsePositives.length} in ${figures.cleanMessages} messages without personal data${figures.falsePositives.length ? `: ${figures.falsePositives.join(', ')}` : ''}`,
      ],
      ['µs per message, median (min–max)', show(summarize(figures.microsPerMessage), 1)],
    ],
  );
}

async function summariesBench(): Promise<void> {
  const measurements = await benchSummaries();
  console.log('\n## Summaries (fake model counting tokens, fixed per-call latency)');
  table(
    [
      'messages',
      'language',
      'tokens sent / thread tokens',
      'model calls',
      'wall (ms)',
      're-summary after 20 new / first',
    ],
    measurements.map((each) => [
      String(each.messages),
      each.language,
      each.ratio.toFixed(3),
      String(each.calls),
      each.wallMs.toFixed(0),
      `${(each.resummaryFraction * 100).toFixed(1)}%`,
    ]),
  );
}

async function streamingBench(runs: number): Promise<void> {
  const results = [];
  for (let run = 0; run < runs; run += 1) results.push(await streamingRun());
  console.log(`\n## Streaming (${runs} runs; model: 300 ms to first token, then a token every 20 ms)`);
  table(
    ['figure', 'median (min–max)'],
    [
      [
        'model first token → first Slack update',
        show(summarize(results.map((each) => each.firstUpdateMs)), 1, ' ms'),
      ],
      [
        'updates per second while streaming',
        show(summarize(results.map((each) => each.updatesPerSecond)), 2),
      ],
    ],
  );
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const selected = process.argv.slice(2);
  const wants = (name: string) => selected.length === 0 || selected.includes(name);
  console.log(`# Deskmate benchmarks, ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
  if (wants('footprint')) await footprintBench(runs);
  if (wants('streaming')) await streamingBench(runs);
  if (wants('summaries')) await summariesBench();
  if (wants('personal-data')) personalDataBench();
  if (wants('documents')) await documentsBench(runs);
  if (wants('jobs')) await jobsBench(runs);
  if (wants('ack')) await ackBench(runs);
  // Loaded only when asked for: it brings LanceDB's native module and PDF.js.
  if (wants('knowledge')) await (require('./knowledge') as typeof import('./knowledge')).knowledgeBench(runs);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
