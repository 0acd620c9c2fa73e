import { deliver, type EventEnvelope, messageEvent } from '../fakes/lark-events';
import type { FakeMessage } from '../fakes/lark-state';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

// Where an answer lands, for each way Lark marks a reply: root_id and parent_id come with any reply (a quote
// reply too), thread_id only with a message in a thread (topic).

describe('Lark: an answer lands next to the question, in a thread only when asked in one', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], { text: 'Here is the answer.' });

  beforeAll(async () => {
    harness = await startLarkHarness({ llm });
  });
  afterAll(() => harness.stop());

  /** Deliver an event and return what the bot sent for it. */
  async function answersTo(payload: EventEnvelope): Promise<FakeMessage[]> {
    const before = harness.fake.state.botMessages().length;
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    return harness.fake.state.botMessages().slice(before);
  }

  /** Someone's message in a chat, and a quote reply to it: an old chain to quote from. */
  function oldChain(chatId: string): { first: FakeMessage; second: FakeMessage } {
    const state = harness.fake.state;
    const first = state.userSays({
      chatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: '下周的发布计划' }),
    });
    const second = state.userSays({
      chatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: '时间改到周五' }),
      parentId: first.messageId,
    });
    return { first, second };
  }

  test('a quote reply mentioning Deskmate in a group is answered under the asker’s message, not the old root', async () => {
    const { first, second } = oldChain(groupChatId);
    const { message, payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} what changed?',
      mentions: ['bot'],
      parentId: second.messageId,
    });
    const event = payload.event.message as Record<string, string>;
    // As Lark sends it: the chain's root and the quoted message, no thread.
    expect([event.root_id, event.parent_id, event.thread_id]).toEqual([
      first.messageId,
      second.messageId,
      '',
    ]);
    const sent = await answersTo(payload);
    expect(sent).toHaveLength(1);
    expect(sent[0].rootId).toBe(message.messageId);
    expect(harness.fake.state.visibleText(sent[0])).toContain('Here is the answer.');
    expect(first.threadId).toBeUndefined();
  });

  test('quoting an older message in a direct chat gets the answer in the chat, not a thread', async () => {
    const direct = harness.fake.state.directChat(people.alice.openId).chatId;
    const { second } = oldChain(direct);
    const { payload } = messageEvent(harness.fake, {
      chatId: direct,
      userId: people.alice.openId,
      text: '再详细一点',
      parentId: second.messageId,
    });
    const sent = await answersTo(payload);
    expect(sent.map((message) => [message.chatId, message.rootId, message.threadId])).toEqual([
      [direct, undefined, undefined],
    ]);
  });

  test('a question inside a thread in a group is answered in that thread', async () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: 'Offsite ideas' }),
    });
    const earlier = state.userSays({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: 'A boat trip?' }),
      parentId: root.messageId,
      inThread: true,
    });
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} any other ideas?',
      mentions: ['bot'],
      parentId: earlier.messageId,
      inThread: true,
    });
    const event = payload.event.message as Record<string, string>;
    // In a thread every message replies to the root, and carries the thread's id.
    expect([event.root_id, event.parent_id, event.thread_id]).toEqual([
      root.messageId,
      root.messageId,
      root.threadId,
    ]);
    const sent = await answersTo(payload);
    expect(sent.map((message) => [message.rootId, message.threadId])).toEqual([
      [root.messageId, root.threadId],
    ]);
  });

  test('a question inside a thread in a direct chat stays in that thread', async () => {
    const state = harness.fake.state;
    const direct = state.directChat(people.zhangsan.openId).chatId;
    const root = state.userSays({
      chatId: direct,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: '报销流程' }),
    });
    const { payload } = messageEvent(harness.fake, {
      chatId: direct,
      userId: people.zhangsan.openId,
      text: '发票要原件吗？',
      parentId: root.messageId,
      inThread: true,
    });
    const sent = await answersTo(payload);
    expect(sent.map((message) => [message.rootId, message.threadId])).toEqual([
      [root.messageId, root.threadId],
    ]);
  });
});
