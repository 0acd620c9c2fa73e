// Proves, through Bolt and the fake Web API: a private conversation's summary never lands where others can
// read it (by mention, slash command or model routing it goes privately to the asker, saying why); a
// refusal reaches the refused person privately even when Slack cannot show them an ephemeral message; and
// todos are neither extracted from nor listed for a conversation the asker is not a member of.
import type { LlmRequest } from '../../src/core/llm-provider';
import { createSkills } from '../../src/skills';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { deliverCommand, deliverEvent, mentionEvent, slashCommand } from '../fakes/slack-events';
import type { FakeSlackMessage } from '../fakes/slack-state';
import { generalChannel, people, type SlackHarness, startSlackHarness } from '../slack/slack-harness';

const privateChannel = 'G0FALCON1';
const publicChannel = 'C0PUBLIC1';
const secret = 'Falcon bid is 42M';

/** The model: routes a message holding a link to `summarize` with that link; summaries repeat line 1. */
function model(request: LlmRequest) {
  const last = String(request.messages.at(-1)?.content ?? '');
  if (request.purpose === 'route') {
    const link = /https?:\/\/\S+/.exec(last)?.[0];
    return link ? { toolCalls: [{ id: 'r1', name: 'summarize', input: { link } }] } : { text: 'hello' };
  }
  const firstLine = /^1 (.*)$/m.exec(last)?.[1] ?? 'nothing';
  return { text: `**TL;DR** ${firstLine} [1]` };
}

