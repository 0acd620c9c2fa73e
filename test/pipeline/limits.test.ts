import { requestText, type Skill } from '../../src/core/skill';
import { createRequestGuard, type RequestLimits } from '../../src/limits/request-guard';
import { withTokenLimits } from '../../src/limits/token-limits';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createJobHandler } from '../../src/pipeline/worker';
import { createSkills } from '../../src/skills';
import { noArguments } from '../../src/skills/arguments';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { createCaptureLogger } from '../helpers/capture-logger';
import { inboundMessage } from '../helpers/messages';

const open: RequestLimits = {
  allowWorkspaces: [],
  allowChannels: [],
  allowUsers: [],
  userPerMinute: 0,
  workspacePerMinute: 0,
};

const echoSkill: Skill = {
  name: 'echo',
  commandWords: ['echo'],
  description: 'echo',
  ...noArguments,
  help: { en: 'echo', zh: 'echo', examples: [] },
  async run(context) {
    return { markdown: `echo ${requestText(context.request)}` };
  },
};

async function runAll(
  limits: RequestLimits,
  messages: ReturnType<typeof inboundMessage>[],
  outcomes: string[] = [],
) {
  const store = createMemoryStateStore();
  const platform = new RecordingPlatform('console');
  const { logger } = createCaptureLogger();
  const queue = createMemoryQueue({ store, logger });
  await queue.start(
    createJobHandler({
      platforms: { console: platform },
      skills: [...createSkills(), echoSkill],
      llm: new ScriptedLlm(),
      store,
      logger,
      settings: { defaultTimezone: 'UTC' },
      guard: createRequestGuard(store, limits),
      onJobFinished: ({ outcome }) => {
        outcomes.push(outcome);
      },
    }),
  );
  for (const message of messages) await queue.enqueue(message);
  await queue.drain();
  await queue.stop(100);
  return platform;
}

describe('limits', () => {
  test('allow-lists: a channel not on the list gets a private explanation, a listed one runs', async () => {
    const platform = await runAll({ ...open, allowChannels: ['room'] }, [
      inboundMessage('echo hi'),
      inboundMessage('echo there', {
        conversation: { platform: 'console', workspace: 'local', channel: 'other', kind: 'group' },
      }),
    ]);
    const texts = platform.visibleMessages();
    expect(texts).toContain('echo hi');
    expect(texts.some((text) => /isn't enabled here/.test(text))).toBe(true);
    const refusal = platform.sends.find(
      (send) => send.kind === 'post' && /enabled/.test(send.reply.markdown),
    );
    expect(refusal?.kind === 'post' && refusal.options?.privateTo).toBe('U1');
  });

  test('a user over the per-minute rate gets a clear reply; another user is unaffected', async () => {
    const mine = Array.from({ length: 4 }, () => inboundMessage('echo x'));
    const theirs = inboundMessage('echo y', { author: { id: 'U2' } });
    const platform = await runAll({ ...open, userPerMinute: 3 }, [...mine, theirs]);
    const texts = platform.visibleMessages();
    expect(texts.filter((text) => text === 'echo x')).toHaveLength(3);
    expect(texts.filter((text) => /faster than I can take/.test(text))).toHaveLength(1);
    expect(texts).toContain('echo y');
  });

  test('a flood from one person gets one "slow down" notice; the rest are dropped and counted', async () => {
    const flood = Array.from({ length: 100 }, (_, index) => inboundMessage(`echo ${index}`));
    const outcomes: string[] = [];
    const platform = await runAll({ ...open, userPerMinute: 3 }, flood, outcomes);
    const texts = platform.visibleMessages();
    expect(texts.filter((text) => /^echo \d+$/.test(text))).toHaveLength(3);
    expect(texts.filter((text) => /faster than I can take/.test(text))).toHaveLength(1);
    expect(texts).toHaveLength(4);
    expect(outcomes.filter((outcome) => outcome === 'dropped')).toHaveLength(96);
  });

  test('the daily workspace budget stops model calls once used up, with a clear reason', async () => {
    const store = createMemoryStateStore();
    const llm = withTokenLimits(new ScriptedLlm([], { text: 'a'.repeat(50) }), store, {
      maxRequestTokens: 0,
      dailyWorkspaceTokens: 100,
    });
    const request = {
      messages: [{ role: 'user' as const, content: 'hi' }],
      scope: { workspace: 'slack:T1', user: 'U1' },
    };
    await llm.complete(request);
    await llm.complete(request);
    await expect(llm.complete(request)).rejects.toMatchObject({ code: 'budget_exceeded' });
    // Another workspace has its own budget.
    await expect(
      llm.complete({ ...request, scope: { workspace: 'slack:T2', user: 'U1' } }),
    ).resolves.toBeDefined();
  });

  test('a request over the per-call token cap is refused before it reaches the model', async () => {
    const inner = new ScriptedLlm();
    const llm = withTokenLimits(inner, createMemoryStateStore(), {
      maxRequestTokens: 100,
      dailyWorkspaceTokens: 0,
    });
    await expect(
      llm.complete({ messages: [{ role: 'user', content: 'word '.repeat(500) }] }),
    ).rejects.toMatchObject({
      code: 'context_too_long',
      userMessage: { en: expect.stringMatching(/too large/), zh: expect.stringMatching(/太大/) },
    });
    expect(inner.requests).toHaveLength(0);
  });
});
