import { createConsoleAdapter } from '../adapters/console';
import type { AdminConsole, PlaygroundEngine } from './admin';
import { createChatAdapters } from './chat-adapters';
import { type Config, formatConfigProblems, parseConfig, readEnvironment } from './config';
import type { Adapter } from './core/adapter';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import type { JobQueue } from './core/job-queue';
import type { LlmProvider } from './core/llm-provider';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';
import { createHttpServer, type HttpServer } from './http/server';
import { createLogger } from './logger';
import { countedQueue, createMetrics, type Metrics, metricsRoute } from './observability/metrics';
import { startProcessHeartbeat } from './observability/process-heartbeat';
import { packageVersion } from './package-root';
import { createMemoryQueue } from './pipeline/memory-queue';
import { createMemoryStateStore } from './state/memory-state-store';

/** Where the console assistant reads and writes, and what happens when its input ends. */
export interface ConsoleStreams {
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
  /** The process ends with the console's input (a console run with no chat platform). */
  endsWithConsole: boolean;
  /** The web console's one-time sign-in link (`http://127.0.0.1:<port>/admin/login/link/…`), without a password. */
  adminLoginLink?: string;
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

/**
 * The web console's route (`/admin`): its playground runs the jobs' own model and skills (built here on first
 * use in a `web` process), and shows replies through the adapters' renderers. Loaded only when it is on.
 */
function adminConsole(
  config: Config,
  parts: {
    store: StateStore;
    logger: Logger;
    metrics: Metrics;
    queue: JobQueue;
    adapters: Adapter[];
    llm?: LlmProvider;
    localLogin: boolean;
  },
): AdminConsole {
  const { createAdminConsole } = require('./admin') as typeof import('./admin');
  const { renderReply } = require('../adapters/slack/render') as typeof import('../adapters/slack/render');
  const { renderCard } = require('../adapters/lark/render') as typeof import('../adapters/lark/render');
  let engine: PlaygroundEngine | undefined;
  return createAdminConsole({
    config,
    store: parts.store,
    logger: parts.logger.child({ component: 'admin' }),
    queueDepth: () => parts.queue.depth(),
    adapters: () =>
      parts.adapters.map((adapter) => ({ name: adapter.platform.name, ready: adapter.ready() })),
    async playground() {
      engine ??= {
        llm:
          parts.llm ??
          (require('./job-runner') as typeof import('./job-runner')).createJobModel(config, parts),
        skills: (require('./skills') as typeof import('./skills')).createSkills(),
        settings: { defaultTimezone: config.defaultTimezone },
      };
      return engine;
    },
    renderers: {
      slack: (reply) => renderReply(reply),
      lark: (reply) => renderCard(reply, { kind: 'group' }),
    },
    localLogin: parts.localLogin,
    version: packageVersion(),
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
  const consoleOnly = config.console && chatAdapters.length === 0;
  // The web console: with ADMIN_PASSWORD on `web` and `all`; without one only beside a console assistant in
  // a terminal, on 127.0.0.1 with a one-time link.
  const localAdmin = !config.admin.password && consoleOnly && streams?.interactive === true;
  const admin =
    receives && (config.admin.password || localAdmin)
      ? adminConsole(config, {
          store,
          logger,
          metrics,
          queue,
          adapters,
          llm: runner?.llm,
          localLogin: localAdmin,
        })
      : undefined;
  let http: HttpServer | undefined;
  let port: number | undefined;
  let adminLoginLink: string | undefined;
  // Every process serves /healthz, /readyz and /metrics (orchestrators probe each); a console-only run none
  // (unless the web console is on).
  if (!consoleOnly || admin) {
    http = createHttpServer({
      routes: [
        ...(receives ? chatAdapters.flatMap((adapter) => adapter.routes) : []),
        metricsRoute(metrics, config.metricsToken),
        ...(admin ? [admin.route] : []),
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
    const host = localAdmin ? '127.0.0.1' : config.host;
    try {
      port = await http.listen(config.port, host);
      logger.info({ port, host, admin: Boolean(admin) }, 'http server listening');
    } catch (error) {
      // Beside the console assistant the web console is a convenience: a busy port must not stop the assistant.
      if (!localAdmin) throw error;
      logger.warn(
        { err: error, port: config.port },
        'web console not started: the port is in use (set PORT)',
      );
      http = undefined;
    }
    if (http && admin?.loginLinkPath && streams) {
      adminLoginLink = `http://127.0.0.1:${port}${admin.loginLinkPath}`;
      // The link signs in: it goes to the operator's terminal only, never to the logs.
      streams.output.write(`Web console: ${adminLoginLink} (one-time sign-in link)\n\n`);
    }
  }
  for (const adapter of adapters) await adapter.start();
  await runner?.startReminders();
  const heartbeat = startProcessHeartbeat(
    store,
    {
      role: config.role,
      version: packageVersion(),
      adapters: adapters.map((adapter) => adapter.platform.name),
    },
    logger,
  );
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
    endsWithConsole: consoleOnly,
    ...(adminLoginLink ? { adminLoginLink } : {}),
    stop() {
      stopping ??= (async () => {
        await heartbeat.stop();
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
export async function main(): Promise<void> {
  const result = parseConfig(readEnvironment());
  if (!result.ok) {
    process.stderr.write(`${formatConfigProblems(result.problems)}\n`);
    process.exit(2);
  }
  const config = result.config;
  // In console mode replies own stdout, so logs go to stderr.
  const logger = createLogger({ level: config.logLevel, destination: config.console ? 2 : 1 });
  for (const warning of result.warnings) {
    logger.warn({ variable: warning.variable }, `${warning.variable} ${warning.message}`);
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
  if (deskmate.consoleFinished && deskmate.endsWithConsole) {
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
