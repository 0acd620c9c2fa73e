/**
 * Ack-path benchmarks (`npm run bench -- ack`). Signed Slack `app_mention` events through Deskmate's route
 * (a `web` process: verify, normalize, accept into the Redis queue) against a bare Bolt app with a no-op
 * listener, and encrypted, signed Lark events through Deskmate's webhook against the SDK's bare
 * `adaptDefault`. Then the same Slack load while 200 summaries stream from the fake model: in one `all`
 * process, and with `web` and `jobs` as two processes. Each server runs in its own process, on a real
 * redis-server; this process generates the load. Figures: throughput and CPU per ack at saturation, p50,
 * p99 and max latency at a fixed 1,000 events/s, and who had the two cores meanwhile.
 *
 * Deskmate and the bare SDK it is compared with run side by side: both are started, and their load is sent
 * in alternating segments (3 at saturation, 3 at the fixed rate), so both see the same minutes of this shared
 * machine. A row's figures are over all of its segments.
 */
import Redis from 'ioredis';
import { queueKeys } from '../src/pipeline/redis-queue-scripts';
import { startRedisServer } from '../test/helpers/redis-server';
import { larkRequests, slackRequests } from './ack-requests';
import { startCpuShares } from './cpu-shares';
import { startRedisProbe, writeLatencyTrace } from './latency-trace';
import { fixedRate, type LoadResult, percentileOf, saturate } from './load';
import {
  deskmateSettings,
  type FakePlatforms,
  type ServerProcess,
  startBareServer,
  startDeskmateServer,
} from './processes';

const saturationRequests = Number(process.env.BENCH_SATURATION_REQUESTS ?? 6000);
const connections = 32;
const fixedRatePerSecond = 1000;
/**
 * Connections at the fixed rate, all opened first. Opened on demand instead, a momentary slowdown made the
 * generator open dozens more at once, and a busy Node server takes new connections from its accept queue
 * slowly (one per event-loop turn), which the p99 then measured instead of the ack.
 */
const fixedRateConnections = 64;
const fixedRateRequests = Number(process.env.BENCH_FIXED_RATE_REQUESTS ?? 3000);
/** Segments a row's load is sent in, alternating with the other rows of its group. */
const segments = 3;
/** Summaries in flight in the busy rows, each of a 100-message thread, all running at once. */
const summariesInFlight = 200;

/** One row's figures in one run. */
export interface AckFigures {
  /** Saturation (absent in the busy rows). */
  saturation?: { throughput: number };
  /** CPU time per acknowledged request at saturation (server process + Redis), in microseconds. */
  cpuMicrosPerRequest?: number;
  fixedRate: LoadResult;
  /** The acknowledging process's event-loop delay p99 during the fixed-rate run (ms). */
  loopDelayP99Ms: number;
  /** p99 of the time inside the acknowledging process: request headers read → response written (ms). */
  insideServerP99Ms: number;
  /** Share of one core during the fixed-rate run (%), by process. */
  cpuShares: Record<string, number>;
  /** Requests not answered 2xx, at saturation and at the fixed rate (Deskmate answers 503 when Redis is slow). */
  failed: number;
  /** Busy rows: what the fake model did during the fixed-rate run. */
  model?: {
    /** Answers streaming at the start and at the end of the run (the fewer of the two). */
    answersStreaming: number;
    /** Tokens streamed per second, all answers together. */
    tokensPerSecond: number;
    /** Requests received in the run (the summaries were all asked before it). */
    requests: number;
  };
}

/** The redis-server of the ack benchmarks. */
export type AckRedis = Awaited<ReturnType<typeof startRedisServer>>;

/** Start the redis-server the ack benchmarks use (nothing saved). */
export const startAckRedis = (): Promise<AckRedis> => startRedisServer();

