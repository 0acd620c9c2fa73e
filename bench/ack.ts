/**
 * Ack-path benchmarks (`npm run bench -- ack`). Signed Slack `app_mention` events through Deskmate's route
 * (a `web` process: verify, normalize, accept into the Redis queue) against a bare Bolt app with a no-op
 * listener, and encrypted, signed Lark events through Deskmate's webhook against the SDK's bare
 * `adaptDefault`. Then the same Slack load while 200 summaries stream from the fake model: in one `all`
 * process, and with `web` and `jobs` as two processes. Each server runs in its own process, on a real
 * redis-server; this process generates the load. Figures: throughput and CPU per ack at saturation, p50,
 * p99 and max latency at a fixed 1,000 events/s, and who had the two cores meanwhile.
 */
import Redis from 'ioredis';
import { queueKeys } from '../src/pipeline/redis-queue-scripts';
import { startRedisServer } from '../test/helpers/redis-server';
import { larkRequests, slackRequests } from './ack-requests';
import { startCpuShares } from './cpu-shares';
import { startRedisProbe, writeLatencyTrace } from './latency-trace';
import { fixedRate, type LoadResult, type PreparedRequest, saturate } from './load';
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
/** Summaries in flight in the busy rows, each of a 100-message thread, all running at once. */
const summariesInFlight = 200;

/** One row's figures in one run. */
export interface AckFigures {
  /** Saturation (absent in the busy rows). */
  saturation?: LoadResult;
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

/** Deskmate's settings for a row: the platform against the fakes, Redis, a role, and more. */
function deskmate(fakes: FakePlatforms, platform: 'slack' | 'lark', redisUrl: string, prefix: string) {
  return (settings: Record<string, string>) =>
    startDeskmateServer({
      ...deskmateSettings(platform, fakes),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      ...settings,
    });
}

/** The rows of one run, in order. */
function rows(fakes: FakePlatforms): Record<string, Row> {
  const busyJobs = { WORKER_CONCURRENCY: String(summariesInFlight) };
  return {
    'slack-bare': {
      platform: 'slack',
      busy: false,
      start: async () => ({ acknowledging: await startBareServer('slack', fakes) }),
    },
    slack: {
      platform: 'slack',
      busy: false,
      start: async (url, prefix) => ({
        acknowledging: await deskmate(fakes, 'slack', url, prefix)({ DESKMATE_ROLE: 'web' }),
      }),
    },
    'slack-all-busy': {
      platform: 'slack',
      busy: true,
      start: async (url, prefix) => ({
        acknowledging: await deskmate(fakes, 'slack', url, prefix)({ DESKMATE_ROLE: 'all', ...busyJobs }),
      }),
    },
    'slack-web-jobs-busy': {
      platform: 'slack',
      busy: true,
      start: async (url, prefix) => {
        const start = deskmate(fakes, 'slack', url, prefix);
        const [acknowledging, jobs] = await Promise.all([
          start({ DESKMATE_ROLE: 'web' }),
          start({ DESKMATE_ROLE: 'jobs', ...busyJobs }),
        ]);
        return { acknowledging, jobs };
      },
    },
    'lark-bare': {
      platform: 'lark',
      busy: false,
      start: async () => ({ acknowledging: await startBareServer('lark', fakes) }),
    },
    lark: {
      platform: 'lark',
      busy: false,
      start: async (url, prefix) => ({
        acknowledging: await deskmate(fakes, 'lark', url, prefix)({ DESKMATE_ROLE: 'web' }),
      }),
    },
  };
}

/** Wait until `count` model answers are streaming. */
async function waitForStreaming(fakes: FakePlatforms, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fakes.model()).answers < count) {
    if (Date.now() > deadline) throw new Error(`the busy server did not start streaming ${count} summaries`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Wait until the queue under `prefix` holds no job. */
async function waitForEmptyQueue(redisUrl: string, prefix: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Number(await redis.get(queueKeys(prefix, 'jobs').depth)) > 0) {
      if (Date.now() > deadline) throw new Error('the warm-up jobs were not answered in time');
      await new Promise((done) => setTimeout(done, 50));
    }
  } finally {
    redis.disconnect();
  }
}

