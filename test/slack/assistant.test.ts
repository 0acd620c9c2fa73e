import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  assistantContextChangedEvent,
  assistantMessageEvent,
  assistantThreadStartedEvent,
  deliverEvent,
} from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness, waitUntil } from './slack-harness';

/** A private channel Alice and the bot are in, 张三 is not. */
const plansChannel = 'C0PLANS01';

describe('the Slack assistant panel, end to end through Bolt', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], (request) => {
    const transcript = String(request.messages[0].content);
    const numbers = [...transcript.matchAll(/^(\d+) /gm)].map((match) => match[1]);
    return { text: `**TL;DR** The launch moved [${numbers[0]}].` };
  });

  beforeAll(async () => {
    harness = await startSlackHarness({
      llm,
      prepare: (fake) =>
        fake.state.addChannel({
          id: plansChannel,
          name: 'plans',
          members: [people.alice.id, fake.state.botUserId],
          isPrivate: true,
        }),
    });
  });
  afterAll(() => harness.stop());

  const callsOf = (method: string) =>
    harness.fake.state.assistantCalls.filter((call) => call.method === method);

  test('opening the panel shows suggested prompts in English and Chinese', async () => {
    const { threadTs, channel, envelope } = assistantThreadStartedEvent(harness.fake, {
      user: people.alice.id,
      contextChannel: generalChannel,
    });
    const answer = await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    await waitUntil(() => callsOf('assistant.threads.setSuggestedPrompts').length > 0, 'suggested prompts');
    const call = callsOf('assistant.threads.setSuggestedPrompts')[0];
    expect(call.args).toMatchObject({ channel_id: channel, thread_ts: threadTs });
    const prompts = call.args.prompts as Array<{ title: string; message: string }>;
    expect(prompts.length).toBeGreaterThan(1);
    expect(prompts.length).toBeLessThanOrEqual(4);
    expect(prompts.some((prompt) => /[A-Za-z]/.test(prompt.title))).toBe(true);
    expect(prompts.some((prompt) => /\p{Script=Han}/u.test(prompt.title))).toBe(true);
    // Opened beside #general: summarizing the channel being viewed is offered first.
    expect(prompts[0]).toEqual({ title: 'Summarize this channel', message: 'summarize this channel' });
  });

  /** Open the panel beside `contextChannel` and write `text` in it; the panel's new messages come back. */
  const askInPanel = async (user: string, contextChannel: string, text: string) => {
    const started = assistantThreadStartedEvent(harness.fake, { user, contextChannel });
    await deliverEvent(harness.eventsUrl, started.envelope, harness.fake.signingSecret);
    const before = harness.fake.state.botMessages().length;
    const envelope = assistantMessageEvent(harness.fake, {
      user,
      channel: started.channel,
      threadTs: started.threadTs,
      text,
    });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    return { started, replies: harness.fake.state.botMessages().slice(before) };
  };

  test('"summarize this channel" in the panel beside #general summarizes #general, in the panel', async () => {
    harness.fake.state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: 'Launch moves to May 3.',
    });
    harness.fake.state.userSays({
      channel: generalChannel,
      user: people.alice.id,
      text: 'Docs freeze on May 1.',
    });
    const requestsBefore = llm.requests.length;
    const { started, replies } = await askInPanel(people.alice.id, generalChannel, 'summarize this channel');
    expect(llm.requests.length).toBe(requestsBefore + 1);
    const transcript = String(llm.requests.at(-1)?.messages[0].content);
    expect(transcript).toContain('Launch moves to May 3.');
    expect(transcript).toContain('Docs freeze on May 1.');
    const reply = replies.at(-1);
    expect(reply?.channel).toBe(started.channel);
    expect(reply?.threadTs).toBe(started.threadTs);
    const text = reply ? harness.fake.state.visibleText(reply) : '';
    expect(text).toContain('Summary of this channel, the last 24 hours');
    expect(text).toContain('The launch moved');
    expect(text).not.toContain('paste a link');
    // Nothing went to #general itself.
    expect(replies.every((message) => message.channel === started.channel)).toBe(true);
  });

  test('beside a private channel the asker is not in, the panel refuses and reads nothing', async () => {
    harness.fake.state.userSays({ channel: plansChannel, user: people.alice.id, text: 'Secret reorg plan.' });
    const requestsBefore = llm.requests.length;
    const { replies } = await askInPanel(people.zhang.id, plansChannel, '总结');
    expect(llm.requests.length).toBe(requestsBefore);
    const text = replies.map((message) => harness.fake.state.visibleText(message)).join('\n');
    expect(text).toContain('不是它的成员');
    expect(text).not.toContain('Secret reorg plan');
  });

  test('beside a private channel the asker is in, the summary is answered only in their panel', async () => {
    const { started, replies } = await askInPanel(people.alice.id, plansChannel, 'summarize this channel');
    expect(String(llm.requests.at(-1)?.messages[0].content)).toContain('Secret reorg plan.');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((message) => message.channel === started.channel)).toBe(true);
    expect(harness.fake.state.visibleText(replies.at(-1) ?? replies[0])).toContain('The launch moved');
  });

  test('after the person moves to another channel, "this channel" follows them', async () => {
    const started = assistantThreadStartedEvent(harness.fake, {
      user: people.alice.id,
      contextChannel: generalChannel,
    });
    await deliverEvent(harness.eventsUrl, started.envelope, harness.fake.signingSecret);
    harness.fake.state.userSays({
      channel: plansChannel,
      user: people.alice.id,
      text: 'Budget review on Friday.',
    });
    const moved = assistantContextChangedEvent(harness.fake, {
      user: people.alice.id,
      channel: started.channel,
      threadTs: started.threadTs,
      contextChannel: plansChannel,
    });
    expect((await deliverEvent(harness.eventsUrl, moved, harness.fake.signingSecret)).status).toBe(200);
    const envelope = assistantMessageEvent(harness.fake, {
      user: people.alice.id,
      channel: started.channel,
      threadTs: started.threadTs,
      text: 'summarize this channel',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const transcript = String(llm.requests.at(-1)?.messages[0].content);
    expect(transcript).toContain('Budget review on Friday.');
    expect(transcript).not.toContain('Launch moves to May 3.');
  });

  test('a message in an assistant thread is answered in that thread, with status and title set', async () => {
    const started = assistantThreadStartedEvent(harness.fake, {
      user: people.zhang.id,
      contextChannel: generalChannel,
    });
    await deliverEvent(harness.eventsUrl, started.envelope, harness.fake.signingSecret);
    const before = harness.fake.state.botMessages().length;
    const envelope = assistantMessageEvent(harness.fake, {
      user: people.zhang.id,
      channel: started.channel,
      threadTs: started.threadTs,
      text: '帮助',
    });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].channel).toBe(started.channel);
    expect(replies[0].threadTs).toBe(started.threadTs);
    expect(harness.fake.state.visibleText(replies[0])).toContain('办公助手');
    const inThread = (method: string) =>
      callsOf(method).filter((call) => call.args.thread_ts === started.threadTs);
    await waitUntil(
      () =>
        inThread('assistant.threads.setTitle').length > 0 &&
        inThread('assistant.threads.setStatus').length > 0,
      'the thread title and status',
    );
    expect(inThread('assistant.threads.setStatus')[0].args.status).toBe('is thinking…');
    expect(inThread('assistant.threads.setTitle')[0].args.title).toBe('帮助');
  });
});
