/**
 * One side of an ack benchmark, run as its own process (so it has a core to itself) and driven over IPC by
 * bench/ack.ts: Deskmate's real Slack or Lark route (verify, dedupe, enqueue into BullMQ on a real Redis),
 * or the bare SDK with a no-op listener. `slack-busy` runs Deskmate as `npm start` does, with 200 summaries
 * streaming in the same process (in the job thread, or in the acknowledging thread with JOB_THREAD=off).
 * Usage (by bench/ack.ts): node dist/bench-build/bench/ack-server.js <mode> <redis-url> (or under tsx)
 */

import { subscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as lark from '@larksuiteoapi/node-sdk';
import { App, LogLevel } from '@slack/bolt';
import { createLarkAdapter } from '../adapters/lark';
import { createSlackAdapter } from '../adapters/slack';
import { parseConfig } from '../src/config';
import type { Adapter } from '../src/core/adapter';
import type { StateStore } from '../src/core/state-store';
import { createHttpServer } from '../src/http/server';
import { createLogger } from '../src/logger';
import { startDeskmate } from '../src/main';
import { createRedisQueue } from '../src/pipeline/redis-queue';
import { createRedisStateStore } from '../src/state/redis-state-store';
import { slackAuthor, slackChannel } from '../test/helpers/served-deskmate';
import { epochNow } from './latency-trace';

/** Which server this process runs. */
export type AckServerMode = 'slack' | 'slack-bare' | 'slack-busy' | 'lark' | 'lark-bare';

/** Where the platform fakes run (in the benchmark process, like a remote platform) and their secrets. */
export interface AckServerConfig {
  apiUrl: string;
  botToken?: string;
  signingSecret?: string;
  appId?: string;
  appSecret?: string;
  encryptKey?: string;
  verificationToken?: string;
  /** Thread roots to summarize (`slack-busy`). */
  summaryRoots?: string[];
  teamId?: string;
  workerConcurrency?: number;
  /** The fake model's base URL (`slack-busy`). */
  modelUrl?: string;
  /** Run jobs in their own thread (`slack-busy`). */
  jobThread?: boolean;
}

/** What the server tells the benchmark once it listens. */
export interface AckServerReady {
  type: 'ready';
  port: number;
  path: string;
}

const logger = createLogger({ level: 'silent' });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
// Time inside the server: from the request's headers being read to the response handed to the socket. What
// the load generator sees on top waited in socket buffers for the acknowledging thread to get a core.
const insideServer = createHistogram();
const requestStarted = new WeakMap<object, bigint>();
subscribe('http.server.request.start', (message) => {
  requestStarted.set((message as { response: object }).response, process.hrtime.bigint());
});
// With BENCH_LATENCY_TRACE, each request's start and time inside, on the epoch clock (see latency-trace.ts).
const tracing = Boolean(process.env.BENCH_LATENCY_TRACE);
let insideServerTrace: Array<[number, number]> = [];
// … and the acknowledging thread's garbage collections: `[start, ms]`.
let collectionTrace: Array<[number, number]> = [];
if (tracing) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      collectionTrace.push([performance.timeOrigin + entry.startTime, entry.duration]);
    }
  }).observe({ entryTypes: ['gc'] });
}
subscribe('http.server.response.finish', (message) => {
  const started = requestStarted.get((message as { response: object }).response);
  if (started === undefined) return;
  const nanoseconds = Number(process.hrtime.bigint() - started) || 1;
  insideServer.record(nanoseconds);
  if (tracing) insideServerTrace.push([epochNow() - nanoseconds / 1e6, nanoseconds / 1e6]);
});

