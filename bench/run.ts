/**
 * Benchmarks entry point: `npm run bench` runs them all; `npm run bench -- ack` (or footprint, streaming,
 * summaries, knowledge) runs one. Each comparison runs side by side in one run; figures are medians of BENCH_RUNS runs
 * (default 5) with min–max, printed as Markdown tables that BENCHMARKS.md records.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startRedisServer } from '../test/helpers/redis-server';
import { type AckFigures, ackRedis, ackRun, buildForBenchmarks, startFakePlatforms } from './ack';
import { streamingRun } from './streaming';
import { benchSummaries } from './summaries';

const root = resolve(__dirname, '..');

/** Median, min and max of numbers. */
export function summarize(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** When RSS is read as idle: after V8's memory reducer has run (it starts about 8 s after the start). */
const idleAfterMs = 12_000;

/** Start Deskmate (`npm start`'s tsx entry, or the compiled build the Docker image runs) and measure time to /readyz and idle RSS. */
async function footprint(
  entry: 'tsx' | 'compiled',
  redisUrl?: string,
  jobThread?: 'on' | 'off',
): Promise<{ readyMs: number; startRssMb: number; idleRssMb: number }> {
  const port = 39000 + Math.floor(Math.random() * 1000);
  const started = performance.now();
  const argv = entry === 'tsx' ? ['--import', 'tsx', 'src/main.ts'] : ['dist/src/main.js'];
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DESKMATE_CONSOLE: 'off',
      LOG_LEVEL: 'silent',
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `footprint-${port}:` } : {}),
      ...(jobThread ? { JOB_THREAD: jobThread } : {}),
    },
    stdio: 'ignore',
  });
  let readyMs = Number.NaN;
  for (let tries = 0; tries < 400; tries += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) {
      readyMs = performance.now() - started;
      break;
    }
    await new Promise((done) => setTimeout(done, 10));
  }
  const rssMb = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  };
  await new Promise((done) => setTimeout(done, 1000));
  const startRssMb = await rssMb();
  // Idle: V8 gives back the start's garbage (module loading) some 8 s after the start when nothing runs.
  await new Promise((done) => setTimeout(done, idleAfterMs - 1000));
  const idleRssMb = await rssMb();
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  return { readyMs, startRssMb, idleRssMb };
}

type Stat = { median: number; min: number; max: number };

function show(stat: Stat, digits = 0, unit = ''): string {
  return `${stat.median.toFixed(digits)}${unit} (${stat.min.toFixed(digits)}–${stat.max.toFixed(digits)})`;
}

async function footprintBench(runs: number): Promise<void> {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
  });
  console.log(`\n## Footprint (${runs} runs, no chat adapters configured; median (min–max))`);
  console.log(
    `| entry | start → ready (ms) | RSS 1 s after ready (MB) | idle RSS, ${idleAfterMs / 1000} s after ready (MB) |`,
  );
  console.log('| --- | --- | --- | --- |');
  const redis = await startRedisServer();
  const setups = [
    { entry: 'compiled', label: '`node dist/src/main.js` (Docker image), no Redis' },
    { entry: 'compiled', label: '`node dist/src/main.js` with Redis (BullMQ, job thread)', redis: redis.url },
    {
      entry: 'compiled',
      label: '`node dist/src/main.js` with Redis, `JOB_THREAD=off`',
      redis: redis.url,
      jobThread: 'off',
    },
    { entry: 'tsx', label: '`npm start` (tsx), no Redis' },
  ] as const;
  try {
    for (const setup of setups) {
      const results = [];
      for (let run = 0; run < runs; run += 1) {
        results.push(
          await footprint(
            setup.entry,
            'redis' in setup ? setup.redis : undefined,
            'jobThread' in setup ? setup.jobThread : undefined,
          ),
        );
      }
      const ready = summarize(results.map((result) => result.readyMs));
      const startRss = summarize(results.map((result) => result.startRssMb));
      const idleRss = summarize(results.map((result) => result.idleRssMb));
      console.log(`| ${setup.label} | ${show(ready)} | ${show(startRss, 1)} | ${show(idleRss, 1)} |`);
    }
  } finally {
    await redis.stop();
  }
  console.log('Targets: ready ≤ 1,000 ms, idle RSS ≤ 100 MB.');
}

