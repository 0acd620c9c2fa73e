import { createSlackAdapter, type SlackAdapterOptions } from '../../adapters/slack';
import { createSocketModeConnection } from '../../adapters/slack/socket-mode';
import type { Adapter } from '../../src/core/adapter';
import type { JobQueue } from '../../src/core/job-queue';
import type { LlmProvider } from '../../src/core/llm-provider';
import type { Logger } from '../../src/core/logger';
import type { KnowledgeBase, Skill } from '../../src/core/skill';
import type { StateStore } from '../../src/core/state-store';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createReminderDelivery } from '../../src/pipeline/reminder-delivery';
import type { ReminderService } from '../../src/pipeline/reminder-service';
import { createSkills } from '../../src/skills';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { FakeSlackServer } from '../fakes/slack-web-api';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline';

/** People and channels every Slack test starts with. */
export const people = {
  alice: { id: 'U0ALICE01', name: 'alice', displayName: 'Alice', timezone: 'Europe/Berlin', locale: 'en-US' },
  zhang: {
    id: 'U0ZHANG01',
    name: 'zhangsan',
    displayName: '张三',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
  },
  stranger: { id: 'U0STRANGE', name: 'stranger', displayName: 'Stranger' },
  otherBot: { id: 'U0OTHERBOT', name: 'otherbot', isBot: true },
};
/** The channel Alice, 张三 and the bot are in. */
export const generalChannel = 'C0GENERAL';
/** A channel the bot was never invited to. */
export const quietChannel = 'C0QUIET';

/** A running fake Slack, a Deskmate pipeline with the Slack adapter, and a server for its route. */
import { waitUntil } from '../helpers/wait';

export { waitUntil };

export interface SlackHarness {
  fake: FakeSlackServer;
  adapter: Adapter;
  pipeline: TestPipeline;
  store: StateStore;
  /** The events URL (HTTP mode). */
  eventsUrl: string;
  /** Every wait the adapter asked for (retries, rate limits), in ms. */
  waits: number[];
  stop(): Promise<void>;
}

/** Options for a harness. */
export interface HarnessOptions {
  mode?: 'http' | 'socket';
  llm?: LlmProvider;
  skills?: Skill[];
  logger?: Logger;
  /** Wrap the real queue (e.g. to make it fail). */
  wrapQueue?: (queue: JobQueue) => JobQueue;
  adapter?: Partial<SlackAdapterOptions>;
  /** The state store (default: in memory). */
  store?: StateStore;
  /** Reminders, started with a delivery to this harness's Slack and stopped with it. */
  reminders?: ReminderService;
  /** The current time skills see (default: the clock). */
  now?: () => Date;
  /** The knowledge base skills search and add to. */
  knowledge?: KnowledgeBase;
  /** Prepare the fake before the adapter starts (e.g. make auth.test fail). */
  prepare?: (fake: FakeSlackServer) => void;
}

/** Start the fake, the adapter and the pipeline; waits are recorded and kept short. */
export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const fake = new FakeSlackServer();
  await fake.start();
  for (const person of Object.values(people)) fake.state.addUser(person);
  fake.state.addChannel({
    id: generalChannel,
    name: 'general',
    members: [people.alice.id, people.zhang.id, fake.state.botUserId],
  });
  fake.state.addChannel({ id: quietChannel, name: 'quiet', members: [people.alice.id, people.stranger.id] });
  options.prepare?.(fake);

  const logger = options.logger ?? createLogger({ level: 'silent' });
  const store = options.store ?? createMemoryStateStore();
  const baseQueue = createMemoryQueue({ store, logger });
  const queue = options.wrapQueue ? options.wrapQueue(baseQueue) : baseQueue;
  const waits: number[] = [];
  const mode = options.mode ?? 'http';
  const adapter = createSlackAdapter({
    botToken: fake.botToken,
    ...(mode === 'http' ? { signingSecret: fake.signingSecret } : { appToken: fake.appToken }),
    apiUrl: fake.apiUrl,
    queue,
    store,
    logger,
    streamIntervalMs: 0,
    updateIntervalMs: 0,
    connectSocketMode: createSocketModeConnection,
    sleep: (milliseconds) => {
      waits.push(milliseconds);
      return new Promise((resolve) => setTimeout(resolve, Math.min(milliseconds, 20)));
    },
    ...options.adapter,
  });
  const pipeline = await startTestPipeline({
    platforms: { slack: adapter.platform },
    queue,
    store,
    llm: options.llm,
    skills: options.skills ?? createSkills(),
    logger,
    now: options.now,
    reminders: options.reminders,
    knowledge: options.knowledge,
  });
  await options.reminders?.start(
    createReminderDelivery({ platforms: { slack: adapter.platform }, store, logger }),
  );
  // The real shared server, as Deskmate serves the route.
  const http = createHttpServer({
    routes: adapter.routes,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
  });
  const serverUrl = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  await adapter.start();
  if (mode === 'socket') await waitUntil(() => adapter.ready(), 'the Socket Mode connection');
  return {
    fake,
    adapter,
    pipeline,
    store,
    eventsUrl: `${serverUrl}/slack/events`,
    waits,
    async stop() {
      await adapter.stop();
      await pipeline.stop();
      await options.reminders?.stop(500);
      http.server.closeAllConnections();
      await http.close();
      await fake.stop();
    },
  };
}
