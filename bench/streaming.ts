/**
 * Streaming latency (`npm run bench -- streaming`): a fake model with a known time to first token streams a
 * draft through the real worker and Slack adapter to the fake Slack Web API (native streaming). Reports the
 * delay from the model's first token to the first platform update (`chat.startStream`) and the update rate.
 */
import { createSlackAdapter } from '../adapters/slack';
import { createLogger } from '../src/logger';
import { createMemoryQueue } from '../src/pipeline/memory-queue';
import { createJobHandler } from '../src/pipeline/worker';
import { createSkills } from '../src/skills';
import { createMemoryStateStore } from '../src/state/memory-state-store';
import { FakeSlackServer } from '../test/fakes/slack-web-api';
import { inboundMessage } from '../test/helpers/messages';
import { prepareSlackWorkspace, slackAuthor, slackChannel } from '../test/helpers/served-deskmate';
import { SlowStreamingModel } from './slow-model';

/** One streamed answer's figures. */
export interface StreamingFigures {
  /** Model's first token → first platform update (ms). */
  firstUpdateMs: number;
  /** Platform updates per second while the answer streamed. */
  updatesPerSecond: number;
  /** Model time to first token (ms), as configured. */
  modelFirstTokenMs: number;
}

/** Stream one answer of 100 tokens, one every 20 ms, after 300 ms to the first token. */
export async function streamingRun(): Promise<StreamingFigures> {
  const fake = new FakeSlackServer();
  await fake.start();
  prepareSlackWorkspace(fake);
  const logger = createLogger({ level: 'silent' });
  const store = createMemoryStateStore();
  const queue = createMemoryQueue({ store, logger });
  const adapter = createSlackAdapter({
    botToken: fake.botToken,
    signingSecret: fake.signingSecret,
    apiUrl: fake.apiUrl,
    queue,
    store,
    logger,
  });
  await adapter.start();
  const model = new SlowStreamingModel({ firstTokenMs: 300, tokenIntervalMs: 20, tokens: 100 });
  await queue.start(
    createJobHandler({
      platforms: { slack: adapter.platform },
      skills: createSkills(),
      llm: model,
      store,
      logger,
      settings: { defaultTimezone: 'UTC' },
    }),
  );
  const updateTimes: number[] = [];
  const originalHandle = fake.state.onBotMessage;
  fake.state.onBotMessage = (message) => {
    updateTimes.push(performance.now());
    originalHandle?.(message);
  };
  const root = fake.state.userSays({
    channel: slackChannel,
    user: slackAuthor.id,
    text: 'Laptops arrive Tuesday.',
  });
  const message = inboundMessage('draft a note to the team that the laptops arrive Tuesday', {
    conversation: {
      platform: 'slack',
      workspace: fake.state.teamId,
      channel: slackChannel,
      thread: root.ts,
      kind: 'group',
    },
    author: { id: slackAuthor.id, name: 'Alice' },
    via: 'mention',
    inThread: true,
    platformData: { userId: slackAuthor.id, teamId: fake.state.teamId },
  });
  const appendsBefore = fake.callsTo('chat.appendStream').length;
  await queue.enqueue(message);
  await queue.drain();
  const finishedAt = performance.now();
  const appends = fake.callsTo('chat.appendStream').length - appendsBefore;
  const firstToken = model.firstTokenTimes[0];
  const firstUpdate = updateTimes[0];
  await queue.stop(1000);
  await adapter.stop();
  await fake.stop();
  return {
    firstUpdateMs: firstUpdate - firstToken,
    updatesPerSecond: ((appends + 1) / (finishedAt - firstUpdate)) * 1000,
    modelFirstTokenMs: 300,
  };
}