/** Redis's own CPU time so far (`INFO cpu`), in microseconds; the store is emptied first with `flush`. */
async function redisCpuMicros(url: string, flush = false): Promise<number> {
  const redis = new Redis(url);
  try {
    if (flush) await redis.flushall();
    const info = await redis.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
  } finally {
    redis.disconnect();
  }
}

/** The servers of one row: the process that acknowledges, and a separate `jobs` process if any. */
interface RowServers {
  acknowledging: ServerProcess;
  jobs?: ServerProcess;
}

/** What a row runs. */
interface Row {
  platform: 'slack' | 'lark';
  start(redisUrl: string, prefix: string): Promise<RowServers>;
  /** Measure throughput at saturation (quiet rows), or load 200 summaries first (busy rows). */
  busy: boolean;
}

/** The rows of one run, in groups measured side by side. */
function rowGroups(fakes: FakePlatforms): Array<Record<string, Row>> {
  const deskmate =
    (platform: 'slack' | 'lark', settings: Record<string, string>) => (redisUrl: string, prefix: string) =>
      startDeskmateServer({
        ...deskmateSettings(platform, fakes),
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        ...settings,
      });
  const alone = (start: () => Promise<ServerProcess>) => async () => ({ acknowledging: await start() });
  const web = (platform: 'slack' | 'lark') => async (redisUrl: string, prefix: string) => ({
    acknowledging: await deskmate(platform, { DESKMATE_ROLE: 'web' })(redisUrl, prefix),
  });
  const busyJobs = { WORKER_CONCURRENCY: String(summariesInFlight) };
  return [
    {
      'slack-bare': { platform: 'slack', busy: false, start: alone(() => startBareServer('slack', fakes)) },
      slack: { platform: 'slack', busy: false, start: web('slack') },
    },
    {
      'slack-all-busy': {
        platform: 'slack',
        busy: true,
        start: async (redisUrl, prefix) => ({
          acknowledging: await deskmate('slack', { DESKMATE_ROLE: 'all', ...busyJobs })(redisUrl, prefix),
        }),
      },
    },
    {
      'slack-web-jobs-busy': {
        platform: 'slack',
        busy: true,
        start: async (redisUrl, prefix) => {
          const [acknowledging, jobs] = await Promise.all([
            deskmate('slack', { DESKMATE_ROLE: 'web' })(redisUrl, prefix),
            deskmate('slack', { DESKMATE_ROLE: 'jobs', ...busyJobs })(redisUrl, prefix),
          ]);
          return { acknowledging, jobs };
        },
      },
    },
    {
      'lark-bare': { platform: 'lark', busy: false, start: alone(() => startBareServer('lark', fakes)) },
      lark: { platform: 'lark', busy: false, start: web('lark') },
    },
  ];
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** Wait until `check` holds, or fail with `problem` after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, problem: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(problem);
    await sleep(50);
  }
}

/** A row being measured: its servers, and its figures as its segments add up. */
interface Subject {
  row: string;
  spec: Row;
  servers: RowServers;
  requests(count: number): ReturnType<typeof slackRequests>;
  processes: Record<string, number | undefined>;
  saturation: { ok: number; sent: number; failed: number; elapsedMs: number; cpuMicros: number };
  fixed: {
    latencies: number[];
    client: Array<[number, number]>;
    failed: number;
    sent: number;
    elapsedMs: number;
  };
  shares: Array<Record<string, number>>;
  model: { answers: number; tokens: number; requests: number; seconds: number };
}

