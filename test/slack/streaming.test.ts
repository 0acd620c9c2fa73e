import { defaultStreamBudgets } from '../../adapters/slack/index';
import { LlmError } from '../../src/core/errors';
import type { LlmProvider, LlmStreamEvent } from '../../src/core/llm-provider';
import { createChatSkill } from '../../src/skills/chat';
import { createDraftSkill } from '../../src/skills/draft';
import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  deliverCommand,
  deliverEvent,
  directMessageEvent,
  mentionEvent,
  slashCommand,
} from '../fakes/slack-events';
import { generalChannel, people, quietChannel, type SlackHarness, startSlackHarness } from './slack-harness';

const answer =
  'Here is the plan for **Friday**: freeze the branch at noon, run the full test suite, ' +
  'then ship at four. Ping <!channel> only if something breaks, and keep @here for emergencies.';

/** A model that streams part of an answer and then fails, as a timed-out model does. */
const failingMidway: LlmProvider = {
  name: 'failing',
  configured: true,
  async complete() {
    throw new LlmError('timeout', 'model timed out', { retryable: false });
  },
  async *stream(): AsyncIterable<LlmStreamEvent> {
    yield { type: 'text', text: 'The first part of the answer ' };
    yield { type: 'text', text: 'arrived before ' };
    throw new LlmError('timeout', 'model timed out', { retryable: false, partialText: 'The first part' });
  },
};

