import type { JobQueue } from '../../src/core/job-queue';
import { requestText, type Skill } from '../../src/core/skill';
import type { StateStore } from '../../src/core/state-store';
import { createLogger } from '../../src/logger';
import { createRedisQueue } from '../../src/pipeline/redis-queue';
import { createJobHandler } from '../../src/pipeline/worker';
import { createSkills } from '../../src/skills';
import { noArguments } from '../../src/skills/arguments';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const logger = createLogger({ level: 'silent' });
let run = 0;

/** A skill that shows progress, then works for `workMs`, then answers. */
function slowSkill(workMs: number, started: string[]): Skill {
  return {
    name: 'slow',
    commandWords: ['slow'],
    description: 'slow',
    ...noArguments,
    help: { en: 'slow', zh: 'slow', examples: [] },
    async run(context) {
      started.push(requestText(context.request));
      await context.respond.progress('working');
      // Works until done. When its process stops it, it does nothing more, as if the process had died: no
      // answer, and no timer left running after the test.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, workMs);
        context.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
      });
      return { markdown: `done ${requestText(context.request)}` };
    },
  };
}

async function startProcess(
  prefix: string,
  name: string,
  platform: RecordingPlatform,
  workMs: number,
  started: string[],
) {
  const store = createRedisStateStore({ url: testRedisUrl(), prefix });
  await store.ping();
  const queue = createRedisQueue({
    url: testRedisUrl(),
    prefix,
    name,
    logger,
    concurrency: 1,
    leaseMs: 1000,
    sweepIntervalMs: 100,
  });
  await queue.start(
    createJobHandler({
      platforms: { console: platform },
      skills: [...createSkills(), slowSkill(workMs, started)],
      llm: new ScriptedLlm(),
      store,
      logger,
      settings: { defaultTimezone: 'UTC' },
    }),
  );
  return { store, queue };
}

describe('shutdown and restart (the Redis queue on a real Redis)', () => {
  let opened: Array<{ store: StateStore; queue: JobQueue }> = [];
  afterEach(async () => {
    for (const { queue, store } of opened) {
      await queue.stop(100);
      await store.close();
    }
    opened = [];
  });

  test('SIGTERM-style stop lets the running job finish and leaves the queued one for the next process', async () => {
    const prefix = `shutdown-${process.pid}-${++run}:`;
    const platform = new RecordingPlatform('console');
    const started: string[] = [];
    const first = await startProcess(prefix, 'jobs', platform, 400, started);
    opened.push(first);
    await first.queue.enqueue(inboundMessage('slow one'));
    await first.queue.enqueue(inboundMessage('slow two'));
    await waitUntil(() => started.length === 1, 'the answer', 15000);
    await first.queue.stop(5000);
    expect(platform.visibleMessages()).toEqual(['done one']);
    expect(started).toEqual(['one']);

    const second = await startProcess(prefix, 'jobs', platform, 10, started);
    opened.push(second);
    await waitUntil(() => platform.visibleMessages()[1] === 'done two', 'the answer', 15000);
    expect(platform.visibleMessages()).toEqual(['done one', 'done two']);
  });

  test('a process that dies mid-job: the next one finishes it and updates the placeholder, one message', async () => {
    const prefix = `crash-${process.pid}-${++run}:`;
    const platform = new RecordingPlatform('console');
    const started: string[] = [];
    const doomed = await startProcess(prefix, 'jobs', platform, 60_000, started);
    await doomed.queue.enqueue(inboundMessage('slow report'));
    await waitUntil(() => platform.sends.length === 1, 'the answer', 15000); // the placeholder is posted
    // Like kill -9: the worker stops without finishing or releasing its lock.
    await doomed.queue.stop(0);
    await doomed.store.close();

    const survivor = await startProcess(prefix, 'jobs', platform, 10, started);
    opened.push(survivor);
    await waitUntil(() => platform.visibleMessages()[0] === 'done report', 'the answer', 15000);
    expect(started).toEqual(['report', 'report']);
    expect(platform.sends.map((send) => send.kind)).toEqual(['post', 'update', 'update']);
    expect(platform.visibleMessages()).toEqual(['done report']);
  });
});