describe('answers from private sources stay private', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], model);
  let privateThread: FakeSlackMessage;
  let publicThread: FakeSlackMessage;

  const permalink = (message: FakeSlackMessage) =>
    `${harness.fake.state.workspaceUrl}archives/${message.channel}/p${message.ts.replace('.', '')}`;
  const botMessagesSince = (count: number) => harness.fake.state.botMessages().slice(count);
  /** Bot messages in a channel that everyone in it can see (not ephemeral). */
  const publicIn = (messages: FakeSlackMessage[], channel: string) =>
    messages.filter((message) => message.channel === channel && !message.visibleTo);
  const text = (message: FakeSlackMessage | undefined) =>
    message ? harness.fake.state.visibleText(message) : '';

  beforeAll(async () => {
    harness = await startSlackHarness({ mode: 'http', llm, skills: createSkills() });
    const state = harness.fake.state;
    state.addChannel({
      id: privateChannel,
      name: 'falcon',
      members: [people.alice.id, state.botUserId],
      isPrivate: true,
    });
    state.addChannel({
      id: publicChannel,
      name: 'announcements',
      members: [people.alice.id, state.botUserId],
    });
    privateThread = state.userSays({ channel: privateChannel, user: people.alice.id, text: secret });
    state.userSays({
      channel: privateChannel,
      user: people.alice.id,
      text: 'Board decides Monday.',
      threadTs: privateThread.ts,
    });
    publicThread = state.userSays({
      channel: publicChannel,
      user: people.alice.id,
      text: 'Office moves in May',
    });
  });
  afterAll(() => harness.stop());

  async function mention(user: string, words: string, channel = generalChannel) {
    const { envelope } = mentionEvent(harness.fake, { channel, user, text: `{bot} ${words}` });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
  }

  /**
   * The summary reached Alice alone: ephemeral in #general, saying why (a slash command's answers are all
   * private, so they need no reason); nothing public there holds it.
   */
  function expectPrivateToAlice(sent: FakeSlackMessage[], saysWhy = true) {
    const summary = sent.find((message) => text(message).includes(secret));
    expect(summary?.visibleTo).toBe(people.alice.id);
    if (saysWhy) expect(text(summary)).toMatch(/Only you can see this/);
    expect(publicIn(sent, generalChannel).map(text).join('\n')).not.toContain('Falcon');
  }

  test('asked by mention in #general, a private channel’s summary goes to the asker only', async () => {
    const before = harness.fake.state.botMessages().length;
    await mention(people.alice.id, `summarize ${permalink(privateThread)}`);
    expectPrivateToAlice(botMessagesSince(before));
  });

  test('asked by /summarize in #general, the same', async () => {
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/summarize',
      text: permalink(privateThread),
      user: people.alice.id,
      channel: generalChannel,
    });
    expect((await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const viaResponseUrl = harness.fake.responseUrlPosts.map((post) => JSON.stringify(post)).join('\n');
    expect(viaResponseUrl).not.toMatch(/in_channel.*Falcon/);
    expectPrivateToAlice(botMessagesSince(before), false);
  });

  test('asked in free words the model routes, the same', async () => {
    const before = harness.fake.state.botMessages().length;
    const routedBefore = llm.requests.length;
    await mention(people.alice.id, `what happened in ${permalink(privateThread)} ?`);
    expect(llm.requests.slice(routedBefore).map((request) => request.purpose)).toContain('route');
    expectPrivateToAlice(botMessagesSince(before));
  });

  test('a public channel’s summary is answered in #general for everyone', async () => {
    const before = harness.fake.state.botMessages().length;
    await mention(people.alice.id, `summarize ${permalink(publicThread)}`);
    const shown = publicIn(botMessagesSince(before), generalChannel);
    expect(shown.map(text).join('\n')).toContain('Office moves in May');
    expect(shown.map(text).join('\n')).not.toMatch(/Only you can see this/);
  });

  test('a model that names a conversation the person did not cannot make Deskmate read it', async () => {
    const readsBefore = harness.fake.callsTo('conversations.replies').length;
    const hostile = new ScriptedLlm([], (request) =>
      request.purpose === 'route'
        ? { toolCalls: [{ id: 'h1', name: 'summarize', input: { link: permalink(privateThread) } }] }
        : model(request),
    );
    const other = await startSlackHarness({ mode: 'http', llm: hostile, skills: createSkills() });
    try {
      other.fake.state.addChannel({
        id: privateChannel,
        name: 'falcon',
        members: [people.alice.id, other.fake.state.botUserId],
        isPrivate: true,
      });
      other.fake.state.userSays({ channel: privateChannel, user: people.alice.id, text: secret });
      const { envelope } = mentionEvent(other.fake, {
        channel: generalChannel,
        user: people.alice.id,
        text: '{bot} hello there',
      });
      await deliverEvent(other.eventsUrl, envelope, other.fake.signingSecret);
      await other.pipeline.drain();
      const read = [
        ...other.fake.callsTo('conversations.replies'),
        ...other.fake.callsTo('conversations.history'),
      ];
      expect(read.filter((call) => call.args.channel === privateChannel)).toEqual([]);
      expect(hostile.requests.map((request) => JSON.stringify(request.messages)).join('\n')).not.toContain(
        'Falcon',
      );
    } finally {
      await other.stop();
    }
    expect(harness.fake.callsTo('conversations.replies').length).toBe(readsBefore);
  });

  test('a refusal reaches a person Slack cannot show an ephemeral message to by DM, never the channel', async () => {
    // The stranger is not in #general (they left after writing): Slack refuses an ephemeral message there.
    const before = harness.fake.state.botMessages().length;
    await mention(people.stranger.id, `summarize ${permalink(privateThread)}`);
    const sent = botMessagesSince(before);
    expect(publicIn(sent, generalChannel)).toEqual([]);
    const direct = harness.fake.state.directChannel(people.stranger.id).id;
    const refusal = sent.find((message) => message.channel === direct);
    expect(text(refusal)).toMatch(/not a member/);
    expect(sent.map(text).join('\n')).not.toContain('Falcon');
  });

  test('todos are not extracted from, nor listed for, a conversation the asker is not a member of', async () => {
    const requestsBefore = llm.requests.length;
    const before = harness.fake.state.botMessages().length;
    // The stranger writes inside the private thread (Slack Connect guests and people who left can).
    const { envelope } = mentionEvent(harness.fake, {
      channel: privateChannel,
      user: people.stranger.id,
      text: '{bot} todo from this thread',
      threadTs: privateThread.ts,
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await mention(people.stranger.id, 'todo list', privateChannel);
    expect(llm.requests.slice(requestsBefore)).toEqual([]);
    const sent = botMessagesSince(before);
    expect(publicIn(sent, privateChannel)).toEqual([]);
    expect(sent.map(text).filter((words) => /not a member/.test(words))).toHaveLength(2);
    expect(sent.map(text).join('\n')).not.toContain('Falcon');
  });
});
