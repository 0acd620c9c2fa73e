/**
 * The job thread (see job-thread.ts): takes jobs from Redis and runs them, with its own store connection,
 * model client, reminders and reply-only chat adapters. Started by the main thread with the configuration.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createChatAdapters } from './chat-adapters';
import type { Config } from './config';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import { createJobRunner } from './job-runner';
import type { JobThreadCommand, JobThreadMessage } from './job-thread';
import { createLogger } from './logger';
import { createMetrics } from './observability/metrics';
import { createBullQueue, queueOptionsFrom } from './pipeline/bull-queue';
import { createRedisStateStore } from './state/redis-state-store';
import { lowerJobPriority } from './thread-priority';

async function runJobThread(config: Config): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('job-thread-entry runs only as a worker thread');
  const send = (message: JobThreadMessage) => port.postMessage(message);
  const logger = createLogger({ level: config.logLevel, destination: 1 }).child({ thread: 'jobs' });
  // Jobs yield the CPU to acknowledgements (see thread-priority.ts).
  lowerJobPriority(logger);
  const redisUrl = config.redisUrl;
  if (!redisUrl) throw new Error('the job thread needs REDIS_URL');
  const store = createRedisStateStore({ url: redisUrl, prefix: config.redisKeyPrefix });
  const queue = createBullQueue(queueOptionsFrom(config, redisUrl, logger));
  const metrics = createMetrics();
  const adapters = createChatAdapters(config, { queue, store, logger }, 'reply');
  const platforms: Partial<Record<Platform, ChatPlatform>> = {};
  for (const adapter of adapters) platforms[adapter.platform.name] = adapter.platform;
  const runner = createJobRunner(config, { store, logger, metrics, platforms });
  for (const adapter of adapters) await adapter.start();
  await queue.start(runner.handler);
  await runner.startReminders();

  let stopping = false;
  port.on('message', (command: JobThreadCommand) => {
    if (command.type === 'metrics') {
      void metrics.registry
        .getMetricsAsJSON()
        .then((snapshot) => send({ type: 'metrics', id: command.id, snapshot }));
    } else if (command.type === 'stop' && !stopping) {
      stopping = true;
      void (async () => {
        for (const adapter of adapters) await adapter.stop().catch(() => undefined);
        await queue.stop(command.graceMs);
        await runner.reminders.stop(1000);
        await store.close();
        send({ type: 'stopped' });
      })();
    }
  });
  logger.info(
    { adapters: adapters.map((adapter) => adapter.platform.name), llm: runner.llm.name },
    'job thread started',
  );
  send({ type: 'ready' });
}

runJobThread((workerData as { config: Config }).config).catch((error: unknown) => {
  process.stderr.write(
    `Deskmate job thread failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