async function measure(row: string, spec: Row, redis: AckRedis, fakes: FakePlatforms): Promise<AckFigures> {
  await redisCpuMicros(redis.url, true);
  const prefix = `bench-${row}-${Date.now()}:`;
  const servers = await spec.start(redis.url, prefix);
  const { acknowledging, jobs } = servers;
  const path = spec.platform === 'slack' ? '/slack/events' : '/lark/events';
  const requests = (count: number): PreparedRequest[] =>
    spec.platform === 'slack' ? slackRequests(fakes, path, count) : larkRequests(fakes, path, count);
  const processes = {
    [jobs ? 'web' : 'server']: acknowledging.pid,
    ...(jobs ? { jobs: jobs.pid } : {}),
    Redis: redis.process.pid,
    'fakes and fake model': fakes.pid,
    'load generator': process.pid,
  };
  try {
    // Warm up (JIT, connections) with a short burst that is not counted.
    await saturate(acknowledging.baseUrl, requests(500), 8);
    // Where jobs run, the warm-up's jobs are answered before the summaries are asked for.
    if (spec.busy) await waitForEmptyQueue(redis.url, prefix, 120_000);
    let saturation: LoadResult | undefined;
    let cpuMicrosPerRequest: number | undefined;
    if (spec.busy) {
      // 200 people ask for a summary of a thread each; the run starts once every one streams from the model.
      const asks = slackRequests(fakes, path, summariesInFlight, fakes.summaryRoots);
      await saturate(acknowledging.baseUrl, asks, 8);
      await waitForStreaming(fakes, summariesInFlight, 180_000);
    } else {
      const before = (await acknowledging.cpuMicros()) + (await redisCpuMicros(redis.url));
      saturation = await saturate(acknowledging.baseUrl, requests(saturationRequests), connections);
      const after = (await acknowledging.cpuMicros()) + (await redisCpuMicros(redis.url));
      cpuMicrosPerRequest = (after - before) / saturation.ok;
    }
    await acknowledging.reset();
    const modelBefore = await fakes.model();
    const runStarted = performance.now();
    const cpu = startCpuShares(processes);
    const traceDirectory = process.env.BENCH_LATENCY_TRACE;
    const probe = traceDirectory ? startRedisProbe(redis.url) : undefined;
    const { timeline, startedAt, ...rate } = await fixedRate(
      acknowledging.baseUrl,
      requests(fixedRateRequests),
      fixedRatePerSecond,
      fixedRateConnections,
    );
    const redisPings = await probe?.stop();
    const cpuShares = cpu.stop();
    const modelAfter = await fakes.model();
    const runSeconds = (performance.now() - runStarted) / 1000;
    const stats = await acknowledging.stats();
    if (traceDirectory) {
      writeLatencyTrace(traceDirectory, row, {
        client: timeline.map(([due, latency]) => [startedAt + due, latency]),
        server: stats.insideServerTrace ?? [],
        collections: stats.collectionTrace ?? [],
        redis: redisPings ?? [],
      });
    }
    const failed = (saturation?.failed ?? 0) + rate.failed;
    return {
      failed,
      saturation,
      cpuMicrosPerRequest,
      fixedRate: rate,
      loopDelayP99Ms: stats.loopDelayP99Ms,
      insideServerP99Ms: stats.insideServerP99Ms,
      cpuShares,
      ...(spec.busy
        ? {
            model: {
              answersStreaming: Math.min(modelBefore.answers, modelAfter.answers),
              tokensPerSecond: (modelAfter.tokens - modelBefore.tokens) / runSeconds,
              requests: modelAfter.requests - modelBefore.requests,
            },
          }
        : {}),
    };
  } finally {
    await Promise.all([acknowledging.stop(), jobs?.stop()]);
  }
}

/** Every row of one run; BENCH_ACK_ROWS=slack-bare,slack runs only those (while profiling one path). */
export async function ackRun(redis: AckRedis, fakes: FakePlatforms): Promise<Record<string, AckFigures>> {
  const only = process.env.BENCH_ACK_ROWS?.split(',');
  const figures: Record<string, AckFigures> = {};
  for (const [row, spec] of Object.entries(rows(fakes))) {
    if (only && !only.includes(row)) continue;
    figures[row] = await measure(row, spec, redis, fakes);
    if (process.env.BENCH_DEBUG) process.stderr.write(`${row} done\n`);
  }
  return figures;
}
