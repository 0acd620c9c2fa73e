import { assistantMessageEvent, assistantThreadStartedEvent, deliverEvent } from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness, waitUntil } from './slack-harness';

describe('the Slack assistant panel, end to end through Bolt', () => {
  let harness: SlackHarness;

  beforeAll(async () => {
    harness = await startSlackHarness();
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
