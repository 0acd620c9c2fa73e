import type { ConversationRef } from '../../src/core/conversation';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const hour = 60 * 60 * 1000;

// Lark deduplicates sends with the same `uuid` for one hour only; a job retried later must not post again.

describe('Lark: a send retried after more than an hour does not post twice', () => {
  let harness: LarkHarness;
  let offsetMs = 0;

  beforeAll(async () => {
    harness = await startLarkHarness({ adapter: { now: () => new Date(Date.now() + offsetMs) } });
  });
  afterAll(() => harness.stop());

  /** Both clocks, Deskmate's and the fake Lark's, move on. */
  function later(milliseconds: number): void {
    offsetMs += milliseconds;
    harness.fake.state.advanceClock(milliseconds);
  }

  test('an answer in a thread whose post was never recorded, sent again two hours later, is the same message, now showing the new text', async () => {
    const state = harness.fake.state;
    const question = state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: JSON.stringify({ text: '@Deskmate 总结一下' }),
    });
    const conversation: ConversationRef = {
      platform: 'lark',
      workspace: 'tenant-fake',
      channel: groupChatId,
      thread: question.messageId,
      kind: 'group',
    };
    const before = state.botMessages().length;
    const first = await harness.adapter.platform.post(
      conversation,
      { markdown: '正在整理…' },
      { idempotencyKey: 'job-thread-1' },
    );
    // The process died before the post was recorded: only Lark knows it.
    const attempt = await harness.store.getJson<{ at: number }>('lark:send:job-thread-1');
    await harness.store.setJson('lark:send:job-thread-1', { at: attempt?.at });
    later(2 * hour);
    const again = await harness.adapter.platform.post(
      conversation,
      { markdown: '总结：周五发布。' },
      { idempotencyKey: 'job-thread-1' },
    );
    expect(again.id).toBe(first.id);
    const sent = state.botMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(state.visibleText(sent[0])).toBe('总结：周五发布。');
  });

  test('an answer in a direct chat, sent again three hours later, is the same message', async () => {
    const state = harness.fake.state;
    const direct = state.directChat(people.zhangsan.openId).chatId;
    const conversation: ConversationRef = {
      platform: 'lark',
      workspace: 'tenant-fake',
      channel: direct,
      kind: 'dm',
    };
    const before = state.botMessages().length;
    const first = await harness.adapter.platform.post(
      conversation,
      { markdown: 'Working on it…' },
      { idempotencyKey: 'job-direct-1' },
    );
    later(3 * hour);
    const again = await harness.adapter.platform.post(
      conversation,
      { markdown: 'Here is the summary.' },
      { idempotencyKey: 'job-direct-1' },
    );
    expect(again.id).toBe(first.id);
    expect(state.botMessages().slice(before)).toHaveLength(1);
  });

  test('another answer posted in the same thread meanwhile is not taken for a failed first attempt', async () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: JSON.stringify({ text: 'Launch checklist' }),
    });
    const conversation: ConversationRef = {
      platform: 'lark',
      workspace: 'tenant-fake',
      channel: groupChatId,
      thread: root.messageId,
      kind: 'group',
    };
    harness.fake.fail({ method: 'POST', path: /\/reply$/, times: 1, status: 400, code: 230002 });
    await expect(
      harness.adapter.platform.post(conversation, { markdown: 'A' }, { idempotencyKey: 'job-a' }),
    ).rejects.toThrow();
    const other = await harness.adapter.platform.post(
      conversation,
      { markdown: 'B' },
      { idempotencyKey: 'job-b' },
    );
    later(2 * hour);
    const retried = await harness.adapter.platform.post(
      conversation,
      { markdown: 'A' },
      { idempotencyKey: 'job-a' },
    );
    expect(retried.id).not.toBe(other.id);
    const otherMessage = state.messages.get(other.id);
    expect(otherMessage && state.visibleText(otherMessage)).toBe('B');
  });

  test('a first attempt that never posted is sent when retried hours later', async () => {
    const state = harness.fake.state;
    const direct = state.directChat(people.alice.openId).chatId;
    const conversation: ConversationRef = {
      platform: 'lark',
      workspace: 'tenant-fake',
      channel: direct,
      kind: 'dm',
    };
    harness.fake.fail({ method: 'POST', path: /\/im\/v1\/messages$/, times: 1, status: 400, code: 230002 });
    await expect(
      harness.adapter.platform.post(
        conversation,
        { markdown: 'first try' },
        { idempotencyKey: 'job-direct-2' },
      ),
    ).rejects.toThrow();
    later(2 * hour);
    const before = state.botMessages().length;
    await harness.adapter.platform.post(
      conversation,
      { markdown: 'second try' },
      { idempotencyKey: 'job-direct-2' },
    );
    const sent = state.botMessages().slice(before);
    expect(sent.map((message) => state.visibleText(message))).toEqual(['second try']);
  });
});
