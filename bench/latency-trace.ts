/**
 * Where a fixed-rate run's slow acks came from (`BENCH_LATENCY_TRACE=<dir> npm run bench -- ack`). For each run
 * it keeps, on one clock (milliseconds since the epoch):
 * - each request's due time and latency at the load generator;
 * - each request's start and time inside the server (headers read → response handed to the socket);
 * - Redis's round trip, pinged every 2 ms from the load generator's process;
 * - the acknowledging thread's garbage collections;
 * - every 5 ms, each thread's time on a core and waiting for one, for the server, Redis, the fakes and the load
 *   generator (scheduler-probe.ts).
 * `npx tsx bench/latency-trace.ts <dir>` then lists each stall (requests over 15 ms in a row) with what the
 * server and Redis did meanwhile: a slow Redis shows as slow pings; an acknowledging thread without a core as
 * its time waiting for one, with the threads that had the cores meanwhile; its own pauses as collections.
 * Tracing costs some CPU, so figures from a traced run are not the benchmark's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { percentileOf } from './load';
import type { SchedulerSamples } from './scheduler-probe';

/** One fixed-rate run, on the epoch clock. */
export interface LatencyTrace {
  /** `[due, latency ms]` per request, at the load generator. */
  client: Array<[number, number]>;
  /** `[start, ms inside the server]` per request. */
  server: Array<[number, number]>;
  /** `[sent, round trip ms]` per Redis ping. */
  redis: Array<[number, number]>;
  /** `[start, ms]` per garbage collection in the acknowledging thread. */
  collections: Array<[number, number]>;
  /** Each thread's time on a core and waiting for one, every 5 ms (absent in traces from before it). */
  scheduler?: SchedulerSamples;
}

/** Milliseconds since the epoch, to a fraction of a millisecond; comparable across processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Ping Redis every 2 ms until stopped; resolves with each ping's send time and round trip. */
export function startRedisProbe(redisUrl: string): { stop(): Promise<Array<[number, number]>> } {
  const redis = new Redis(redisUrl);
  const pings: Array<[number, number]> = [];
  let probing = true;
  const loop = (async () => {
    while (probing) {
      const sentAt = epochNow();
      await redis.ping();
      pings.push([sentAt, epochNow() - sentAt]);
      await new Promise((done) => setTimeout(done, 2));
    }
  })();
  return {
    async stop() {
      probing = false;
      await loop;
      redis.disconnect();
      return pings;
    },
  };
}

/**
 * Start the scheduler probe (`probeArguments` run it under node) on the processes given by name; the server's
 * is `server`. Resolves once it samples, with `stop()`, which resolves with its samples (undefined where it
 * could not run).
 */
export async function startSchedulerProbe(
  probeArguments: string[],
  processes: Record<string, number | undefined>,
): Promise<{ stop(): Promise<SchedulerSamples | undefined> }> {
  // Named as the report prints them: `loadGenerator` as "load generator".
  const pairs = Object.entries(processes).flatMap(([name, pid]) =>
    pid ? [`${name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`)}=${pid}`] : [],
  );
  const child = spawn(process.execPath, [...probeArguments, ...pairs], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const messages: Array<(message: unknown) => void> = [];
  child.on('message', (message) => messages.shift()?.(message));
  const exited = new Promise<undefined>((done) => child.once('exit', () => done(undefined)));
  const next = () => Promise.race([new Promise((resolveMessage) => messages.push(resolveMessage)), exited]);
  await next();
  return {
    stop() {
      if (child.exitCode !== null) return Promise.resolve(undefined);
      child.send('stop');
      return next() as Promise<SchedulerSamples | undefined>;
    },
  };
}

/** Keep one run's trace as `<directory>/<row>-<time>.json`. */
export function writeLatencyTrace(directory: string, row: string, trace: LatencyTrace): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${row}-${Date.now()}.json`), JSON.stringify(trace));
}

const stallThresholdMs = 15;

/** The milliseconds of `[time, milliseconds]` pairs added up. */
function totalMs(pairs: Array<[number, number]>): number {
  return pairs.reduce((total, [, milliseconds]) => total + milliseconds, 0);
}

/** Each thread's nanoseconds on a core and waiting for one between two samples, by thread index. */
function schedulerDeltas(
  before: SchedulerSamples['samples'][number],
  after: SchedulerSamples['samples'][number],
): Map<number, { running: number; waiting: number }> {
  const start = new Map(before[1].map(([index, running, waiting]) => [index, { running, waiting }]));
  const deltas = new Map<number, { running: number; waiting: number }>();
  for (const [index, running, waiting] of after[1]) {
    const first = start.get(index) ?? { running: 0, waiting: 0 };
    deltas.set(index, { running: running - first.running, waiting: waiting - first.waiting });
  }
  return deltas;
}

