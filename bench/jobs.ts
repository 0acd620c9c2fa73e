/**
 * Job throughput (`npm run bench -- jobs`): a `web` process queues N `help` mentions (each its own
 * conversation) in Redis and stops; then one or two `jobs` processes start on that queue and answer them
 * all against the fake Slack. Figures: help replies per second between the 10th and the 90th percentile of
 * the replies (so the processes' start does not count), the time from starting the `jobs` processes until
 * the last reply, and who had the two cores meanwhile.
 */
import Redis from 'ioredis';
import { queueKeys } from '../src/pipeline/redis-queue-scripts';
import { slackRequests } from './ack-requests';
import { startCpuShares } from './cpu-shares';
import { saturate } from './load';
import { deskmateSettings, type FakePlatforms, startDeskmateServer } from './processes';

const messages = Number(process.env.BENCH_JOBS_MESSAGES ?? 2000);
/** WORKER_CONCURRENCY of each `jobs` process (BENCH_JOBS_CONCURRENCY; Deskmate's default, 4, unless set). */
const concurrency = process.env.BENCH_JOBS_CONCURRENCY;

/** One drain's figures. */
export interface JobFigures {
  /** Replies per second from the 10th to the 90th percentile reply. */
  repliesPerSecond: number;
  /** From starting the `jobs` processes to the last reply (ms). */
  drainMs: number;
  /** Replies posted (should be the messages queued). */
  replies: number;
  /** Share of one core during the drain (%), by process. */
  cpuShares: Record<string, number>;
  /** CPU time of the `jobs` processes per reply (ms). */
  cpuMsPerReply: number;
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** Queue `messages` help mentions through a `web` process, then drain them with `replicas` jobs processes. */
export async function drain(
  replicas: number,
  redisUrl: string,
  redisPid: number | undefined,
  fakes: FakePlatforms,
): Promise<JobFigures> {
  const redis = new Redis(redisUrl);
  await redis.flushall();
  const prefix = `bench-jobs-${Date.now()}:`;
  const settings = {
    ...deskmateSettings('slack', fakes),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    ...(concurrency ? { WORKER_CONCURRENCY: concurrency } : {}),
  };
  const web = await startDeskmateServer({ ...settings, DESKMATE_ROLE: 'web' });
  try {
    const queued = await saturate(web.baseUrl, slackRequests(fakes, '/slack/events', messages), 16);
    if (queued.ok !== messages) throw new Error(`only ${queued.ok} of ${messages} mentions were queued`);
  } finally {
    await web.stop();
  }
  const depth = Number(await redis.get(queueKeys(prefix, 'jobs').depth));
  if (depth !== messages) throw new Error(`the queue holds ${depth} jobs, not ${messages}`);
  await fakes.posted();
  const started = performance.now();
  const startedAt = performance.timeOrigin + started;
  const workers = await Promise.all(
    Array.from({ length: replicas }, () => startDeskmateServer({ ...settings, DESKMATE_ROLE: 'jobs' })),
  );
  const shares = startCpuShares({
    ...Object.fromEntries(workers.map((worker, index) => [`jobs ${index + 1}`, worker.pid])),
    Redis: redisPid,
    'fakes and fake model': fakes.pid,
    'benchmark process': process.pid,
  });
  const times: number[] = [];
  try {
    const deadline = Date.now() + 300_000;
    while (times.length < messages) {
      if (Date.now() > deadline) throw new Error(`only ${times.length} of ${messages} replies in 5 minutes`);
      await sleep(50);
      times.push(...(await fakes.posted()));
    }
    const cpuShares = shares.stop();
    const drainSeconds = (performance.now() - started) / 1000;
    const jobsShare = workers.reduce((total, _, index) => total + cpuShares[`jobs ${index + 1}`], 0);
    times.sort((left, right) => left - right);
    const at = (fraction: number) => times[Math.floor((times.length - 1) * fraction)];
    return {
      repliesPerSecond: ((0.8 * (times.length - 1)) / (at(0.9) - at(0.1))) * 1000,
      drainMs: (times.at(-1) ?? Number.NaN) - startedAt,
      replies: times.length,
      cpuShares,
      cpuMsPerReply: ((jobsShare / 100) * drainSeconds * 1000) / times.length,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    redis.disconnect();
  }
}
