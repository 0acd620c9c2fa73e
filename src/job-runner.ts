import { auditRecordOf, createAuditLog } from './audit/audit-log';
import type { Config } from './config';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import type { JobHandler } from './core/job-queue';
import type { LlmProvider } from './core/llm-provider';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';
import { createKnowledge, type Knowledge } from './knowledge/create-knowledge';
import { type FolderJob, folderJobs } from './knowledge/folder-job';
import { createRequestGuard } from './limits/request-guard';
import { withTokenLimits } from './limits/token-limits';
import { createProvider } from './llm/create-provider';
import { withUsageRecording } from './llm/usage-recorder';
import { countedProvider, type Metrics } from './observability/metrics';
import { createMemoryReminderScheduler } from './pipeline/memory-reminders';
import { createReminderDelivery } from './pipeline/reminder-delivery';
import { createRedisReminderScheduler } from './pipeline/reminder-queue';
import type { ReminderService } from './pipeline/reminder-service';
import { commandWordOf } from './pipeline/router';
import { createJobHandler } from './pipeline/worker';
import { withPersonalDataMasking } from './privacy/masking-provider';
import { createSkills } from './skills';

/** What runs jobs: the handler the queue calls, the model behind it and the reminders it schedules. */
interface JobRunner {
  /** Handles one queued message. */
  handler: JobHandler;
  /** The model, with limits, usage recording and metrics. */
  llm: LlmProvider;
  /** Reminders (todo due times, meetings about to start). */
  reminders: ReminderService;
  /** Start delivering reminders. */
  startReminders(): Promise<void>;
  /** Whether a text starts with a command word (the console keeps such lines out of what it summarizes). */
  isCommand(text: string): boolean;
  /** The knowledge base skills search; `start` begins the folder sync, `stop` ends it and closes the index. */
  knowledge: Knowledge;
}

/**
 * The model as jobs use it: masking (when on), usage recorded per workspace and user, token limits and
 * budgets, metrics. The web console's playground uses the same.
 */
export function createJobModel(
  config: Config,
  parts: { store: StateStore; logger: Logger; metrics: Metrics },
): LlmProvider {
  const { store, logger, metrics } = parts;
  const model = createProvider(config.llm, logger);
  return countedProvider(
    withTokenLimits(
      withUsageRecording(
        config.maskPersonalData ? withPersonalDataMasking(model, logger) : model,
        store,
        undefined,
        config.retention.usageDays,
      ),
      store,
      {
        maxRequestTokens: config.limits.maxRequestTokens,
        dailyWorkspaceTokens: config.limits.dailyWorkspaceTokens,
      },
    ),
    metrics,
  );
}

/**
 * The queue of knowledge folder jobs every jobs process shares: a second named queue on the one contract, not
 * a second kind of job on the chat queue, so chat depth and metrics stay chat's and a pass can wait for its own
 * jobs. Two at a time per process: extraction is CPU work beside the chat jobs, and index writes take turns.
 */
function folderJobQueue(config: Config, url: string, logger: Logger) {
  const { createRedisQueue } = require('./pipeline/redis-queue') as typeof import('./pipeline/redis-queue');
  return createRedisQueue<FolderJob>({
    kind: folderJobs,
    name: 'knowledge',
    url,
    prefix: config.redisKeyPrefix,
    logger: logger.child({ component: 'knowledge-queue' }),
    concurrency: 2,
    leaseMs: config.jobLockDurationMs,
  });
}

/** Build the job side of Deskmate: model, skills, guard, reminders and the job handler. */
export function createJobRunner(
  config: Config,
  parts: {
    store: StateStore;
    logger: Logger;
    metrics: Metrics;
    platforms: Partial<Record<Platform, ChatPlatform>>;
    /** Set no reminders: the process ends before any would be due (a console reading piped input). */
    remindersOff?: boolean;
  },
): JobRunner {
  const { store, logger, metrics, platforms } = parts;
  const llm = createJobModel(config, parts);
  // Durable reminders with Redis (a sorted set of due times), timers without.
  const reminders = config.redisUrl
    ? createRedisReminderScheduler({
        url: config.redisUrl,
        prefix: config.redisKeyPrefix,
        store,
        logger,
      })
    : createMemoryReminderScheduler({ store });
  const requestGuard = createRequestGuard(store, config.limits);
  const audit = createAuditLog(store, config.auditRetentionDays);
  const skills = createSkills({ documents: config.documents });
  // The index opens on first use (LanceDB is not loaded by processes that never search or index).
  const knowledge = createKnowledge(config.knowledge, {
    store,
    logger,
    documents: config.documents,
    maskPersonalData: config.maskPersonalData,
    folderQueue: config.redisUrl
      ? () => folderJobQueue(config, config.redisUrl as string, logger)
      : undefined,
  });
  const handler = createJobHandler({
    platforms,
    skills,
    llm,
    store,
    // Without a scheduler the worker's default refuses (not_configured): skills then promise no reminder.
    reminders: parts.remindersOff ? undefined : reminders,
    logger,
    settings: { defaultTimezone: config.defaultTimezone, retention: config.retention },
    knowledge: {
      index: knowledge.index,
      ...(knowledge.embed ? { embed: knowledge.embed } : {}),
      ...(knowledge.rerank ? { rerank: knowledge.rerank } : {}),
      folderProgress: knowledge.folderProgress,
    },
    // The console is the operator's own terminal: no allow-lists or rate limits there.
    guard: async (message) =>
      message.conversation.platform === 'console' ? undefined : requestGuard(message),
    onJobFinished: (finished) => {
      const { skill, outcome, durationMs } = finished;
      metrics.jobs.inc({ skill: skill ?? 'none', outcome });
      if (skill) metrics.skillSeconds.observe({ skill }, durationMs / 1000);
      // The job leaves the queue once its record is written; the audit trail never fails a job the user already
      // has an answer to.
      return audit.write(auditRecordOf(finished, new Date())).catch((error: unknown) => {
        logger.warn({ err: error, jobId: finished.jobId }, 'audit record not written');
      });
    },
  });
  return {
    handler,
    llm,
    reminders,
    startReminders: () => reminders.start(createReminderDelivery({ platforms, store, logger })),
    isCommand: (text) => commandWordOf(text, skills) !== undefined,
    knowledge,
  };
}
