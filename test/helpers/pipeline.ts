import type { ChatPlatform } from '../../src/core/chat-platform';
import type { Platform } from '../../src/core/conversation';
import type { JobQueue } from '../../src/core/job-queue';
import type { LlmProvider } from '../../src/core/llm-provider';
import type { Logger } from '../../src/core/logger';
import type { ReminderScheduler } from '../../src/core/reminder';
import type { KnowledgeBase, Skill } from '../../src/core/skill';
import type { StateStore } from '../../src/core/state-store';
import { createOfflineProvider } from '../../src/llm/offline-provider';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createJobHandler } from '../../src/pipeline/worker';
import { createSkills } from '../../src/skills';
import { createMemoryStateStore } from '../../src/state/memory-state-store';

/** Options for a test pipeline; everything not given gets an in-memory default. */
export interface TestPipelineOptions {
  platforms: Partial<Record<Platform, ChatPlatform>>;
  llm?: LlmProvider;
  store?: StateStore;
  queue?: JobQueue;
  skills?: Skill[];
  logger?: Logger;
  now?: () => Date;
  defaultTimezone?: string;
  reminders?: ReminderScheduler;
  knowledge?: KnowledgeBase;
}

/** A running queue + worker + skills for end-to-end tests. */
export interface TestPipeline {
  queue: JobQueue;
  store: StateStore;
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Wire the real queue, worker, router and skills around the given platforms. */
export async function startTestPipeline(options: TestPipelineOptions): Promise<TestPipeline> {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const store = options.store ?? createMemoryStateStore();
  const queue = options.queue ?? createMemoryQueue({ store, logger });
  await queue.start(
    createJobHandler({
      platforms: options.platforms,
      skills: options.skills ?? createSkills(),
      llm: options.llm ?? createOfflineProvider(),
      store,
      reminders: options.reminders,
      logger,
      settings: { defaultTimezone: options.defaultTimezone ?? 'UTC' },
      now: options.now,
      knowledge: options.knowledge,
    }),
  );
  return {
    queue,
    store,
    drain: () => queue.drain(),
    stop: () => queue.stop(1000),
  };
}
