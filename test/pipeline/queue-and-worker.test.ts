import { DeskmateError, LlmError } from '../../src/core/errors';
import type { JobQueue } from '../../src/core/job-queue';
import type { Skill } from '../../src/core/skill';
import type { StateStore } from '../../src/core/state-store';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createRedisQueue } from '../../src/pipeline/redis-queue';
import { createJobHandler } from '../../src/pipeline/worker';
import { createSkills } from '../../src/skills';
import { noArguments } from '../../src/skills/arguments';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { createCaptureLogger } from '../helpers/capture-logger';
import { inboundMessage } from '../helpers/messages';
import { testRedisUrl } from '../helpers/test-redis';

function failingSkill(runs: { count: number }): Skill {
  return {
    name: 'explode',
    commandWords: ['explode', '爆炸'],
    description: 'always fails',
    ...noArguments,
    help: { en: 'fails', zh: '失败', examples: [] },
    async run() {
      runs.count += 1;
      throw new LlmError('throttled', 'model said 429', { retryable: true });
    },
  };
}

function countingSkill(runs: { count: number }): Skill {
  return {
    name: 'count',
    commandWords: ['count'],
    description: 'counts',
    ...noArguments,
    help: { en: 'counts', zh: '计数', examples: [] },
    async run() {
      runs.count += 1;
      return { markdown: `run ${runs.count}` };
    },
  };
}

type QueueFactory = (
  store: StateStore,
  logger: ReturnType<typeof createCaptureLogger>['logger'],
) => Promise<{ queue: JobQueue; store: StateStore }>;

let suffix = 0;
const factories: Array<[string, () => QueueFactory]> = [
  [
    'memory queue',
    () => async (_store, logger) => {
      const store = createMemoryStateStore();
      return { queue: createMemoryQueue({ store, logger }), store };
    },
  ],
  [
    'Redis queue',
    () => async (_store, logger) => {
      const prefix = `queue-test-${process.pid}-${++suffix}:`;
      const store = createRedisStateStore({ url: testRedisUrl(), prefix });
      await store.ping();
      return {
        queue: createRedisQueue({ url: testRedisUrl(), prefix, logger, sweepIntervalMs: 100 }),
        store,
      };
    },
  ],
];

describe.each(factories)('%s with the worker', (_name, makeFactory) => {
  let queue: JobQueue;
  let store: StateStore;
  let platform: RecordingPlatform;
  let capture: ReturnType<typeof createCaptureLogger>;
  const runs = { count: 0 };
  /** Jobs whose finish was recorded (the audit record's write, which takes a moment). */
  let recorded: string[] = [];

  beforeEach(async () => {
    runs.count = 0;
    recorded = [];
    capture = createCaptureLogger();
    platform = new RecordingPlatform('console');
    ({ queue, store } = await makeFactory()(createMemoryStateStore(), capture.logger));
    const skills = [...createSkills(), failingSkill(runs), countingSkill(runs)];
    await queue.start(
      createJobHandler({
        platforms: { console: platform },
        skills,
        llm: new ScriptedLlm(),
        store,
        logger: capture.logger,
        settings: { defaultTimezone: 'UTC' },
        onJobFinished: async ({ jobId }) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          recorded.push(jobId);
        },
      }),
    );
  });

  afterEach(async () => {
    await queue.stop(1000);
    await store.close();
  });

  test('a skill that throws yields one polite reply and one error log line', async () => {
    expect(await queue.enqueue(inboundMessage('explode now'))).toBe('accepted');
    await queue.drain();
    expect(platform.visibleMessages()).toEqual([
      "I couldn't finish that: the model is busy. Try again in a minute.",
    ]);
    const errors = capture.lines.filter((line) => Number(line.level) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'throttled', skill: 'explode', msg: 'job failed' });
    expect(runs.count).toBe(1);
  });

  test("the polite reply is in the asker's language", async () => {
    await queue.enqueue(inboundMessage('爆炸 一下'));
    await queue.drain();
    expect(platform.visibleMessages()).toEqual(['没能完成：模型当前繁忙，请一分钟后再试。']);
  });

  test('a job delivered twice with the same event id runs once', async () => {
    const message = inboundMessage('count');
    expect(await queue.enqueue(message)).toBe('accepted');
    expect(await queue.enqueue({ ...message })).toBe('duplicate');
    await queue.drain();
    expect(await queue.enqueue({ ...message })).toBe('duplicate');
    await queue.drain();
    expect(runs.count).toBe(1);
    expect(platform.visibleMessages()).toEqual(['run 1']);
  });

  test('one post delivered under two event ids (mention + message event) runs once', async () => {
    const message = inboundMessage('count');
    await queue.enqueue(message);
    expect(await queue.enqueue({ ...message, eventId: 'another-event' })).toBe('duplicate');
    await queue.drain();
    expect(runs.count).toBe(1);
  });

  test('a job whose reply and apology both fail to post runs again, and then answers once', async () => {
    platform.failPosts = 2;
    await queue.enqueue(inboundMessage('count'));
    await queue.drain();
    expect(runs.count).toBe(2);
    expect(platform.visibleMessages()).toEqual(['run 2']);
  });

  test("a drained queue has written every job's record (an audit export right after misses none)", async () => {
    await queue.enqueue(inboundMessage('count'));
    await queue.enqueue(inboundMessage('explode now'));
    await queue.drain();
    expect(recorded).toHaveLength(2);
  });

  test('different messages all run', async () => {
    for (let index = 0; index < 5; index += 1) await queue.enqueue(inboundMessage('count'));
    await queue.drain();
    expect(runs.count).toBe(5);
    expect(platform.sends.filter((send) => send.kind === 'post')).toHaveLength(5);
  });
});