/** The store connects in the background; commands fail fast until it has. */
async function waitForRedis(store: StateStore): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if (
      await store.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Redis is not reachable');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startSlack(
  mode: AckServerMode,
  redisUrl: string,
  config: AckServerConfig,
): Promise<AckServerReady> {
  const secrets = { signingSecret: config.signingSecret ?? '', botToken: config.botToken ?? '' };
  if (mode === 'slack-bare') {
    const app = new App({
      token: secrets.botToken,
      signingSecret: secrets.signingSecret,
      clientOptions: { slackApiUrl: config.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.event('app_mention', async () => {});
    const port = 20000 + Math.floor(Math.random() * 20000);
    await app.start(port);
    return { type: 'ready', port, path: '/slack/events' };
  }
  if (mode === 'slack-busy') return startBusySlack(redisUrl, config);
  const prefix = `bench-${process.pid}:`;
  const store = createRedisStateStore({ url: redisUrl, prefix });
  await waitForRedis(store);
  const queue = createRedisQueue({ url: redisUrl, prefix, logger });
  const adapter = createSlackAdapter({ ...secrets, apiUrl: config.apiUrl, queue, store, logger });
  const port = await serve(adapter);
  await adapter.start();
  return { type: 'ready', port, path: '/slack/events' };
}

/**
 * Deskmate as `npm start` runs it (startDeskmate: HTTP server, Slack adapter, BullMQ, the OpenAI-compatible
 * provider against the fake model), with 200 summaries of long threads queued to stream while it is measured.
 */
async function startBusySlack(redisUrl: string, config: AckServerConfig): Promise<AckServerReady> {
  const parsed = parseConfig({
    DESKMATE_CONSOLE: 'off',
    LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench-${process.pid}:`,
    SLACK_BOT_TOKEN: config.botToken,
    SLACK_SIGNING_SECRET: config.signingSecret,
    SLACK_API_URL: config.apiUrl,
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: config.modelUrl,
    OPENAI_API_KEY: 'bench',
    OPENAI_MODEL: 'bench-model',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_WORKSPACE_PER_MINUTE: '0',
    WORKER_CONCURRENCY: String(config.workerConcurrency ?? 4),
    JOB_THREAD: config.jobThread ? 'on' : 'off',
  });
  if (!parsed.ok) throw new Error(`bad benchmark configuration: ${JSON.stringify(parsed.problems)}`);
  const deskmate = await startDeskmate(parsed.config, logger);
  await waitForRedis(deskmate.store);
  for (const root of config.summaryRoots ?? []) {
    await deskmate.queue.enqueue({
      eventId: `busy-${root}`,
      messageId: `${slackChannel}:busy-${root}`,
      conversation: {
        platform: 'slack',
        workspace: config.teamId ?? 'T',
        channel: slackChannel,
        thread: root,
        kind: 'group',
      },
      author: { id: slackAuthor.id, name: 'Alice' },
      text: 'summarize',
      via: 'mention',
      inThread: true,
      receivedAt: new Date().toISOString(),
    });
  }
  return { type: 'ready', port: deskmate.port ?? 0, path: '/slack/events' };
}

async function serve(adapter: Adapter): Promise<number> {
  const http = createHttpServer({
    routes: adapter.routes,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
  });
  return http.listen(0, '127.0.0.1');
}

async function startLark(
  mode: AckServerMode,
  redisUrl: string,
  config: AckServerConfig,
): Promise<AckServerReady> {
  const encryptKey = config.encryptKey ?? '';
  const verificationToken = config.verificationToken ?? '';
  if (mode === 'lark-bare') {
    const dispatcher = new lark.EventDispatcher({
      encryptKey,
      verificationToken,
      loggerLevel: lark.LoggerLevel.error,
    }).register({ 'im.message.receive_v1': async () => {} });
    const handle = lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true });
    // adaptDefault never answers another path: /healthz (the load generator opens its connections with it) is 404.
    const server = createServer((request, response) => {
      if (request.url === '/lark/events') return handle(request, response);
      response.statusCode = 404;
      response.end();
    });
    return { type: 'ready', port: await listen(server), path: '/lark/events' };
  }
  const prefix = `bench-${process.pid}:`;
  const store = createRedisStateStore({ url: redisUrl, prefix });
  await waitForRedis(store);
  const queue = createRedisQueue({ url: redisUrl, prefix, logger });
  const adapter = createLarkAdapter({
    appId: config.appId ?? '',
    appSecret: config.appSecret ?? '',
    encryptKey,
    verificationToken,
    domain: config.apiUrl,
    mode: 'webhook',
    queue,
    store,
    logger,
  });
  const port = await serve(adapter);
  await adapter.start();
  return { type: 'ready', port, path: '/lark/events' };
}

async function main(): Promise<void> {
  const [mode, redisUrl] = process.argv.slice(2) as [AckServerMode, string];
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '{}') as AckServerConfig;
  const ready = mode.startsWith('slack')
    ? await startSlack(mode, redisUrl, config)
    : await startLark(mode, redisUrl, config);
  loopDelay.enable();
  process.once('SIGINT', () => process.exit(0));
  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') {
      loopDelay.reset();
      insideServer.reset();
      insideServerTrace = [];
      collectionTrace = [];
      process.send?.({ type: 'reset-done' });
    }
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ type: 'cpu', cpuMicros: usage.user + usage.system });
    }
    if (message.type === 'stats') {
      process.send?.({
        type: 'stats',
        loopDelayP50Ms: loopDelay.percentile(50) / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        insideServerP99Ms: insideServer.percentile(99) / 1e6,
        ...(tracing ? { insideServerTrace, collectionTrace } : {}),
      });
    }
  });
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`ack server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
