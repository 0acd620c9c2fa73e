// Todos become real Lark tasks and meetings real Lark events: explicit commands at once (once per event),
// what the model finds only after the Create click, and a busy time leads to free alternatives.
import type { LlmRequest } from '../../src/core/llm-provider';
import { cardActionEvent, deliver, messageEvent } from '../fakes/lark-events';
import type { FakeMessage } from '../fakes/lark-state';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

/** The instant of a wall-clock time tomorrow in Shanghai (UTC+8, no daylight saving). */
function tomorrowInShanghai(hour: number): number {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  return Date.UTC(
    shanghaiNow.getUTCFullYear(),
    shanghaiNow.getUTCMonth(),
    shanghaiNow.getUTCDate() + 1,
    hour - 8,
  );
}

describe('todo and schedule on Lark, end to end through the real SDK', () => {
  let harness: LarkHarness;
  const extraction = (request: LlmRequest) => {
    if (request.tools?.[0]?.name !== 'record_todos') return { text: 'ok' };
    return {
      toolCalls: [
        {
          id: 'call-1',
          name: 'record_todos',
          input: {
            items: [
              { text: '准备测试计划', owner: '张三', due: '明天下午3点' },
              { text: 'Book the demo room', owner: 'me' },
            ],
          },
        },
      ],
    };
  };
  const llm = new ScriptedLlm([], extraction);

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm });
  });
  afterAll(() => harness.stop());

  const text = (message: FakeMessage | undefined) => (message ? harness.fake.state.visibleText(message) : '');

  const buttonsOf = (message: FakeMessage) => harness.fake.state.buttonsOf(message);

  function button(message: FakeMessage, action: string, index = 0): Record<string, unknown> {
    const value = buttonsOf(message).filter((each) => each.action === action)[index];
    if (!value) throw new Error(`no ${action} button on the card`);
    return value;
  }

  /** Click a button (its callback value) on a card, as a person. */
  async function click(message: FakeMessage, value: Record<string, unknown>, userId = people.alice.openId) {
    const event = cardActionEvent(harness.fake, {
      userId,
      chatId: groupChatId,
      messageId: message.messageId,
      value,
    });
    expect((await deliver(harness.eventsUrl, event, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
  }

  test('an explicit todo creates one task with owner and due time; the retried delivery creates nothing more', async () => {
    const tasksBefore = harness.fake.state.tasks.size;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} 待办 明天下午3点前提交预算 {mention:1}',
      mentions: ['bot', { openId: people.zhangsan.openId, name: people.zhangsan.name }],
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const tasks = [...harness.fake.state.tasks.values()].slice(tasksBefore);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      summary: '提交预算',
      members: [{ id: people.zhangsan.openId, type: 'user', role: 'assignee' }],
      due: { timestamp: String(tomorrowInShanghai(15)), is_all_day: false },
    });
    expect(String(tasks[0].client_token)).toMatch(/\S+/);
    const reply = text(harness.fake.state.botMessages().at(-1));
    expect(reply).toMatch(/已添加待办 #\d+/);
    expect(reply).toContain('提交预算');
    expect(reply).toContain(String(tasks[0].url));

    // Done in Deskmate completes the Lark task too.
    const number = Number(/#(\d+)/.exec(reply)?.[1]);
    const done = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      text: `{mention:0} 待办 完成 ${number}`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, done.payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(text(harness.fake.state.botMessages().at(-1))).toContain(`✅ 待办 #${number} 已完成：提交预算`);
    expect(Number(tasks[0].completed_at)).toBeGreaterThan(0);
  });

  test('todos from a thread: a confirmation card first, the tasks only after Create, once', async () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: JSON.stringify({ text: 'Demo next week: what do we need?' }),
    });
    for (const line of ['张三 will prepare the test plan by tomorrow 3pm', 'I will book the demo room']) {
      state.userSays({
        chatId: groupChatId,
        userId: line.startsWith('张三') ? people.zhangsan.openId : people.alice.openId,
        content: JSON.stringify({ text: line }),
        parentId: root.messageId,
        inThread: true,
      });
    }
    const tasksBefore = state.tasks.size;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} todo from this thread',
      mentions: ['bot'],
      parentId: root.messageId,
      inThread: true,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();

    const request = llm.requests.at(-1);
    expect(request?.tools?.map((tool) => tool.name)).toEqual(['record_todos']);
    expect(String(request?.messages[0].content)).toMatch(
      /^<transcript>[\s\S]*test plan[\s\S]*<\/transcript>$/,
    );
    const card = state.botMessages().at(-1) as FakeMessage;
    expect(text(card)).toContain('I found 2 action items');
    expect(text(card)).toContain('准备测试计划');
    expect(buttonsOf(card).map((button) => button.action)).toEqual(['create', 'edit', 'cancel']);
    expect(state.tasks.size).toBe(tasksBefore);

    // Someone else cannot confirm it.
    const create = button(card, 'create');
    await click(card, create, people.zhangsan.openId);
    expect(state.tasks.size).toBe(tasksBefore);

    await click(card, create);
    const tasks = [...state.tasks.values()].slice(tasksBefore);
    expect(tasks.map((task) => task.summary)).toEqual(['准备测试计划', 'Book the demo room']);
    expect(tasks[0]).toMatchObject({
      members: [{ id: people.zhangsan.openId, role: 'assignee' }],
      due: { timestamp: String(tomorrowInShanghai(15)) },
    });
    expect(tasks[1]).toMatchObject({ members: [{ id: people.alice.openId, role: 'assignee' }] });
    // The card now says what was created, without the buttons.
    expect(text(state.messages.get(card.messageId))).toContain('Created 2 todos');
    expect(buttonsOf(state.messages.get(card.messageId) as FakeMessage).map((b) => b.action)).not.toContain(
      'create',
    );

    // A double click (the same button delivered again as a new event) creates nothing more.
    await click(card, create);
    expect(state.tasks.size).toBe(tasksBefore + 2);
  });

  test('a busy time leads to up to 3 free alternatives; booking one creates the event with its attendees', async () => {
    const state = harness.fake.state;
    const busyStart = tomorrowInShanghai(15);
    state.busy.set(people.zhangsan.openId, [
      {
        start_time: new Date(busyStart).toISOString(),
        end_time: new Date(busyStart + 3600_000).toISOString(),
      },
    ]);
    const eventsBefore = state.events.size;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} 日程 评审会 明天下午3点 1小时 {mention:1}',
      mentions: ['bot', { openId: people.zhangsan.openId, name: people.zhangsan.name }],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const card = state.botMessages().at(-1) as FakeMessage;
    expect(text(card)).toContain('@张三 那个时间没空');
    const books = buttonsOf(card).filter((each) => each.action === 'book');
    expect(books.length).toBeGreaterThanOrEqual(1);
    expect(books.length).toBeLessThanOrEqual(3);
    expect(state.events.size).toBe(eventsBefore);

    const firstSlot = button(card, 'book', 0);
    const secondSlot = button(card, 'book', 1);
    await click(card, firstSlot);
    const events = [...state.events.values()].slice(eventsBefore);
    expect(events).toHaveLength(1);
    const start = Number((events[0].start_time as { timestamp: string }).timestamp) * 1000;
    const end = Number((events[0].end_time as { timestamp: string }).timestamp) * 1000;
    expect(end - start).toBe(3600_000);
    // Not during 张三's busy hour, and in the future.
    expect(start >= busyStart + 3600_000 || end <= busyStart).toBe(true);
    expect(start).toBeGreaterThan(Date.now());
    expect(events[0]).toMatchObject({ summary: '评审会', start_time: { timezone: 'Asia/Shanghai' } });
    expect(state.attendees.get(String(events[0].event_id))?.sort()).toEqual(
      [people.alice.openId, people.zhangsan.openId].sort(),
    );
    const booked = text(state.messages.get(card.messageId));
    expect(booked).toContain('会议已预约');
    expect(booked).toContain(String(events[0].app_link));

    // Clicking another slot afterwards books nothing more.
    await click(card, secondSlot);
    expect(state.events.size).toBe(eventsBefore + 1);
  });

  test('a free time asked for explicitly is booked at once', async () => {
    const state = harness.fake.state;
    state.busy.clear();
    const eventsBefore = state.events.size;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} schedule Budget review tomorrow 10am 45m {mention:1}',
      mentions: ['bot', { openId: people.zhangsan.openId, name: people.zhangsan.name }],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const events = [...state.events.values()].slice(eventsBefore);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      summary: 'Budget review',
      start_time: { timestamp: String(tomorrowInShanghai(10) / 1000) },
      end_time: { timestamp: String((tomorrowInShanghai(10) + 45 * 60_000) / 1000) },
    });
    expect(text(state.botMessages().at(-1))).toContain('Meeting booked');
  });
});
