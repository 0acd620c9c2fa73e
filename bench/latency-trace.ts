/**
 * Where a fixed-rate run's slow acks came from (`BENCH_LATENCY_TRACE=<dir> npm run bench -- ack`). For each run
 * it keeps, on one clock (milliseconds since the epoch):
 * - each request's due time and latency at the load generator;
 * - each request's start and time inside the server (headers read → response handed to the socket);
 * - Redis's round trip, pinged every 2 ms from the load generator's process;
 * - the server's garbage collections.
 * `npx tsx bench/latency-trace.ts <dir>` then lists each stall (requests over 15 ms in a row) with what the
 * server and Redis did meanwhile: a slow Redis shows as slow pings, the server's own pauses as collections,
 * and a server that waited for a core as a request slow outside the server but quick inside it.
 * Tracing costs some CPU, so figures from a traced run are not the benchmark's.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { epochNow, percentileOf } from './load';

/** One fixed-rate run, on the epoch clock. */
export interface LatencyTrace {
  /** `[due, latency ms]` per request, at the load generator. */
  client: Array<[number, number]>;
  /** `[start, ms inside the server]` per request. */
  server: Array<[number, number]>;
  /** `[sent, round trip ms]` per Redis ping. */
  redis: Array<[number, number]>;
  /** `[start, ms]` per garbage collection in the server. */
  collections: Array<[number, number]>;
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
      `${trace.collections.length} collections in the server ` +
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
        `${collections.length} collections in the server, ${totalMs(collections).toFixed(1)} ms`,
    );
  }
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
