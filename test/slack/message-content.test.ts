import { ScriptedLlm } from '../fakes/scripted-llm';
import { deliverEvent, directMessageEvent, mentionEvent, slackFixture } from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

/** The real-shaped history items whose content is in attachments and blocks. */
const [jira, github, forwarded, preview] = slackFixture<{ messages: Array<Record<string, unknown>> }>(
  'history-attachments.json',
).messages;
type Parts = Array<Record<string, unknown>>;

describe('content in attachments and blocks (integrations, forwarded messages), end to end', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], (request) => {
    const transcript = String(request.messages[0].content);
    const numbers = [...transcript.matchAll(/^(\d+) /gm)].map((match) => match[1]);
    return { text: `**TL;DR** EU payments broke and were fixed [${numbers[0]}].` };
  });

  beforeAll(async () => {
    harness = await startSlackHarness({ llm });
  });
  afterAll(() => harness.stop());

  const lastTranscript = () =>
    String(
      llm.requests
        .at(-1)
        ?.messages.map((entry) => entry.content)
        .join('\n'),
    );

  test('a channel summary reads Jira attachments, GitHub blocks and forwarded messages', async () => {
    const state = harness.fake.state;
    state.integrationPosts({
      channel: generalChannel,
      botId: String(jira.bot_id),
      username: String(jira.username),
      text: '',
      attachments: jira.attachments as Parts,
    });
    state.integrationPosts({
      channel: generalChannel,
      botId: String(github.bot_id),
      username: String(github.username),
      text: '',
      blocks: github.blocks as Parts,
    });
    const share = state.userSays({ channel: generalChannel, user: people.alice.id, text: '' });
    share.attachments = forwarded.attachments as Parts;
    const linked = state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: String(preview.text),
    });
    linked.attachments = preview.attachments as Parts;

    const requestsBefore = llm.requests.length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(llm.requests.length).toBe(requestsBefore + 1);
    const transcript = lastTranscript();
    // Jira: pretext, linked title, text and fields.
    expect(transcript).toContain('Priya created an issue');
    expect(transcript).toContain('OPS-142: Checkout fails for EU cards');
    expect(transcript).toContain('return error 502 since the 14:00 deploy');
    expect(transcript).toContain('Priority: Highest');
    // GitHub: section text and fields, and the context line.
    expect(transcript).toContain('#981 Retry EU card payments');
    expect(transcript).toContain('wangwei');
    // The forwarded message: its rich text, the mention as a name, entities decoded once.
    expect(transcript).toContain('shared message from 张三');
    expect(transcript).toContain(
      'Rollback done, EU payments recovered at 15:10. @Alice please confirm & close.',
    );
    // A link preview only repeats the linked page.
    expect(transcript).toContain('Thanks, closing OPS-142.');
    expect(transcript).not.toContain('Link preview text');
    const reply = harness.fake.state.botMessages().at(-1);
    expect(reply && harness.fake.state.visibleText(reply)).toContain('EU payments broke and were fixed');
  });

  test("an integration post's attachments are read up to a bound", async () => {
    const huge = `${'alert detail '.repeat(2000)}END-OF-ALERT`;
    harness.fake.state.integrationPosts({
      channel: generalChannel,
      botId: 'B0PAGERDU1',
      username: 'PagerDuty',
      text: '',
      attachments: [{ fallback: 'Triggered #4821', title: 'Triggered #4821: DB CPU high', text: huge }],
    });
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const transcript = lastTranscript();
    expect(transcript).toContain('Triggered #4821: DB CPU high');
    expect(transcript).not.toContain('END-OF-ALERT');
    expect(transcript.split('alert detail').length - 1).toBeLessThan(400);
  });

  test('a message forwarded to Deskmate with "translate this" translates the forwarded text', async () => {
    const requestsBefore = llm.requests.length;
    const { message, envelope } = directMessageEvent(harness.fake, {
      user: people.zhang.id,
      text: 'translate this into Chinese',
    });
    message.attachments = forwarded.attachments as Parts;
    envelope.event.attachments = forwarded.attachments;
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(llm.requests.length).toBeGreaterThan(requestsBefore);
    expect(lastTranscript()).toContain('Rollback done, EU payments recovered at 15:10.');
  });
});