test('a job that runs again updates the message it already posted instead of posting a second', async () => {
  const store = createMemoryStateStore();
  const platform = new RecordingPlatform('console');
  const runs = { count: 0 };
  const handler = createJobHandler({
    platforms: { console: platform },
    skills: [...createSkills(), countingSkill(runs)],
    llm: new ScriptedLlm(),
    store,
    logger: createCaptureLogger().logger,
    settings: { defaultTimezone: 'UTC' },
  });
  const message = inboundMessage('count');
  const attempt = { jobId: 'job-1', attemptsMade: 1, signal: new AbortController().signal };
  await handler(message, attempt);
  await handler(message, { ...attempt, attemptsMade: 2 });
  expect(platform.sends.map((send) => send.kind)).toEqual(['post', 'update']);
  expect(platform.visibleMessages()).toEqual(['run 2']);
});

test('an answer that meets a passing store failure (a Redis command timed out) is sent once more, not apologised for', async () => {
  const base = createMemoryStateStore();
  let failures = 1;
  // The store's reads of the answer's record time out once, as on a process too busy to read Redis's reply.
  const store: StateStore = {
    ...base,
    async getJson<T>(key: string) {
      if (key.startsWith('posted:') && failures > 0) {
        failures -= 1;
        throw new DeskmateError('unavailable', 'Redis getJson failed', { retryable: true });
      }
      return base.getJson<T>(key);
    },
  };
  const platform = new RecordingPlatform('console');
  const runs = { count: 0 };
  const capture = createCaptureLogger();
  const handler = createJobHandler({
    platforms: { console: platform },
    skills: [...createSkills(), countingSkill(runs)],
    llm: new ScriptedLlm(),
    store,
    logger: capture.logger,
    settings: { defaultTimezone: 'UTC' },
  });
  await handler(inboundMessage('count'), {
    jobId: 'job-1',
    attemptsMade: 1,
    signal: new AbortController().signal,
  });
  expect(failures).toBe(0);
  expect(platform.visibleMessages()).toEqual(['run 1']);
  expect(runs.count).toBe(1);
  expect(capture.lines.map((line) => line.msg)).toContain('answer not sent; sending it once more');
});

test('a job stopped past the grace period posts no apology: it goes back to the queue instead', async () => {
  const store = createMemoryStateStore();
  const platform = new RecordingPlatform('console');
  const { logger } = createCaptureLogger();
  const queue = createMemoryQueue({ store, logger });
  let started = false;
  const waitsForStop: Skill = {
    name: 'wait',
    commandWords: ['wait'],
    description: 'waits until stopped',
    ...noArguments,
    help: { en: 'waits', zh: '等待', examples: [] },
    async run(context) {
      started = true;
      await new Promise((_resolve, reject) =>
        context.signal.addEventListener('abort', () => reject(new LlmError('timeout', 'aborted'))),
      );
      return undefined;
    },
  };
  await queue.start(
    createJobHandler({
      platforms: { console: platform },
      skills: [...createSkills(), waitsForStop],
      llm: new ScriptedLlm(),
      store,
      logger,
      settings: { defaultTimezone: 'UTC' },
    }),
  );
  await queue.enqueue(inboundMessage('wait'));
  while (!started) await new Promise((resolve) => setTimeout(resolve, 5));
  await queue.stop(20);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(platform.visibleMessages()).toEqual([]);
});

test('an expected condition (no model configured, input it cannot use) is one info line without a stack', async () => {
  const platform = new RecordingPlatform('console');
  const capture = createCaptureLogger();
  const throwing = (word: string, error: Error): Skill => ({
    name: word,
    commandWords: [word],
    description: word,
    ...noArguments,
    help: { en: word, zh: word, examples: [] },
    async run() {
      throw error;
    },
  });
  const handler = createJobHandler({
    platforms: { console: platform },
    skills: [
      ...createSkills(),
      throwing('needsmodel', new LlmError('not_configured', 'no language model is configured')),
      throwing('binary', new DeskmateError('bad_input', 'the input is not text')),
    ],
    llm: new ScriptedLlm(),
    store: createMemoryStateStore(),
    logger: capture.logger,
    settings: { defaultTimezone: 'UTC' },
  });
  const attempt = { attemptsMade: 1, signal: new AbortController().signal };
  await handler(inboundMessage('needsmodel'), { ...attempt, jobId: 'job-model' });
  await handler(inboundMessage('binary'), { ...attempt, jobId: 'job-binary' });
  expect(platform.visibleMessages()).toEqual([
    expect.stringMatching(/^No language model is configured/),
    "I didn't understand that. Try `help`.",
  ]);
  // Nothing at warn or above (the console shows warnings), no stack, one line per job.
  expect(capture.lines.filter((line) => Number(line.level) >= 40)).toEqual([]);
  const answered = capture.lines.filter((line) => line.msg === 'job answered with a known condition');
  expect(answered).toEqual([
    expect.objectContaining({ level: 30, code: 'not_configured', skill: 'needsmodel' }),
    expect.objectContaining({ level: 30, code: 'bad_input', skill: 'binary' }),
  ]);
  expect(JSON.stringify(capture.lines)).not.toMatch(/stack|\bat \//);
});