async function startSubject(row: string, spec: Row, redis: AckRedis, fakes: FakePlatforms): Promise<Subject> {
  const prefix = `bench-${row}-${Date.now()}:`;
  const servers = await spec.start(redis.url, prefix);
  const path = spec.platform === 'slack' ? '/slack/events' : '/lark/events';
  const { acknowledging, jobs } = servers;
  try {
    // Warm up (JIT, connections) with a short burst that is not counted.
    await saturate(
      acknowledging.baseUrl,
      spec.platform === 'slack' ? slackRequests(fakes, path, 500) : larkRequests(fakes, path, 500),
      8,
    );
    if (spec.busy) {
      // The warm-up's jobs are answered first; then 200 people ask for a summary of a thread each, and the
      // run starts once every one streams from the model.
      const depthKey = queueKeys(prefix, 'jobs').depth;
      const client = new Redis(redis.url);
      await waitFor(
        async () => Number(await client.get(depthKey)) === 0,
        120_000,
        `${row}: warm-up jobs left`,
      );
      client.disconnect();
      await saturate(
        acknowledging.baseUrl,
        slackRequests(fakes, path, summariesInFlight, fakes.summaryRoots),
        8,
      );
      await waitFor(
        async () => (await fakes.model()).answers >= summariesInFlight,
        180_000,
        `${row}: the summaries did not all stream`,
      );
    }
  } catch (error) {
    // Not yet a subject: nothing else would stop its servers.
    await Promise.all([acknowledging.stop(), jobs?.stop()]);
    throw error;
  }
  return {
    row,
    spec,
    servers,
    requests: (count) =>
      spec.platform === 'slack' ? slackRequests(fakes, path, count) : larkRequests(fakes, path, count),
    processes: {
      [jobs ? 'web' : 'server']: acknowledging.pid,
      ...(jobs ? { jobs: jobs.pid } : {}),
      Redis: redis.process.pid,
      'fakes and fake model': fakes.pid,
      'load generator': process.pid,
    },
    saturation: { ok: 0, sent: 0, failed: 0, elapsedMs: 0, cpuMicros: 0 },
    fixed: { latencies: [], client: [], failed: 0, sent: 0, elapsedMs: 0 },
    shares: [],
    model: { answers: Number.POSITIVE_INFINITY, tokens: 0, requests: 0, seconds: 0 },
  };
}

async function saturationSegment(subject: Subject, redis: AckRedis): Promise<void> {
  const server = subject.servers.acknowledging;
  const before = (await server.cpuMicros()) + (await redisCpuMicros(redis.url));
  const result = await saturate(server.baseUrl, subject.requests(saturationRequests / segments), connections);
  const after = (await server.cpuMicros()) + (await redisCpuMicros(redis.url));
  const totals = subject.saturation;
  totals.ok += result.ok;
  totals.sent += result.sent;
  totals.failed += result.failed;
  totals.elapsedMs += (result.sent / result.throughput) * 1000;
  totals.cpuMicros += after - before;
}

async function fixedRateSegment(subject: Subject, fakes: FakePlatforms): Promise<void> {
  const server = subject.servers.acknowledging;
  await server.resume();
  const modelBefore = await fakes.model();
  const started = performance.now();
  const cpu = startCpuShares(subject.processes);
  const { timeline, startedAt, ...rate } = await fixedRate(
    server.baseUrl,
    subject.requests(fixedRateRequests / segments),
    fixedRatePerSecond,
    fixedRateConnections,
  );
  subject.shares.push(cpu.stop());
  const seconds = (performance.now() - started) / 1000;
  const modelAfter = await fakes.model();
  await server.pause();
  const totals = subject.fixed;
  totals.latencies.push(...timeline.map(([, latency]) => latency));
  totals.client.push(...timeline.map(([due, latency]): [number, number] => [startedAt + due, latency]));
  totals.failed += rate.failed;
  totals.sent += rate.sent;
  totals.elapsedMs += seconds * 1000;
  const model = subject.model;
  model.answers = Math.min(model.answers, modelBefore.answers, modelAfter.answers);
  model.tokens += modelAfter.tokens - modelBefore.tokens;
  model.requests += modelAfter.requests - modelBefore.requests;
  model.seconds += seconds;
}

/** The mean of each process's share over the segments. */
function meanShares(shares: Array<Record<string, number>>): Record<string, number> {
  const names = Object.keys(shares[0] ?? {});
  return Object.fromEntries(
    names.map((name) => [name, shares.reduce((total, each) => total + each[name], 0) / shares.length]),
  );
}

