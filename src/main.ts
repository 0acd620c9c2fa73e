import { createConsoleAdapter } from '../adapters/console';
import { checkLarkConfig } from '../adapters/lark/config-check';
import { createChatAdapters } from './chat-adapters';
import { type Config, formatConfigProblems, parseConfig, readEnvironment } from './config';
import type { Adapter } from './core/adapter';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import type { JobQueue } from './core/job-queue';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';
import { createHttpServer, type HttpServer } from './http/server';
import { createLogger } from './logger';
import { countedQueue, createMetrics, metricsRoute } from './observability/metrics';
import { createMemoryQueue } from './pipeline/memory-queue';
import { createMemoryStateStore } from './state/memory-state-store';

/** Where the console assistant reads and writes, and what happens when its input ends. */
interface ConsoleStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

/** A running Deskmate. */
export interface Deskmate {
  /** The HTTP server (absent in console-only runs). */
  http?: HttpServer;
  /** The port the HTTP server listens on. */
  port?: number;
  /** The queue. */
  queue: JobQueue;
  /** The store. */
  store: StateStore;
  /** Resolves when the console input has ended and every reply was printed (console runs). */
  consoleFinished?: Promise<void>;
  /** Stop receiving, finish running jobs within the grace period, close everything. */
  stop(): Promise<void>;
}

/** The Redis store; ioredis is loaded only with Redis. */
function redisStore(config: Config, url: string): StateStore {
  const redis = require('./state/redis-state-store') as typeof import('./state/redis-state-store');
  return redis.createRedisStateStore({ url, prefix: config.redisKeyPrefix });
}

/** The durable queue every process of a deployment shares. */
function redisQueue(config: Config, url: string, logger: Logger): JobQueue {
  const { createRedisQueue } = require('./pipeline/redis-queue') as typeof import('./pipeline/redis-queue');
  return createRedisQueue({
    url,
    prefix: config.redisKeyPrefix,
    logger,
    concurrency: config.workerConcurrency,
    leaseMs: config.jobLockDurationMs,
  });
}

/** Start Deskmate from a validated configuration. */
export async function startDeskmate(
  config: Config,
  logger: Logger,
  streams?: ConsoleStreams,
): Promise<Deskmate> {
  const store = config.redisUrl ? redisStore(config, config.redisUrl) : createMemoryStateStore();
  if (config.redisUrl) {
    await store.ping().catch((error: unknown) => {
      logger.error({ err: error }, 'Redis is unreachable at start; will keep retrying (check REDIS_URL)');
    });
  }
  const baseQueue = config.redisUrl
    ? redisQueue(config, config.redisUrl, logger)
    : createMemoryQueue({ store, logger, concurrency: config.workerConcurrency });
  const receives = config.role !== 'jobs';
  const runsJobs = config.role !== 'web';
  const metrics = createMetrics(() => baseQueue.depth());
  const queue = countedQueue(baseQueue, metrics);

  const adapters: Adapter[] = [];
  let consoleFinished: Promise<void> | undefined;
  if (config.console && streams) {
    let finish: () => void = () => {};
    consoleFinished = new Promise((resolve) => {
      finish = resolve;
    });
    adapters.push(createConsoleAdapter({ ...streams, queue, logger, onEnd: () => finish() }));
  }
  // A `jobs` process receives nothing: its adapters only give skills their platform port.
  adapters.push(...createChatAdapters(config, { queue, store, logger }, receives ? 'receive' : 'reply'));
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  for (const adapter of adapters) platforms[adapter.platform.name] = adapter.platform;

  // The skills, the model client and reminders are loaded only where jobs run.
  const runner = runsJobs
    ? (require('./job-runner') as typeof import('./job-runner')).createJobRunner(config, {
        store,
        logger,
        metrics,
        platforms,
      })
    : undefined;
  if (runner) await queue.start(runner.handler);

  const chatAdapters = adapters.filter((adapter) => adapter.platform.name !== 'console');
  let http: HttpServer | undefined;
  let port: number | undefined;
  // Every process serves /healthz, /readyz and /metrics (orchestrators probe each); a console-only run none.
  if (chatAdapters.length > 0 || !config.console) {
    http = createHttpServer({
      routes: [
        ...(receives ? chatAdapters.flatMap((adapter) => adapter.routes) : []),
        metricsRoute(metrics, config.metricsToken),
      ],
      logger,
      limits: config.http,
      onRefused: (route, reason) => metrics.rejectedRequests.inc({ route, reason }),
      readiness: async () => {
        const checks: Record<string, boolean> = {};
        if (config.redisUrl) {
          checks.redis = await store.ping().then(
            () => true,
            () => false,
          );
        }
        if (receives) for (const adapter of chatAdapters) checks[adapter.platform.name] = adapter.ready();
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    });
    port = await http.listen(config.port, config.host);
    logger.info({ port, host: config.host }, 'http server listening');
  }
  for (const adapter of adapters) await adapter.start();
  await runner?.startReminders();
  logger.info(
    {
      role: config.role,
      adapters: adapters.map((adapter) => adapter.platform.name),
      llm: runner?.llm.name ?? config.llm.provider,
      redis: Boolean(config.redisUrl),
    },
    'deskmate started',
  );

  let stopping: Promise<void> | undefined;
  return {
    http,
    port,
    queue,
    store,
    consoleFinished,
    stop() {
      stopping ??= (async () => {
        for (const adapter of adapters) await adapter.stop().catch(() => undefined);
        await http?.close();
        await queue.stop(config.shutdownGraceMs);
        await runner?.reminders.stop(1000);
        await store.close();
      })();
      return stopping;
    },
  };
}

/** Entry point: read and validate the configuration, start, and stop cleanly on signals or console EOF. */
async function main(): Promise<void> {
  const result = parseConfig(readEnvironment());
  if (!result.ok) {
    process.stderr.write(`${formatConfigProblems(result.problems)}\n`);
    process.exit(2);
  }
  const config = result.config;
  // Adapters know their own settings best: their errors stop the start like any config error.
  const adapterProblems = config.lark ? checkLarkConfig(config.lark) : [];
  const adapterErrors = adapterProblems.filter((problem) => problem.severity === 'error');
  if (adapterErrors.length > 0) {
    process.stderr.write(`${formatConfigProblems(adapterErrors)}\n`);
    process.exit(2);
  }
  // In console mode replies own stdout, so logs go to stderr.
  const logger = createLogger({ level: config.logLevel, destination: config.console ? 2 : 1 });
  for (const problem of adapterProblems.filter((each) => each.severity !== 'error')) {
    logger.warn({ variable: problem.variable }, problem.message);
  }
  const interactive = process.stdin.isTTY === true;
  const deskmate = await startDeskmate(config, logger, {
    input: process.stdin,
    output: process.stdout,
    interactive,
  });
  const shutdown = async (reason: string, code: number) => {
    logger.info({ reason }, 'shutting down');
    await deskmate.stop();
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  if (deskmate.consoleFinished && !deskmate.http) {
    await deskmate.consoleFinished;
    await shutdown('console input ended', 0);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `Deskmate failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
