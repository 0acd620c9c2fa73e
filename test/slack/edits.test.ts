import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { deliverEvent, editedMentionEvent, mentionEvent } from '../fakes/slack-events';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

describe('editing a message that mentions Deskmate, end to end through Bolt', () => {
  let harness: SlackHarness;
  // The store's clock: moved past the 9 h dedupe window to show the answer does not depend on it.
  let offsetMs = 0;

  beforeAll(async () => {
    harness = await startSlackHarness({
      store: createMemoryStateStore({ now: () => Date.now() + offsetMs }),
    });
  });
  afterAll(() => harness.stop());

  const repliesInThread = (threadTs: string) =>
    harness.fake.state.botMessages().filter((message) => message.threadTs === threadTs);

  test('an edited question is not answered a second time, right away or 10 hours later', async () => {
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(repliesInThread(message.ts)).toHaveLength(1);

    const edit = editedMentionEvent(harness.fake, message, '{bot} help please');
    expect((await deliverEvent(harness.eventsUrl, edit, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    expect(repliesInThread(message.ts)).toHaveLength(1);

    // After the dedupe window the message id is forgotten: the edit is still no new request.
    offsetMs = 10 * 60 * 60 * 1000;
    const lateEdit = editedMentionEvent(harness.fake, message, '{bot} 帮助');
    expect((await deliverEvent(harness.eventsUrl, lateEdit, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    expect(repliesInThread(message.ts)).toHaveLength(1);
    offsetMs = 0;
  });

  test('a new message after an edit is answered as usual', async () => {
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.zhang.id,
      text: '{bot} 帮助',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    expect(repliesInThread(message.ts)).toHaveLength(1);
  });
});
