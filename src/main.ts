import { type ConsoleOutcome, createConsoleAdapter } from '../adapters/console';
import { adminConsole } from './admin-wiring';
import { createChatAdapters } from './chat-adapters';
import { type Config, configWarnings, formatConfigProblems, parseConfig, readEnvironment } from './config';
import { dotenvProblems } from './config-dotenv';
import { pathProblems } from './config-paths';
import { slackMode } from './config-platforms';
import type { Adapter } from './core/adapter';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import { DeskmateError, isDeskmateError } from './core/errors';
import type { JobQueue } from './core/job-queue';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';
import { createHttpServer, type HttpServer } from './http/server';
import { createLogger } from './logger';
import { countedQueue, createMetrics, metricsRoute } from './observability/metrics';
import { startProcessHeartbeat } from './observability/process-heartbeat';
import { packageVersion } from './package-root';
import { createMemoryQueue } from './pipeline/memory-queue';
import { createMemoryStateStore } from './state/memory-state-store';
import { withRetentionCap } from './state/retention-cap';

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
  /** Resolves when the console input has ended and every reply was printed, or a message could not be queued. */
  consoleFinished?: Promise<ConsoleOutcome>;
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

/** A Redis URL fit to show: any password replaced. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/** What the console says when Redis is not there to queue a message. */
function redisHint(url: string): { en: string; zh: string } {
  const shown = shownUrl(url);
  return {
    en: `Redis at ${shown} (REDIS_URL) is not reachable. Fix: start Redis there, or unset REDIS_URL (in the environment or .env) to keep everything in memory.`,
    zh: `无法连接 ${shown} 上的 Redis（REDIS_URL）。解决：在该地址启动 Redis，或取消设置 REDIS_URL（环境变量或 .env）以在内存中运行。`,
  };
}

/** Start Deskmate from a validated configuration. */
export async function startDeskmate(
  config: Config,
  logger: Logger,
  streams?: ConsoleStreams,
): Promise<Deskmate> {
  const store = withRetentionCap(
    config.redisUrl ? redisStore(config, config.redisUrl) : createMemoryStateStore(),
    config.retentionCapDays * 24 * 60 * 60,
  );
  if (config.redisUrl) {
    const pinged = await store.ping().then(
      () => undefined,
      (error: unknown) => error,
    );
    // A refused password is a setting to fix: the process stops now instead of running broken.
    if (isDeskmateError(pinged) && pinged.code === 'not_configured') {
      await store.close();
      throw pinged;
    }
    const reachable = pinged === undefined;
    // A console session is one person at a terminal: without its Redis it can take nothing, so it says so now.
    if (!reachable && config.console && streams && !config.slack && !config.lark) {
      await store.close();
      throw new DeskmateError('unavailable', redisHint(config.redisUrl).en);
    }
    if (!reachable)
      logger.error(
        { code: 'unavailable' },
        'Redis is unreachable at start; will keep retrying (check REDIS_URL)',
      );
  }
  const baseQueue = config.redisUrl
    ? redisQueue(config, config.redisUrl, logger)
    : createMemoryQueue({ store, logger, concurrency: config.workerConcurrency });
  const receives = config.role !== 'jobs';
  const runsJobs = config.role !== 'web';
  const metrics = createMetrics(() => baseQueue.depth());
  const queue = countedQueue(baseQueue, metrics);

  const adapters: Adapter[] = [];
  let consoleFinished: Promise<ConsoleOutcome> | undefined;
  if (config.console && streams) {
    let finish: (outcome: ConsoleOutcome) => void = () => {};
    consoleFinished = new Promise((resolve) => {
      finish = resolve;
    });
    adapters.push(
      createConsoleAdapter({
        ...streams,
        queue,
        logger,
        unavailableHint: config.redisUrl ? redisHint(config.redisUrl) : undefined,
        // Read when a line arrives, once the job side below exists.
        isCommand: (line) => runner?.isCommand(line) ?? false,
        onEnd: (outcome) => finish(outcome),
      }),
    );
  }
  // A `jobs` process receives nothing: its adapters only give skills their platform port.
  adapters.push(...createChatAdapters(config, { queue, store, logger }, receives ? 'receive' : 'reply'));
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  for (const adapter of adapters) platforms[adapter.platform.name] = adapter.platform;

  // A console reading piped input ends with it: a reminder set there would never be delivered.
  const endsWithInput =
    Boolean(consoleFinished && streams && !streams.interactive) &&
    adapters.every((adapter) => adapter.platform.name === 'console');
  // The skills, the model client and reminders are loaded only where jobs run.
  const runner = runsJobs
    ? (require('./job-runner') as typeof import('./job-runner')).createJobRunner(config, {
        store,
        logger,
        metrics,
        platforms,
        remindersOff: endsWithInput,
      })
    : undefined;

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
          knowledge: runner?.knowledge,
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
  // Jobs are taken only once the server listens: a process that cannot (its port is taken) leaves the queue
  // untouched for the others, instead of holding a job until its lease runs out.
  if (runner) await queue.start(runner.handler);
  for (const adapter of adapters) await adapter.start();
  await runner?.startReminders();
  // The knowledge folder is indexed at start and kept in sync, where jobs run (KNOWLEDGE_DIR).
  await runner?.knowledge.start();
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
        // Chat jobs and folder jobs share the grace period; the index closes once neither runs.
        await Promise.all([
          queue.stop(config.shutdownGraceMs),
          runner?.knowledge.stopIndexing(config.shutdownGraceMs),
        ]);
        await runner?.reminders.stop(1000);
        await runner?.knowledge.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}

