import { createSkills } from '../../src/skills';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { deliverCommand, deliverEvent, directMessageEvent, slashCommand } from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

describe('Slack messages with nothing to read', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], { text: 'Looks fine to me.' });

  beforeAll(async () => {
    harness = await startSlackHarness({ skills: createSkills(), llm });
  });
  afterAll(() => harness.stop());

  const repliesAfter = (count: number) =>
    harness.fake.state
      .botMessages()
      .slice(count)
      .map((message) => harness.fake.state.visibleText(message));

  test('an empty slash command gets a short hint, and the model is not asked', async () => {
    const before = harness.fake.state.botMessages().length;
    llm.requests.length = 0;
    const fields = slashCommand(harness.fake, {
      command: '/test-feedback',
      text: '',
      user: people.alice.id,
      channel: generalChannel,
    });
    expect((await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([expect.stringContaining('Ask me anything, or try `help`')]);
    expect(llm.requests).toHaveLength(0);
  });

  test("Slack's own notices (a direct message from USLACK) are not answered, like a bot's", async () => {
    const before = harness.fake.state.botMessages().length;
    llm.requests.length = 0;
    const notice = directMessageEvent(harness.fake, {
      user: people.alice.id,
      text: '<@U0ALICE01> archived the channel <#C0GENERAL|general>',
    });
    notice.envelope.event.user = 'USLACK';
    expect((await deliverEvent(harness.eventsUrl, notice.envelope, harness.fake.signingSecret)).status).toBe(
      200,
    );
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([]);
    expect(llm.requests).toHaveLength(0);
  });

  test('an image alone is answered with what Deskmate cannot read yet; a file with other words, with how to have it read', async () => {
    const before = harness.fake.state.botMessages().length;
    llm.requests.length = 0;
    const image = directMessageEvent(harness.fake, { user: people.alice.id, text: '' });
    image.envelope.event.subtype = 'file_share';
    image.envelope.event.files = [
      { id: 'F1', name: 'screenshot.png', mimetype: 'image/png', filetype: 'png' },
    ];
    await deliverEvent(harness.eventsUrl, image.envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([
      "I can't read images yet. Tell me in words what you need, or try `help`.",
    ]);
    expect(llm.requests).toHaveLength(0);

    const withWords = directMessageEvent(harness.fake, {
      user: people.alice.id,
      text: 'what do you think of this layout?',
    });
    withWords.envelope.event.subtype = 'file_share';
    withWords.envelope.event.files = [{ id: 'F2', name: 'layout.pdf', mimetype: 'application/pdf' }];
    await deliverEvent(harness.eventsUrl, withWords.envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const [answer] = repliesAfter(before + 1);
    expect(answer).toContain('Looks fine to me.');
    // A document can be read now, but only when asked: the answer to other words says how.
    expect(answer).toContain("I didn't read the attached file for this answer: say `summarize` or `ask");
  });
});