/**
 * Who had the cores from `from` to `to` (epoch ms): the acknowledging thread's time on a core and waiting for
 * one, then the five threads or processes that ran longest (the server's threads one by one, the others whole).
 */
function coreReport(scheduler: SchedulerSamples, from: number, to: number): string {
  const before = scheduler.samples.findLast(([at]) => at <= from) ?? scheduler.samples[0];
  const after = scheduler.samples.find(([at]) => at >= to) ?? scheduler.samples.at(-1);
  if (!before || !after || after[0] <= before[0]) return 'no scheduler samples';
  const milliseconds = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
  const running = new Map<string, number>();
  let acknowledging = { running: 0, waiting: 0 };
  for (const [index, delta] of schedulerDeltas(before, after)) {
    const thread = scheduler.threads[index];
    if (thread.process === 'server' && thread.threadId === thread.processId) {
      acknowledging = delta;
      continue;
    }
    const name =
      thread.process === 'server'
        ? `server thread ${thread.threadId} (nice ${thread.niceness})`
        : thread.process;
    running.set(name, (running.get(name) ?? 0) + delta.running);
  }
  const busiest = [...running]
    .sort((left, right) => right[1] - left[1])
    .slice(0, 5)
    .map(([name, nanoseconds]) => `${name} ${milliseconds(nanoseconds)}`);
  return (
    `over ${(after[0] - before[0]).toFixed(0)} ms the acknowledging thread ran ${milliseconds(acknowledging.running)} ms ` +
    `and waited for a core ${milliseconds(acknowledging.waiting)} ms; the others ran (ms): ${busiest.join(', ')}`
  );
}

/** The stalls of one run and what the server and Redis did during each, as text lines. */
export function stallReport(trace: LatencyTrace): string[] {
  const client = [...trace.client].sort((left, right) => left[0] - right[0]);
  const start = client[0]?.[0] ?? 0;
  // `to`: the last slow request's due time; `end`: when the last of them was answered.
  const stalls: Array<{ from: number; to: number; end: number; worst: number }> = [];
  for (const [due, latency] of client) {
    if (latency <= stallThresholdMs) continue;
    const last = stalls.at(-1);
    if (last && due - last.to < 5) {
      last.to = due;
      last.end = Math.max(last.end, due + latency);
      last.worst = Math.max(last.worst, latency);
    } else stalls.push({ from: due, to: due, end: due + latency, worst: latency });
  }
  const p99 = (pairs: Array<[number, number]>) =>
    percentileOf(
      pairs.map(([, milliseconds]) => milliseconds),
      0.99,
    ).toFixed(1);
  const lines = [
    `p99 ${p99(client)} ms; inside the server p99 ${p99(trace.server)} ms; Redis ping p99 ${p99(trace.redis)} ms; ` +
      `${trace.collections.length} collections in the acknowledging thread ` +
      `(${totalMs(trace.collections).toFixed(0)} ms); ` +
      `${stalls.length} stalls`,
  ];
  for (const stall of stalls) {
    const { end } = stall;
    const inside = trace.server.filter(([started]) => started >= stall.from - 2 && started <= end);
    const pings = trace.redis.filter(([sent]) => sent >= stall.from - 5 && sent <= end);
    const longestInside = Math.max(0, ...inside.map(([, milliseconds]) => milliseconds));
    const slowestPing = Math.max(0, ...pings.map(([, milliseconds]) => milliseconds));
    const collections = trace.collections.filter(([started]) => started >= stall.from - 20 && started <= end);
    lines.push(
      `  at ${(stall.from - start).toFixed(0).padStart(5)} ms: worst ${stall.worst.toFixed(1)} ms; ` +
        `longest inside the server ${longestInside.toFixed(1)} ms; slowest Redis ping ${slowestPing.toFixed(1)} ms; ` +
        `${collections.length} collections in the acknowledging thread, ${totalMs(collections).toFixed(1)} ms`,
    );
    if (trace.scheduler) lines.push(`    ${coreReport(trace.scheduler, stall.from - 5, end)}`);
  }
  if (trace.scheduler)
    lines.push(`  whole run: ${coreReport(trace.scheduler, start, Number.POSITIVE_INFINITY)}`);
  return lines;
}

if (require.main === module) {
  const directory = process.argv[2];
  if (!directory) {
    process.stderr.write(
      'usage: npx tsx bench/latency-trace.ts <directory written by BENCH_LATENCY_TRACE>\n',
    );
    process.exit(2);
  }
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const trace = JSON.parse(readFileSync(join(directory, file), 'utf8')) as LatencyTrace;
    process.stdout.write(`${file}: ${stallReport(trace).join('\n')}\n`);
  }
}
