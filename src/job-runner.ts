import type { Config } from './config';
import type { ChatPlatform } from './core/chat-platform';
import type { Platform } from './core/conversation';
import type { JobHandler } from './core/job-queue';
import type { LlmProvider } from './core/llm-provider';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';
import { createRequestGuard } from './limits/request-guard';
import { withTokenLimits } from './limits/token-limits';
import { createProvider } from './llm/create-provider';
import { withUsageRecording } from './llm/usage-recorder';
import { countedProvider, type Metrics } from './observability/metrics';
import { createMemoryReminderScheduler } from './pipeline/memory-reminders';
import { createReminderDelivery } from './pipeline/reminder-delivery';
import type { ReminderService } from './pipeline/reminder-service';
import { createJobHandler } from './pipeline/worker';
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
}

/** Build the job side of Deskmate: model, skills, guard, reminders and the job handler. */
export function createJobRunner(
  config: Config,
  parts: {
    store: StateStore;
    logger: Logger;
    metrics: Metrics;
    platforms: Partial<Record<Platform, ChatPlatform>>;
  },
): JobRunner {
  const { store, logger, metrics, platforms } = parts;
  const llm = countedProvider(
    withTokenLimits(withUsageRecording(createProvider(config.llm, logger), store), store, {
      maxRequestTokens: config.limits.maxRequestTokens,
      dailyWorkspaceTokens: config.limits.dailyWorkspaceTokens,
    }),
    metrics,
  );
  // Durable delayed jobs with Redis (BullMQ is loaded only then), timers without.
  const reminders = config.redisUrl
    ? (
        require('./pipeline/reminder-queue') as typeof import('./pipeline/reminder-queue')
      ).createBullReminderScheduler({
        url: config.redisUrl,
        prefix: config.redisKeyPrefix,
        store,
        logger,
      })
    : createMemoryReminderScheduler({ store });
  const requestGuard = createRequestGuard(store, config.limits);
  const handler = createJobHandler({
    platforms,
    skills: createSkills(),
    llm,
    store,
    reminders,
    logger,
    settings: { defaultTimezone: config.defaultTimezone },
    // The console is the operator's own terminal: no allow-lists or rate limits there.
    guard: async (message) =>
      message.conversation.platform === 'console' ? undefined : requestGuard(message),
    onJobFinished: ({ skill, outcome, durationMs }) => {
      metrics.jobs.inc({ skill: skill ?? 'none', outcome });
      if (skill) metrics.skillSeconds.observe({ skill }, durationMs / 1000);
    },
  });
  return {
    handler,
    llm,
    reminders,
    startReminders: () => reminders.start(createReminderDelivery({ platforms, store, logger })),
  };
}
