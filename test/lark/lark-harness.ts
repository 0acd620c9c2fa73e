import { createLarkAdapter, type LarkAdapterOptions } from '../../adapters/lark';
import type { Adapter } from '../../src/core/adapter';
import type { ChatPlatform } from '../../src/core/chat-platform';
import type { JobQueue } from '../../src/core/job-queue';
import type { LlmProvider } from '../../src/core/llm-provider';
import type { KnowledgeBase, Skill } from '../../src/core/skill';
import type { StateStore } from '../../src/core/state-store';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { FakeLarkServer } from '../fakes/lark-open-api';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline';

/** People and chats every Lark test starts with. */
export const people = {
  alice: { openId: 'ou_alice000000000000000000000000000', name: 'Alice', timezone: 'Asia/Shanghai' },
  zhangsan: { openId: 'ou_zhangsan000000000000000000000000', name: '张三', timezone: 'Asia/Shanghai' },
  stranger: { openId: 'ou_stranger00000000000000000000000', name: 'Stranger' },
};
/** The group chat Alice and 张三 are in, with the bot. */
export const groupChatId = 'oc_group0000000000000000000000000000';

/** A running fake Lark, a Deskmate pipeline with the Lark adapter, and (webhook mode) a server for its route. */
import { waitUntil } from '../helpers/wait';

export { waitUntil };

export interface LarkHarness {
  fake: FakeLarkServer;
  adapter: Adapter;
  pipeline: TestPipeline;
  store: StateStore;
  /** The webhook URL (webhook mode). */
  eventsUrl: string;
  /** The app's Encrypt Key (events are encrypted and signed with it). */
  encryptKey: string;
  /** Base URL of the server hosting the route. */
  serverUrl: string;
  /** Every wait the adapter asked for (rate limits, pacing), in ms. */
  waits: number[];
  stop(): Promise<void>;
}

/** Options for a harness. */
export interface HarnessOptions {
  mode?: 'webhook' | 'ws';
  llm?: LlmProvider;
  /** Wrap the real queue (e.g. to make it fail). */
  wrapQueue?: (queue: JobQueue) => JobQueue;
  adapter?: Partial<LarkAdapterOptions>;
  /** The current time skills see (default: the clock). */
  now?: () => Date;
  /** The skills (default: all of them). */
  skills?: Skill[];
  /** The knowledge base skills search and add to. */
  knowledge?: KnowledgeBase;
  /** Wrap the adapter's platform port as the pipeline sees it. */
  wrapPlatform?: (platform: ChatPlatform) => ChatPlatform;
}

/** Start the fake, the adapter and the pipeline; waits are recorded and returned at once. */
export async function startLarkHarness(options: HarnessOptions = {}): Promise<LarkHarness> {
  const fake = new FakeLarkServer();
  await fake.start();
  for (const person of Object.values(people)) fake.state.addUser(person);
  fake.state.addChat({
    chatId: groupChatId,
    type: 'group',
    members: [people.alice.openId, people.zhangsan.openId],
  });

  const logger = createLogger({ level: 'silent' });
  const store = createMemoryStateStore();
  const baseQueue = createMemoryQueue({ store, logger });
  const queue = options.wrapQueue ? options.wrapQueue(baseQueue) : baseQueue;
  const waits: number[] = [];
  const adapter = createLarkAdapter({
    appId: fake.appId,
    appSecret: fake.appSecret,
    encryptKey: fake.encryptKey,
    verificationToken: fake.verificationToken,
    domain: fake.url,
    mode: options.mode ?? 'webhook',
    queue,
    store,
    logger,
    // Waits are recorded, and kept short so tests stay fast (pacing still spaces card updates apart).
    sleep: (milliseconds) => {
      waits.push(milliseconds);
      return new Promise((resolve) => setTimeout(resolve, Math.min(milliseconds, 150)));
    },
    ...options.adapter,
  });
  const pipeline = await startTestPipeline({
    platforms: { lark: options.wrapPlatform ? options.wrapPlatform(adapter.platform) : adapter.platform },
    queue,
    store,
    llm: options.llm,
    now: options.now,
    skills: options.skills,
    knowledge: options.knowledge,
  });
  // The real shared server, as Deskmate serves the route.
  const http = createHttpServer({
    routes: adapter.routes,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
  });
  const serverUrl = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  await adapter.start();
  if ((options.mode ?? 'webhook') === 'ws')
    await waitUntil(() => adapter.ready(), 'the long connection to be ready');
  return {
    fake,
    adapter,
    pipeline,
    store,
    eventsUrl: `${serverUrl}/lark/events`,
    encryptKey: fake.encryptKey,
    serverUrl,
    waits,
    async stop() {
      await adapter.stop();
      await pipeline.stop();
      http.server.closeAllConnections();
      await http.close();
      await fake.stop();
    },
  };
}