describe('streamed Slack replies', () => {
  let harness: SlackHarness;
  let llm: LlmProvider = new ScriptedLlm([], { text: answer });

  beforeAll(async () => {
    harness = await startSlackHarness({
      skills: [createChatSkill()],
      llm: {
        name: 'switchable',
        configured: true,
        complete: (request) => llm.complete(request),
        stream: (request) => llm.stream(request),
      },
    });
  });
  afterAll(() => harness.stop());

  const lastBotMessage = () => harness.fake.state.botMessages().at(-1)!;

  test('a mention streams with chat.startStream/appendStream and ends with the full text', async () => {
    llm = new ScriptedLlm([], { text: answer });
    const appendsBefore = harness.fake.callsTo('chat.appendStream').length;
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} what is the plan?',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const reply = lastBotMessage();
    expect(reply.threadTs).toBe(message.ts);
    expect(reply.stream?.open).toBe(false);
    // Every piece arrived once, in order, and the mass mentions are inert.
    expect(reply.stream?.markdown).toBe(
      answer.replace('<!channel>', '@\u200bchannel').replace('@here', '@\u200bhere'),
    );
    expect(harness.fake.callsTo('chat.appendStream').length - appendsBefore).toBeGreaterThan(1);
    const start = harness.fake.callsTo('chat.startStream').at(-1);
    expect(start?.args).toMatchObject({
      channel: generalChannel,
      thread_ts: message.ts,
      recipient_user_id: people.alice.id,
      recipient_team_id: harness.fake.state.teamId,
    });
  });

  test('in a Slack Connect channel the stream goes to the asker in their own team, not the installing one', async () => {
    llm = new ScriptedLlm([], { text: answer });
    const partnerTeam = 'T0PARTNER';
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} what is the plan for our partners?',
    });
    // An external person's mention: the envelope is the installing workspace's, the event names their team.
    envelope.event.team = partnerTeam;
    envelope.event.user_team = partnerTeam;
    envelope.event.source_team = partnerTeam;
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const start = harness.fake.callsTo('chat.startStream').at(-1);
    expect(start?.args).toMatchObject({
      thread_ts: message.ts,
      recipient_user_id: people.alice.id,
      recipient_team_id: partnerTeam,
    });
  });

  test('without chat.startStream the reply is posted, updated, and ends with the full text', async () => {
    llm = new ScriptedLlm([], { text: answer });
    harness.fake.missingMethods.add('chat.startStream');
    try {
      const updatesBefore = harness.fake.callsTo('chat.update').length;
      const { message, envelope } = mentionEvent(harness.fake, {
        channel: generalChannel,
        user: people.alice.id,
        text: '{bot} and again?',
      });
      await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
      await harness.pipeline.drain();
      const reply = lastBotMessage();
      expect(reply.threadTs).toBe(message.ts);
      expect(reply.stream).toBeUndefined();
      expect(harness.fake.state.visibleText(reply)).toContain(
        'freeze the branch at noon, run the full test suite, then ship at four.',
      );
      expect(harness.fake.callsTo('chat.update').length - updatesBefore).toBeGreaterThan(1);
    } finally {
      harness.fake.missingMethods.delete('chat.startStream');
    }
  });

  test('a top-level direct message (no thread to stream in) is updated as it grows', async () => {
    llm = new ScriptedLlm([], { text: answer });
    const startsBefore = harness.fake.callsTo('chat.startStream').length;
    const { message, envelope } = directMessageEvent(harness.fake, { user: people.zhang.id, text: 'plan?' });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const reply = lastBotMessage();
    expect(reply.channel).toBe(message.channel);
    expect(reply.threadTs).toBeUndefined();
    expect(harness.fake.state.visibleText(reply)).toContain('then ship at four.');
    expect(harness.fake.callsTo('chat.startStream').length).toBe(startsBefore);
  });

  test('a model failing midway leaves what streamed, then the apology, in one finished message', async () => {
    llm = failingMidway;
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} long one',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].stream?.open).toBe(false);
    const shown = harness.fake.state.visibleText(replies[0]);
    expect(shown).toContain('The first part of the answer arrived before');
    expect(shown).toContain('took too long');
  });

  test('a retried job takes over the reply its first run started instead of streaming a second one', async () => {
    const root = harness.fake.state.userSays({ channel: generalChannel, user: people.alice.id, text: 'go' });
    const conversation = {
      platform: 'slack' as const,
      workspace: harness.fake.state.teamId,
      channel: generalChannel,
      thread: root.ts,
      kind: 'group' as const,
    };
    const options = { idempotencyKey: 'slack-EvRETRIED', platformData: { userId: people.alice.id } };
    const first = await harness.adapter.platform.stream!(conversation, options);
    await first.append('The first run got this far ');
    // The process dies here; the job runs again with the same key.
    const second = await harness.adapter.platform.stream!(conversation, options);
    await second.append('The second run ');
    const ref = await second.finish({ markdown: 'The second run wrote the whole answer.' });
    const thread = harness.fake.state.thread(generalChannel, root.ts).filter((message) => message.botId);
    expect(thread).toHaveLength(1);
    expect(ref.id).toBe(thread[0].ts);
    expect(thread[0].stream).toBeUndefined();
    expect(harness.fake.state.visibleText(thread[0])).toBe('The second run wrote the whole answer.');
  });
});

