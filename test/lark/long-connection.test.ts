import type { EnqueueOutcome, JobQueue } from '../../src/core/job-queue';
import { cardActionEvent, messageEvent } from '../fakes/lark-events';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

describe('Lark long connection, end to end through the SDK', () => {
  let harness: LarkHarness;
  let queueDown = false;

  beforeAll(async () => {
    harness = await startLarkHarness({
      mode: 'ws',
      wrapQueue: (queue): JobQueue => ({
        ...queue,
        enqueue: (message): Promise<EnqueueOutcome> =>
          queueDown ? Promise.reject(new Error('Redis is unreachable')) : queue.enqueue(message),
      }),
    });
  });
  afterAll(() => harness.stop());

  test('the adapter serves no webhook route and reports ready once connected', () => {
    expect(harness.adapter.routes).toEqual([]);
    expect(harness.adapter.ready()).toBe(true);
  });

  test('a group mention over the long connection gets a threaded reply', async () => {
    const before = harness.fake.state.botMessages().length;
    const { message, payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    const answer = await harness.fake.longConnection.push(payload);
    expect(answer.code).toBe(200);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].rootId).toBe(message.messageId);
    expect(harness.fake.state.visibleText(replies[0])).toContain('Deskmate');
  });

  test('an event split into fragments is put back together and answered', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      text: '{mention:0} 帮助',
      mentions: ['bot'],
    });
    expect((await harness.fake.longConnection.push(payload, 3)).code).toBe(200);
    await harness.pipeline.drain();
    expect(harness.fake.state.botMessages().slice(before)).toHaveLength(1);
  });

  test('a button click over the long connection is answered with a toast', async () => {
    const event = cardActionEvent(harness.fake, {
      userId: people.alice.openId,
      chatId: groupChatId,
      messageId: 'om_card',
      value: { deskmate: 1, skill: 'todo', action: 'done', value: '41', kind: 'group' },
    });
    const answer = await harness.fake.longConnection.push(event);
    expect(answer.code).toBe(200);
    expect(answer.data).toMatchObject({ toast: { type: 'info' } });
    await harness.pipeline.drain();
  });

  test('when the queue is down the event is answered 500, so Lark delivers it again', async () => {
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    queueDown = true;
    expect((await harness.fake.longConnection.push(payload)).code).toBe(500);
    queueDown = false;
    const before = harness.fake.state.botMessages().length;
    expect((await harness.fake.longConnection.push(payload)).code).toBe(200);
    await harness.pipeline.drain();
    expect(harness.fake.state.botMessages().slice(before)).toHaveLength(1);
  });
});
