import { createSkills } from '../../src/skills';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { deliverEvent, directMessageEvent, mentionEvent } from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

describe('summarize on Slack, end to end through Bolt and the fake Web API', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], (request) => {
    const transcript = String(request.messages[0].content);
    const numbers = [...transcript.matchAll(/^(\d+) /gm)].map((match) => match[1]);
    return { text: `**TL;DR** Release moves to Friday [${numbers[0]}][${numbers.at(-1)}] [77].` };
  });

  beforeAll(async () => {
    harness = await startSlackHarness({ mode: 'http', llm, skills: createSkills() });
  });
  afterAll(() => harness.stop());

  const seedThread = () => {
    const state = harness.fake.state;
    const root = state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: 'Can we ship on Friday?',
    });
    state.userSays({
      channel: generalChannel,
      user: people.alice.id,
      text: 'Yes, code freeze Thursday.',
      threadTs: root.ts,
    });
    state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: 'Decision: ship Friday.',
      threadTs: root.ts,
    });
    return root;
  };

  test("summarize in a thread: citations become permalinks to the thread's messages; invented ones are dropped", async () => {
    const root = seedThread();
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
      threadTs: root.ts,
    });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const reply = harness.fake.state.botMessages().slice(before).at(-1);
    const text = reply ? harness.fake.state.visibleText(reply) : '';
    expect(text).toContain('Release moves to Friday');
    // The invented citation [77] is gone (timestamps in the links may contain "77" by chance).
    expect(text).not.toContain('[77]');
    const permalinks = [...text.matchAll(/archives\/C0GENERAL\/p(\d+)/g)].map((match) => match[1]);
    expect(permalinks).toEqual([root.ts.replace('.', ''), expect.any(String)]);
  });

  test('in a DM, a pasted permalink to a thread gets that thread summarized', async () => {
    const root = seedThread();
    const link = `${harness.fake.state.workspaceUrl}archives/${generalChannel}/p${root.ts.replace('.', '')}`;
    const requestsBefore = llm.requests.length;
    const before = harness.fake.state.botMessages().length;
    const { envelope } = directMessageEvent(harness.fake, {
      user: people.alice.id,
      text: `summarize ${link}`,
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(llm.requests.length).toBe(requestsBefore + 1);
    expect(String(llm.requests.at(-1)?.messages[0].content)).toContain('Decision: ship Friday.');
    const reply = harness.fake.state.botMessages().slice(before).at(-1);
    expect(reply && harness.fake.state.visibleText(reply)).toContain('Summary of the linked conversation');
  });

  test.each([
    [
      'a channel link',
      (state: SlackHarness['fake']['state']) => `${state.workspaceUrl}archives/${generalChannel}`,
    ],
    [
      'a web client link',
      (state: SlackHarness['fake']['state']) =>
        `https://app.slack.com/client/${state.teamId}/${generalChannel}`,
    ],
  ])('in a DM, %s gets the whole channel summarized', async (_kind, linkTo) => {
    seedThread();
    const requestsBefore = llm.requests.length;
    const before = harness.fake.state.botMessages().length;
    const { envelope } = directMessageEvent(harness.fake, {
      user: people.alice.id,
      text: `summarize ${linkTo(harness.fake.state)}`,
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(llm.requests.length).toBe(requestsBefore + 1);
    // The channel's messages (the thread's first one among them), not a thread's replies only.
    expect(String(llm.requests.at(-1)?.messages[0].content)).toContain('Can we ship on Friday?');
    const reply = harness.fake.state.botMessages().slice(before).at(-1);
    expect(reply && harness.fake.state.visibleText(reply)).toContain('Summary of the linked conversation');
  });
});