describe('many Slack replies streaming in one workspace', () => {
  let harness: SlackHarness;
  const perMinute = 60;
  const words = Array.from({ length: 30 }, (_, index) => `word${index} `);
  const whole = words.join('').trim();

  beforeAll(async () => {
    harness = await startSlackHarness({
      skills: [createChatSkill()],
      adapter: { streamBudgets: { appendsPerMinute: perMinute, updatesPerMinute: perMinute } },
    });
  });
  afterAll(() => harness.stop());

  test("the default budgets stay within Slack's tiers: a minute's calls (rate + burst) at most 100 appends, 50 updates", () => {
    for (const budget of Object.values(defaultStreamBudgets))
      expect(budget.perMinute + budget.burst).toBeLessThanOrEqual(budget.tierFloor);
    expect(defaultStreamBudgets.append.tierFloor).toBe(100);
    expect(defaultStreamBudgets.update.tierFloor).toBe(50);
  });

  /** Twenty replies started together, each given a word at a time as fast as a model can stream. */
  async function streamTwentyAtOnce(firstThread: number, burst: number) {
    const teamId = harness.fake.state.teamId;
    const started = Date.now();
    const streams = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        harness.adapter.platform.stream!(
          {
            platform: 'slack',
            workspace: teamId,
            channel: generalChannel,
            thread: `1700000000.${String(firstThread + index).padStart(6, '0')}`,
            kind: 'group',
          },
          { platformData: { userId: people.alice.id, teamId } },
        ),
      ),
    );
    for (const word of words) await Promise.all(streams.map((stream) => stream.append(word)));
    const refs = await Promise.all(streams.map((stream) => stream.finish({ markdown: whole })));
    const messages = refs.map((ref) =>
      harness.fake.state.botMessages().find((candidate) => candidate.ts === ref.id),
    );
    // The workspace's budget allows its burst plus one call a second; unpaced it would be 20 × 29.
    return { messages, allowed: burst + Math.ceil(((Date.now() - started) / 60_000) * perMinute) };
  }

  test("share the workspace's append budget, and each still ends with its whole text", async () => {
    const appendsBefore = harness.fake.callsTo('chat.appendStream').length;
    const { messages, allowed } = await streamTwentyAtOnce(0, defaultStreamBudgets.append.burst);
    const appends = harness.fake.callsTo('chat.appendStream').length - appendsBefore;
    expect(appends).toBeGreaterThan(0);
    expect(appends).toBeLessThanOrEqual(allowed);
    for (const message of messages) expect(message?.stream).toEqual({ markdown: whole, open: false });
  });

  test('without Slack streaming, share the budget of updates the same way, and end with the whole text', async () => {
    harness.fake.missingMethods.add('chat.startStream');
    try {
      const updatesBefore = harness.fake.callsTo('chat.update').length;
      const { messages, allowed } = await streamTwentyAtOnce(100, defaultStreamBudgets.update.burst);
      // Each reply's final update is not paced: the whole text always lands.
      const updates = harness.fake.callsTo('chat.update').length - updatesBefore - messages.length;
      expect(updates).toBeGreaterThan(0);
      expect(updates).toBeLessThanOrEqual(allowed);
      for (const message of messages)
        expect(message && harness.fake.state.visibleText(message)).toContain(whole);
    } finally {
      harness.fake.missingMethods.delete('chat.startStream');
    }
  });
});

describe('a streamed answer to a slash command', () => {
  let harness: SlackHarness;
  const draft = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

  beforeAll(async () => {
    harness = await startSlackHarness({
      skills: [createChatSkill(), createDraftSkill()],
      llm: new ScriptedLlm([], { text: draft }),
    });
  });
  afterAll(() => harness.stop());

  async function command(channel: string) {
    const fields = slashCommand(harness.fake, {
      command: '/draft',
      text: 'a reminder that the report is due Friday',
      user: people.alice.id,
      channel,
    });
    expect((await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    return fields.response_url;
  }

  test('in a channel with Deskmate: one private message with the whole draft, nothing streamed or public', async () => {
    const before = harness.fake.state.botMessages().length;
    const calls = (method: string) => harness.fake.callsTo(method).length;
    const [starts, posts, updates] = [
      calls('chat.startStream'),
      calls('chat.postMessage'),
      calls('chat.update'),
    ];
    await command(generalChannel);
    const answers = harness.fake.state.botMessages().slice(before);
    expect(answers).toHaveLength(1);
    expect(answers[0].visibleTo).toBe(people.alice.id);
    expect(harness.fake.state.visibleText(answers[0])).toContain('word0 word1');
    expect(harness.fake.state.visibleText(answers[0])).toContain('word39');
    expect([calls('chat.startStream'), calls('chat.postMessage'), calls('chat.update')]).toEqual([
      starts,
      posts,
      updates,
    ]);
  });

  test('in a channel Deskmate is not in: the response_url is used once, with the whole draft', async () => {
    const before = harness.fake.state.botMessages().length;
    const url = await command(quietChannel);
    const posts = harness.fake.responseUrlPosts.filter((post) => url.endsWith(post.id));
    expect(posts).toHaveLength(1);
    expect(String(posts[0].body.text)).toContain('word39');
    const answers = harness.fake.state.botMessages().slice(before);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ channel: quietChannel, visibleTo: people.alice.id });
  });
});
