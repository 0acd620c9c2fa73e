/**
 * Ack-path benchmarks (`npm run bench -- ack`): signed Slack `app_mention` events through Deskmate's route
 * (verify, dedupe, enqueue into BullMQ on a real redis-server) against a bare Bolt app with a no-op listener,
 * and encrypted, signed Lark events through Deskmate's webhook against the SDK's bare `adaptDefault`. Each
 * server runs in its own process; this process generates the load. Figures: throughput at saturation, p50/p99
 * ack latency at a fixed 1,000 events/s, and the same fixed-rate run while 200 summaries stream.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { startRedisServer } from '../test/helpers/redis-server';
import { larkRequests, slackRequests } from './ack-requests';
import type { AckServerConfig, AckServerMode, AckServerReady } from './ack-server';
import { ackRunSubjects, startCpuShares } from './cpu-shares';
import type { FakePlatformFacts } from './fake-platforms';
import { startRedisProbe, startSchedulerProbe, writeLatencyTrace } from './latency-trace';
import { fixedRate, type LoadResult, percentileOf, saturate } from './load';

const root = resolve(__dirname, '..');
const buildDirectory = 'dist/bench-build';

/**
 * Compile the project (sources, fakes, benchmarks) to JavaScript once, so servers run as the Docker image
 * runs Deskmate: plain `node`, no TypeScript loader in the process (BENCH_TSX=1 runs them under tsx).
 */