/** Entry point: read and validate the configuration, start, and stop cleanly on signals or console EOF. */
async function main(): Promise<void> {
  const fileProblems = dotenvProblems();
  const environment = readEnvironment();
  const result = parseConfig(environment);
  // Folders are checked once the settings parsed: a typo in a path stops the start like any other setting.
  const folderProblems = result.ok ? pathProblems(result.config, environment) : [];
  if (!result.ok || fileProblems.length > 0 || folderProblems.length > 0) {
    const problems = [...fileProblems, ...(result.ok ? folderProblems : result.problems)];
    process.stderr.write(`${formatConfigProblems(problems)}\n`);
    process.exit(2);
  }
  const config = result.config;
  // In console mode replies own stdout, so logs go to stderr.
  const logger = createLogger({ level: config.logLevel, destination: config.console ? 2 : 1 });
  for (const problem of [...result.warnings, ...configWarnings(config)]) {
    // Said like a configuration problem: the variable first, then what is wrong and the fix.
    logger.warn({ variable: problem.variable }, `${problem.variable} ${problem.message}`);
  }
  if (config.slack && config.role !== 'jobs') {
    logger.info(
      { platform: 'slack', mode: slackMode(config.slack) },
      `slack receives by ${slackMode(config.slack)}`,
    );
  }
  const interactive = process.stdin.isTTY === true;
  const deskmate = await startDeskmate(config, logger, {
    input: process.stdin,
    output: process.stdout,
    interactive,
  }).catch((error: unknown) => {
    const failure = startFailure(error, config);
    process.stderr.write(`${failure.text}\n`);
    process.exit(failure.exitCode);
  });
  const shutdown = async (reason: string, code: number) => {
    logger.info({ reason }, 'shutting down');
    await deskmate.stop();
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  if (deskmate.consoleFinished && deskmate.endsWithConsole) {
    const outcome = await deskmate.consoleFinished;
    if (outcome === 'failed') await shutdown('console message could not be queued', 1);
    await shutdown('console input ended', 0);
  }
}

/** Why Deskmate could not start, for the terminal, and its exit code: 2 for a setting to change, else 1. */
export function startFailure(
  error: unknown,
  config?: Pick<Config, 'port' | 'host'>,
): { text: string; exitCode: number } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (config && (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL')) {
    return {
      text: `Deskmate cannot start: HOST ${config.host} is not an address of this machine${code === 'EADDRNOTAVAIL' ? '' : ' (no such host name)'}. Fix: set HOST to 0.0.0.0 (every address), 127.0.0.1 (this machine only) or one of this machine's addresses.`,
      exitCode: 2,
    };
  }
  if (config && (code === 'EADDRINUSE' || code === 'EACCES')) {
    const problem =
      code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this process does not have';
    return {
      text: `Deskmate cannot start: port ${config.port} on ${config.host} ${problem}. Fix: stop what listens there, or set PORT to a free port (e.g. PORT=${config.port === 3000 ? 3001 : 3000}).`,
      exitCode: 2,
    };
  }
  if (isDeskmateError(error)) {
    return {
      text: `Deskmate cannot start: ${error.message}`,
      exitCode: error.code === 'not_configured' ? 2 : 1,
    };
  }
  return {
    text: `Deskmate failed to start: ${error instanceof Error ? error.stack : String(error)}`,
    exitCode: 1,
  };
}

/** Run Deskmate as a command (`node dist/src/main.js`, `npm start`): start, and exit on failure with its code. */
export function runMain(): void {
  main().catch((error: unknown) => {
    const failure = startFailure(error);
    process.stderr.write(`${failure.text}\n`);
    process.exit(failure.exitCode);
  });
}

if (require.main === module) runMain();
