/**
 * Job throughput (`npm run bench -- jobs`): a `web` process queues N `help` mentions (each its own
 * conversation) in Redis and stops; then one or two `jobs` processes start on that queue and answer them
 * all against the fake Slack: answering at once (the job side's CPU is the limit), or each Web API call
 * 100 ms late, as the real one answers (the wait is the limit). Figures: help replies per second between
 * the 10th and the 90th percentile of the replies (so the processes' start does not count), the time from
 * starting the `jobs` processes until the last reply, and who had the two cores meanwhile.
 */
import Redis from 'ioredis';
import { queueKeys } from '../src/pipeline/redis-queue-scripts';
import { slackRequests } from './ack-requests';
import { cpuSeconds, startCpuShares } from './cpu-shares';
import { saturate } from './load';
import { deskmateSettings, type FakePlatforms, startDeskmateServer } from './processes';

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
  /** CPU time of the `jobs` processes per reply, from the 10th to the 90th percentile reply (ms). */
  cpuMsPerReply: number;
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** How the fake Slack answers the `jobs` processes, and how many mentions are queued for them. */
export interface JobSetup {
  label: string;
  /** Each Web API call answered 100 ms late. */
  slowSlack: boolean;
  messages: number;
}

/** The two setups: Slack answering at once (2,000 mentions, BENCH_JOBS_MESSAGES), or 100 ms late (500). */
export const jobSetups: JobSetup[] = [
  {
    label: 'fake Slack answers at once',
    slowSlack: false,
    messages: Number(process.env.BENCH_JOBS_MESSAGES ?? 2000),
  },
  {
    label: 'fake Slack answers each call 100 ms late',
    slowSlack: true,
    messages: Math.ceil(Number(process.env.BENCH_JOBS_MESSAGES ?? 2000) / 4),
  },
];

/** Queue help mentions through a `web` process, then drain them with `replicas` jobs processes. */
export async function drain(
  setup: JobSetup,
  replicas: number,
  redisUrl: string,
  redisPid: number | undefined,
  fakes: FakePlatforms,
): Promise<JobFigures> {
  const { messages } = setup;
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
  const jobSettings = {
    ...settings,
    DESKMATE_ROLE: 'jobs',
    ...(setup.slowSlack ? { SLACK_API_URL: fakes.slack.slowApiUrl } : {}),
  };
  const workers = await Promise.all(Array.from({ length: replicas }, () => startDeskmateServer(jobSettings)));
  const shares = startCpuShares({
    ...Object.fromEntries(workers.map((worker, index) => [`jobs ${index + 1}`, worker.pid])),
    Redis: redisPid,
    'fakes and fake model': fakes.pid,
    'benchmark process': process.pid,
  });
  const times: number[] = [];
  // The jobs processes' CPU time as the replies come: `[replies so far, CPU seconds]`.
  const jobsCpu = () => workers.reduce((total, worker) => total + cpuSeconds(worker.pid), 0);
  const cpuByReplies: Array<[number, number]> = [[0, jobsCpu()]];
  try {
    const deadline = Date.now() + 300_000;
    while (times.length < messages) {
      if (Date.now() > deadline) throw new Error(`only ${times.length} of ${messages} replies in 5 minutes`);
      await sleep(50);
      times.push(...(await fakes.posted()));
      cpuByReplies.push([times.length, jobsCpu()]);
    }
    const cpuShares = shares.stop();
    times.sort((left, right) => left - right);
    const at = (fraction: number) => times[Math.floor((times.length - 1) * fraction)];
    // Per reply from the 10th to the 90th percentile reply, like the rate: not the processes' warm-up.
    const from = cpuByReplies.find(([replies]) => replies >= messages * 0.1) ?? cpuByReplies[0];
    const to =
      cpuByReplies.find(([replies]) => replies >= messages * 0.9) ?? cpuByReplies[cpuByReplies.length - 1];
    return {
      repliesPerSecond: ((0.8 * (times.length - 1)) / (at(0.9) - at(0.1))) * 1000,
      drainMs: (times.at(-1) ?? Number.NaN) - startedAt,
      replies: times.length,
      cpuShares,
      cpuMsPerReply: ((to[1] - from[1]) * 1000) / (to[0] - from[0]),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    redis.disconnect();
  }
}