export function buildForBenchmarks(): void {
  if (process.env.BENCH_TSX) return;
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', buildDirectory],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

/** Node arguments that run one of the benchmark's own scripts (`bench/<name>.ts`), compiled or under tsx. */
function scriptArguments(name: string): string[] {
  return process.env.BENCH_TSX
    ? ['--import', 'tsx', `bench/${name}.ts`]
    : [`${buildDirectory}/bench/${name}.js`];
}

/**
 * With BENCH_PIN=1 (and two or more cores), pin a process to one core with `taskset`: the load generator
 * and the platform fakes on core 0, each server (and the Redis it uses) on core 1. On a 2-core machine the
 * pinned load generator cannot saturate a server, so this is off by default; the CPU-per-ack column is the
 * figure that does not depend on the load generator. Returns whether it pinned.
 */
export function pinToCore(pid: number, core: 0 | 1): boolean {
  if (!process.env.BENCH_PIN || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const saturationRequests = Number(process.env.BENCH_SATURATION_REQUESTS ?? 6000);
const connections = 32;
const fixedRatePerSecond = 1000;
/**
 * Connections at the fixed rate, all opened first. Opened on demand instead, a momentary slowdown made the
 * generator open dozens more at once, and a busy Node server takes new connections from its accept queue
 * slowly (measured here: one per event-loop turn), which the p99 then measured instead of the ack.
 */
const fixedRateConnections = 64;
const fixedRateRequests = Number(process.env.BENCH_FIXED_RATE_REQUESTS ?? 3000);

/** A running ack server process. */
interface AckServer {
  ready: AckServerReady;
  baseUrl: string;
  child: ChildProcess;
  ask<T>(type: string, answer: string): Promise<T>;
  stop(): Promise<void>;
}

/** The platform fakes (their own process, like a remote platform) and what requests to them need. */
export interface FakePlatforms extends FakePlatformFacts {
  /** The fakes' process. */
  pid: number | undefined;
  /** Model answers streaming now, and the tokens the model has streamed so far. */
  streaming(): Promise<{ answers: number; tokens: number }>;
  stop(): Promise<void>;
}

/** Start the fakes (with 200 long threads seeded) in their own process, on the load generator's core. */
export async function startFakePlatforms(): Promise<FakePlatforms> {
  const child = spawn(process.execPath, scriptArguments('fake-platforms'), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const facts = await new Promise<FakePlatformFacts>((resolveFacts, reject) => {
    child.once('exit', (code) => reject(new Error(`fake platforms exited with ${code}`)));
    child.on('message', (message: { type: string; facts: FakePlatformFacts }) => {
      if (message.type === 'ready') resolveFacts(message.facts);
    });
  });
  child.removeAllListeners('exit');
  if (child.pid) pinToCore(child.pid, 0);
  return {
    ...facts,
    pid: child.pid,
    streaming: () =>
      new Promise((resolveCount) => {
        const listener = (message: { type: string; count: number; tokens: number }) => {
          if (message.type !== 'streaming') return;
          child.off('message', listener);
          resolveCount({ answers: message.count, tokens: message.tokens });
        };
        child.on('message', listener);
        child.send({ type: 'streaming' });
      }),
    async stop() {
      child.kill('SIGKILL');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/** How the busy server runs its jobs. */
interface BusyOptions {
  /** WORKER_CONCURRENCY. */
  concurrency: number;
  /** JOB_THREAD. */
  jobThread: boolean;
}

function serverConfig(mode: AckServerMode, fakes: FakePlatforms, busy?: BusyOptions): AckServerConfig {
  if (mode.startsWith('slack')) {
    return {
      apiUrl: fakes.slack.apiUrl,
      botToken: fakes.slack.botToken,
      signingSecret: fakes.slack.signingSecret,
      teamId: fakes.slack.teamId,
      ...(mode === 'slack-busy'
        ? {
            summaryRoots: fakes.summaryRoots,
            modelUrl: fakes.modelUrl,
            workerConcurrency: busy?.concurrency,
            jobThread: busy?.jobThread,
          }
        : {}),
    };
  }
  return {
    apiUrl: fakes.lark.url,
    appId: fakes.lark.appId,
    appSecret: fakes.lark.appSecret,
    encryptKey: fakes.lark.encryptKey,
    verificationToken: fakes.lark.verificationToken,
  };
}

async function startServer(
  mode: AckServerMode,
  redisUrl: string,
  fakes: FakePlatforms,
  busy?: BusyOptions,
): Promise<AckServer> {
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each server (open it in Chrome DevTools).
  const profileDirectory = process.env.BENCH_CPU_PROFILE;
  const profile = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  const child = spawn(process.execPath, [...profile, ...scriptArguments('ack-server'), mode, redisUrl], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      BENCH_SERVER_CONFIG: JSON.stringify(serverConfig(mode, fakes, busy)),
    },
  });
  const ready = await new Promise<AckServerReady>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (message: AckServerReady) => {
      if (message.type === 'ready') resolveReady(message);
    });
  });
  child.removeAllListeners('exit');
  if (child.pid) pinToCore(child.pid, 1);
  return {
    ready,
    baseUrl: `http://127.0.0.1:${ready.port}`,
    child,
    ask<T>(type: string, answer: string) {
      return new Promise<T>((resolveAnswer) => {
        const listener = (message: { type: string }) => {
          if (message.type !== answer) return;
          child.off('message', listener);
          resolveAnswer(message as T);
        };
        child.on('message', listener);
        child.send({ type });
      });
    },
    async stop() {
      // A profiled server exits on SIGINT so the profile is written.
      child.kill(profileDirectory ? 'SIGINT' : 'SIGKILL');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/** One side's figures in one run. */
export interface AckFigures {
  saturation: LoadResult;
  /** CPU time per acknowledged request at saturation (server process + Redis), in microseconds. */
  cpuMicrosPerRequest: number;
  /** Model answers streaming at the start and at the end of the fixed-rate run (the fewer of the two). */
  streamingDuringRun: number;
  /** Tokens the fake model streamed per second during the fixed-rate run, all answers together. */
  modelTokensPerSecond: number;
  /** The fixed-rate p99 of the requests due after the run's first second. */
  p99AfterFirstSecondMs: number;
  fixedRate: LoadResult;
  loopDelayP99Ms: number;
  /** p99 of the time inside the server at the fixed rate: request headers read → response written (ms). */
  insideServerP99Ms: number;
  /** Share of one core during the fixed-rate run (%), by who used it (see `ackRunSubjects`). */
  cpuShares: Record<string, number>;
}

/** What the server process measured itself. */
interface ServerStats {
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  insideServerP99Ms: number;
  /** With BENCH_LATENCY_TRACE: `[start, ms inside the server]` per request, on the epoch clock. */
  insideServerTrace?: Array<[number, number]>;
  /** With BENCH_LATENCY_TRACE: `[start, ms]` per garbage collection in the acknowledging thread. */
  collectionTrace?: Array<[number, number]>;
}

/**
 * CPU time used so far by the server process and by Redis (`INFO cpu`), in microseconds: what one ack costs,
 * whatever the load generator on this small machine can deliver.
 */
async function cpuMicros(server: AckServer, redisUrl: string): Promise<number> {
  const { cpuMicros: serverMicros } = await server.ask<{ cpuMicros: number }>('cpu', 'cpu');
  const redis = new Redis(redisUrl);
  try {
    const info = await redis.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    const redisMicros = (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
    if (process.env.BENCH_DEBUG)
      process.stderr.write(`cpu: server ${serverMicros} µs, redis ${redisMicros} µs\n`);
    return serverMicros + redisMicros;
  } finally {
    redis.disconnect();
  }
}

/** Wait until `count` model answers are streaming. */
async function waitForStreaming(fakes: FakePlatforms, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fakes.streaming()).answers < count) {
    if (Date.now() > deadline) throw new Error(`the busy server did not start streaming ${count} replies`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function measure(
  mode: AckServerMode,
  redis: AckRedis,
  fakes: FakePlatforms,
  options: { saturation: boolean; warmUpMs?: number; busy?: BusyOptions },
): Promise<AckFigures> {
  const builder = mode.startsWith('slack') ? slackRequests : larkRequests;
  const makeRequests = (ready: AckServerReady, count: number) => builder(fakes, ready.path, count);
  const redisUrl = redis.url;
  const server = await startServer(mode, redisUrl, fakes, options.busy);
  if (process.env.BENCH_DEBUG) process.stderr.write(`${mode} ready\n`);
  const processIds = {
    server: server.child.pid,
    redis: redis.process.pid,
    fakes: fakes.pid,
    loadGenerator: process.pid,
  };
  // BENCH_LATENCY_TRACE=<dir> keeps where each slow ack came from (see latency-trace.ts).
  const traceDirectory = process.env.BENCH_LATENCY_TRACE;
  const scheduler = traceDirectory
    ? await startSchedulerProbe(scriptArguments('scheduler-probe'), processIds)
    : undefined;
  try {
    // Warm up (JIT, connections, caches) with a short burst that is not counted.
    await saturate(server.baseUrl, makeRequests(server.ready, 500), 8);
    if (options.warmUpMs) await new Promise((done) => setTimeout(done, options.warmUpMs));
    // The busy runs start once every summary allowed to run at once is streaming.
    if (options.busy) await waitForStreaming(fakes, options.busy.concurrency, 60_000);
    const cpuBefore = await cpuMicros(server, redisUrl);
    const saturation = options.saturation
      ? await saturate(server.baseUrl, makeRequests(server.ready, saturationRequests), connections)
      : undefined;
    const cpuAfter = await cpuMicros(server, redisUrl);
    const cpuMicrosPerRequest = saturation ? (cpuAfter - cpuBefore) / saturation.ok : Number.NaN;
    if (process.env.BENCH_DEBUG) process.stderr.write(`${mode} saturated\n`);
    await server.ask('reset', 'reset-done');
    const streamingBefore = await fakes.streaming();
    const runStarted = performance.now();
    const requests = makeRequests(server.ready, fixedRateRequests);
    const cpu = startCpuShares(ackRunSubjects(processIds));
    const probe = traceDirectory ? startRedisProbe(redisUrl) : undefined;
    const { timeline, startedAt, ...rate } = await fixedRate(
      server.baseUrl,
      requests,
      fixedRatePerSecond,
      fixedRateConnections,
    );
    const redisPings = await probe?.stop();
    const cpuShares = cpu.stop();
    const streamingAfter = await fakes.streaming();
    const streamingDuringRun = Math.min(streamingBefore.answers, streamingAfter.answers);
    // The start of a busy run is when the summaries' first tokens come and their first updates are posted.
    const latenciesAfterFirstSecond = timeline.filter(([due]) => due >= 1000).map(([, latency]) => latency);
    const modelTokensPerSecond =
      ((streamingAfter.tokens - streamingBefore.tokens) / (performance.now() - runStarted)) * 1000;
    const stats = await server.ask<ServerStats>('stats', 'stats');
    if (traceDirectory) {
      writeLatencyTrace(traceDirectory, mode, {
        client: timeline.map(([due, latency]) => [startedAt + due, latency]),
        server: stats.insideServerTrace ?? [],
        collections: stats.collectionTrace ?? [],
        redis: redisPings ?? [],
        scheduler: await scheduler?.stop(),
      });
    }
    const failed = (saturation?.failed ?? 0) + rate.failed;
    if (failed > 0) process.stderr.write(`${mode}: ${failed} requests were not answered 2xx\n`);
    return {
      saturation: saturation ?? rate,
      cpuMicrosPerRequest,
      streamingDuringRun,
      modelTokensPerSecond,
      p99AfterFirstSecondMs: percentileOf(latenciesAfterFirstSecond, 0.99),
      fixedRate: rate,
      loopDelayP99Ms: stats.loopDelayP99Ms,
      insideServerP99Ms: stats.insideServerP99Ms,
      cpuShares,
    };
  } finally {
    await server.stop();
  }
}

/** Every ack figure of one run: Slack (bare, Deskmate, Deskmate busy) and Lark (bare, Deskmate). */
export async function ackRun(redis: AckRedis, fakes: FakePlatforms): Promise<Record<string, AckFigures>> {
  const runs: Record<string, () => Promise<AckFigures>> = {
    'slack-bare': () => measure('slack-bare', redis, fakes, { saturation: true }),
    slack: () => measure('slack', redis, fakes, { saturation: true }),
    // 200 summaries streaming at once: in the acknowledging thread (JOB_THREAD=off), then in the job thread
    // (the default with Redis), then the same 200 queued at the default WORKER_CONCURRENCY=4.
    'slack-busy-one-thread': () =>
      measure('slack-busy', redis, fakes, {
        saturation: false,
        warmUpMs: 500,
        busy: { concurrency: 200, jobThread: false },
      }),
    'slack-busy': () =>
      measure('slack-busy', redis, fakes, {
        saturation: false,
        warmUpMs: 500,
        busy: { concurrency: 200, jobThread: true },
      }),
    'slack-busy-4': () =>
      measure('slack-busy', redis, fakes, {
        saturation: false,
        warmUpMs: 500,
        busy: { concurrency: 4, jobThread: true },
      }),
    'lark-bare': () => measure('lark-bare', redis, fakes, { saturation: true }),
    lark: () => measure('lark', redis, fakes, { saturation: true }),
  };
  // BENCH_ACK_ROWS=slack,lark runs only those rows (while profiling one path).
  const only = process.env.BENCH_ACK_ROWS?.split(',');
  const figures: Record<string, AckFigures> = {};
  for (const [row, run] of Object.entries(runs)) if (!only || only.includes(row)) figures[row] = await run();
  return figures;
}

/** The Redis the ack benchmarks use. */
export type AckRedis = Awaited<ReturnType<typeof ackRedis>>;

/** Start a redis-server for the ack benchmarks, on the servers' core; this process goes to the other. */
export async function ackRedis() {
  const redis = await startRedisServer();
  if (redis.process.pid) pinToCore(redis.process.pid, 1);
  pinToCore(process.pid, 0);
  return redis;
}