async function figuresOf(subject: Subject, probe?: ReturnType<typeof startRedisProbe>): Promise<AckFigures> {
  const stats = await subject.servers.acknowledging.stats();
  const traceDirectory = process.env.BENCH_LATENCY_TRACE;
  if (traceDirectory) {
    writeLatencyTrace(traceDirectory, subject.row, {
      client: subject.fixed.client,
      server: stats.insideServerTrace ?? [],
      collections: stats.collectionTrace ?? [],
      redis: (await probe?.stop()) ?? [],
    });
  }
  const { saturation, fixed, model } = subject;
  const figures: AckFigures = {
    failed: saturation.failed + fixed.failed,
    fixedRate: {
      sent: fixed.sent,
      ok: fixed.sent - fixed.failed,
      failed: fixed.failed,
      throughput: (fixed.sent / fixed.elapsedMs) * 1000,
      p50: percentileOf(fixed.latencies, 0.5),
      p99: percentileOf(fixed.latencies, 0.99),
      max: Math.max(...fixed.latencies),
    },
    loopDelayP99Ms: stats.loopDelayP99Ms,
    insideServerP99Ms: stats.insideServerP99Ms,
    cpuShares: meanShares(subject.shares),
  };
  if (subject.spec.busy) {
    figures.model = {
      answersStreaming: model.answers,
      tokensPerSecond: model.tokens / model.seconds,
      requests: model.requests,
    };
  } else {
    figures.saturation = { throughput: (saturation.sent / saturation.elapsedMs) * 1000 };
    figures.cpuMicrosPerRequest = saturation.cpuMicros / saturation.ok;
  }
  return figures;
}

/** Measure one group of rows side by side: their segments alternate. */
async function measureGroup(group: Record<string, Row>, redis: AckRedis, fakes: FakePlatforms) {
  await redisCpuMicros(redis.url, true);
  const subjects: Subject[] = [];
  try {
    for (const [row, spec] of Object.entries(group))
      subjects.push(await startSubject(row, spec, redis, fakes));
    for (let segment = 0; segment < segments; segment += 1) {
      for (const subject of subjects) if (!subject.spec.busy) await saturationSegment(subject, redis);
    }
    for (const subject of subjects) {
      await subject.servers.acknowledging.reset();
      await subject.servers.acknowledging.pause();
    }
    // BENCH_LATENCY_TRACE=<dir> keeps where each slow ack came from (see latency-trace.ts).
    const probe = process.env.BENCH_LATENCY_TRACE ? startRedisProbe(redis.url) : undefined;
    for (let segment = 0; segment < segments; segment += 1) {
      for (const subject of subjects) await fixedRateSegment(subject, fakes);
    }
    const figures: Record<string, AckFigures> = {};
    for (const subject of subjects) figures[subject.row] = await figuresOf(subject, probe);
    return figures;
  } finally {
    for (const { servers } of subjects)
      await Promise.all([servers.acknowledging.stop(), servers.jobs?.stop()]);
  }
}

/** Every row of one run; BENCH_ACK_ROWS=slack-bare,slack runs only those (while profiling one path). */
export async function ackRun(redis: AckRedis, fakes: FakePlatforms): Promise<Record<string, AckFigures>> {
  const only = process.env.BENCH_ACK_ROWS?.split(',');
  const figures: Record<string, AckFigures> = {};
  for (const group of rowGroups(fakes)) {
    const chosen = Object.fromEntries(Object.entries(group).filter(([row]) => !only || only.includes(row)));
    if (Object.keys(chosen).length > 0) Object.assign(figures, await measureGroup(chosen, redis, fakes));
    if (process.env.BENCH_DEBUG) process.stderr.write(`${Object.keys(chosen).join(', ')} done\n`);
  }
  return figures;
}
