import { deliver, menuEvent, messageEvent } from '../fakes/lark-events';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { type LarkHarness, people, startLarkHarness } from './lark-harness';

describe('Lark messages with nothing to read', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], { text: 'from the model' });

  beforeAll(async () => {
    harness = await startLarkHarness({ llm });
  });
  afterAll(() => harness.stop());

  const repliesAfter = (count: number) =>
    harness.fake.state
      .botMessages()
      .slice(count)
      .map((message) => harness.fake.state.visibleText(message));

  test('a message of a type Deskmate does not know is answered with a hint, never sent to the model', async () => {
    const direct = harness.fake.state.directChat(people.alice.openId);
    const before = harness.fake.state.botMessages().length;
    llm.requests.length = 0;
    const { payload } = messageEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.alice.openId,
      text: '',
    });
    const message = payload.event.message as Record<string, unknown>;
    message.message_type = 'something_new';
    message.content = JSON.stringify({ whatever: 'new' });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([
      expect.stringContaining(
        "I can't read messages of type “something_new” yet. Tell me in words what you need",
      ),
    ]);
    expect(llm.requests).toHaveLength(0);
  });

  test('an image is answered with what Deskmate cannot read yet', async () => {
    const direct = harness.fake.state.directChat(people.zhangsan.openId);
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.zhangsan.openId,
      text: '',
    });
    const message = payload.event.message as Record<string, unknown>;
    message.message_type = 'image';
    message.content = JSON.stringify({ image_key: 'img_v2_0000' });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([expect.stringContaining("I can't read images yet.")]);
  });

  test('a bot-menu key Deskmate does not know gets the help card, not a model answer', async () => {
    const before = harness.fake.state.botMessages().length;
    llm.requests.length = 0;
    const menu = menuEvent(harness.fake, { userId: people.zhangsan.openId, eventKey: 'feedback_v2' });
    expect((await deliver(harness.eventsUrl, menu, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(repliesAfter(before)).toEqual([expect.stringContaining('is your office assistant')]);
    expect(llm.requests).toHaveLength(0);
  });
});