async function ackBench(runs: number): Promise<void> {
  buildForBenchmarks();
  const redis = await ackRedis();
  const fakes = await startFakePlatforms();
  const results: Array<Record<string, AckFigures>> = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      results.push(await ackRun(redis, fakes));
      process.stderr.write(`ack run ${run + 1}/${runs} done\n`);
    }
  } finally {
    await fakes.stop();
    await redis.stop();
  }
  const sides = Object.keys(results[0]);
  const pick = (side: string, read: (figures: AckFigures) => number) =>
    summarize(results.map((result) => read(result[side])));
  console.log(`\n## Ack path (${runs} runs; median (min–max))`);
  console.log(
    '| server | throughput at saturation (req/s) | CPU per ack, server + Redis (µs) | p50 at 1,000/s (ms) | p99 at 1,000/s (ms) | event-loop delay p99 (ms) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const side of sides) {
    const busy = side.startsWith('slack-busy');
    const saturation = busy ? '—' : show(pick(side, (figures) => figures.saturation.throughput));
    const cpu = busy ? '—' : show(pick(side, (figures) => figures.cpuMicrosPerRequest));
    console.log(
      `| ${side} | ${saturation} | ${cpu} | ${show(
        pick(side, (figures) => figures.fixedRate.p50),
        2,
      )} | ${show(
        pick(side, (figures) => figures.fixedRate.p99),
        1,
      )} | ${show(
        pick(side, (figures) => figures.loopDelayP99Ms),
        1,
      )} |`,
    );
  }
  console.log(
    '`slack-busy-one-thread`: 200 summaries stream at once in the acknowledging thread (JOB_THREAD=off, WORKER_CONCURRENCY=200); `slack-busy`: the same in the job thread (JOB_THREAD=on, the default with Redis); `slack-busy-4`: the same 200 queued at the default WORKER_CONCURRENCY=4.',
  );
  for (const side of sides.filter((each) => each.startsWith('slack-busy'))) {
    console.log(
      `| ${side}: model answers streaming during the fixed-rate run (fewest) | ${show(pick(side, (figures) => figures.streamingDuringRun))} |`,
    );
    console.log(
      `| ${side}: model tokens streamed per second during the run | ${show(pick(side, (figures) => figures.modelTokensPerSecond))} |`,
    );
    console.log(
      `| ${side}: p99 of the requests due after the run's first second (ms) | ${show(
        pick(side, (figures) => figures.p99AfterFirstSecondMs),
        1,
      )} |`,
    );
  }
  // Where an ack's time goes at 1,000/s: inside the server, or waiting for the acknowledging thread to get a
  // core; and who had the two cores meanwhile.
  const shareNames = Object.keys(results[0][sides[0]].cpuShares);
  console.log(`\n### At 1,000 events/s: time inside the server, and the two cores (% of one core)`);
  console.log(`| server | p99 (ms) | p99 inside the server (ms) | ${shareNames.join(' | ')} |`);
  console.log(`| --- | --- | --- | ${shareNames.map(() => '---').join(' | ')} |`);
  for (const side of sides) {
    const shares = shareNames.map((name) => show(pick(side, (figures) => figures.cpuShares[name])));
    console.log(
      `| ${side} | ${show(
        pick(side, (figures) => figures.fixedRate.p99),
        1,
      )} | ${show(
        pick(side, (figures) => figures.insideServerP99Ms),
        1,
      )} | ${shares.join(' | ')} |`,
    );
  }
  for (const platform of ['slack', 'lark']) {
    if (!(platform in results[0]) || !(`${platform}-bare` in results[0])) continue;
    const ratios = summarize(
      results.map(
        (result) => result[platform].saturation.throughput / result[`${platform}-bare`].saturation.throughput,
      ),
    );
    console.log(`| ${platform} throughput / bare SDK | ${show(ratios, 2)} | target ≥ 0.80 |`);
    const capacityRatios = summarize(
      results.map(
        (result) => result[`${platform}-bare`].cpuMicrosPerRequest / result[platform].cpuMicrosPerRequest,
      ),
    );
    console.log(
      `| ${platform} acks per CPU-second (server + Redis) / bare SDK | ${show(capacityRatios, 2)} | target ≥ 0.80 |`,
    );
  }
}

async function summariesBench(): Promise<void> {
  const measurements = await benchSummaries();
  console.log('\n## Summaries (fake model counting tokens, fixed per-call latency)');
  console.log(
    '| messages | language | tokens sent / thread tokens | model calls | wall (ms) | re-summary after 20 new / first |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const each of measurements) {
    console.log(
      `| ${each.messages} | ${each.language} | ${each.ratio.toFixed(3)} | ${each.calls} | ${each.wallMs.toFixed(0)} | ${(each.resummaryFraction * 100).toFixed(1)}% |`,
    );
  }
}

async function streamingBench(runs: number): Promise<void> {
  const results = [];
  for (let run = 0; run < runs; run += 1) results.push(await streamingRun());
  console.log(`\n## Streaming (${runs} runs; model: 300 ms to first token, then a token every 20 ms)`);
  console.log(
    `| model first token → first Slack update | ${show(summarize(results.map((each) => each.firstUpdateMs)), 1, ' ms')} | target ≤ 150 ms |`,
  );
  console.log(
    `| updates per second while streaming | ${show(summarize(results.map((each) => each.updatesPerSecond)), 2)} | Slack stream appends are paced at 500 ms |`,
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
