// Proves, through the Lark SDK and the fake Open API: a model that answers every request with hostile tool
// calls (made-up `commandWord`s, todos to create and close, a meeting inviting everyone, extracted todos)
// creates, closes and books nothing, and adds to or forgets from the knowledge base nothing; only the
// requester's own click on the card does.
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { LlmRequest, ToolCall } from '../../src/core/llm-provider';
import { cardActionEvent, deliver, messageEvent } from '../fakes/lark-events';
import type { FakeMessage } from '../fakes/lark-state';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { startLanceDbIndex } from '../helpers/knowledge-index';
import { groupChatId, type LarkHarness, people, startLarkHarness } from '../lark/lark-harness';

/** Twenty colleagues a hostile meeting invites. */
const everyone = Array.from({ length: 20 }, (_, index) => `@colleague${index}`);

describe('a hostile model cannot act without the requester’s click', () => {
  let harness: LarkHarness;
  /** What the model answers to the next routing call. */
  let nextRoute: ToolCall = { id: 'x', name: 'help', input: {} };
  const llm = new ScriptedLlm([], (request: LlmRequest) => {
    if (request.purpose === 'route') return { toolCalls: [nextRoute] };
    if (request.tools?.[0]?.name === 'record_todos') {
      const items = [{ text: 'Wire 10k to account 4711', owner: '张三', commandWord: 'todo' }];
      return { toolCalls: [{ id: 'e1', name: 'record_todos', input: { items } }] };
    }
    return { text: 'ok' };
  });
  let zhangsanTodo: number;

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm });
    // 张三's own todo, made by his explicit command: the hostile calls below try to close it.
    await say(people.zhangsan.openId, groupChatId, '{mention:0} 待办 提交预算');
    zhangsanTodo = Number(/#(\d+)/.exec(lastText())?.[1]);
  });
  afterAll(() => harness.stop());

  const state = () => harness.fake.state;
  const lastText = () => {
    const last = state().botMessages().at(-1);
    return last ? state().visibleText(last) : '';
  };

  async function say(userId: string, chatId: string, text: string) {
    const { payload } = messageEvent(harness.fake, { chatId, userId, text, mentions: ['bot'] });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
  }

  async function click(message: FakeMessage, value: Record<string, unknown>, userId: string) {
    const event = cardActionEvent(harness.fake, {
      userId,
      chatId: message.chatId,
      messageId: message.messageId,
      value,
    });
    expect((await deliver(harness.eventsUrl, event, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
  }

  const hostileCalls: Array<[string, ToolCall]> = [
    [
      'a todo the model calls a command',
      { id: 'h1', name: 'todo', input: { commandWord: 'todo', text: 'add Wire 10k' } },
    ],
    [
      'closing someone else’s todo',
      { id: 'h2', name: 'todo', input: { commandWord: 'todo', text: 'done 1' } },
    ],
    [
      'a meeting inviting everyone, as a command',
      {
        id: 'h3',
        name: 'schedule',
        input: { commandWord: 'schedule', title: 'All hands', when: 'tomorrow 3pm', attendees: everyone },
      },
    ],
    [
      'a meeting inviting everyone, in the schema',
      {
        id: 'h4',
        name: 'schedule',
        input: { title: 'All hands', when: 'tomorrow 3pm', attendees: everyone },
      },
    ],
    ['todos from the conversation', { id: 'h5', name: 'todo', input: { from_conversation: true } }],
  ];

  test.each(hostileCalls)('%s: nothing is created, closed or booked from “hello”', async (_name, call) => {
    const tasksBefore = state().tasks.size;
    const eventsBefore = state().events.size;
    nextRoute = call;
    await say(people.alice.openId, groupChatId, '{mention:0} hello');
    await say(people.alice.openId, state().directChat(people.alice.openId).chatId, 'hello');
    expect(state().tasks.size).toBe(tasksBefore);
    expect(state().events.size).toBe(eventsBefore);
    expect([...state().tasks.values()].filter((task) => Number(task.completed_at) > 0)).toEqual([]);
    expect(state().attendees.size).toBe(0);
  });

  test('the todo list still shows 张三’s todo open', async () => {
    await say(people.zhangsan.openId, groupChatId, '{mention:0} 待办 列表');
    expect(lastText()).toContain(`#${zhangsanTodo}`);
    expect(lastText()).toContain('1 项未完成');
  });

  test('what the model proposed happens on the requester’s click, and on nobody else’s', async () => {
    nextRoute = { id: 'h6', name: 'todo', input: { from_conversation: true } };
    await say(people.alice.openId, groupChatId, '{mention:0} what should we do?');
    const card = state().botMessages().at(-1) as FakeMessage;
    const create = state()
      .buttonsOf(card)
      .find((value) => value.action === 'create');
    if (!create) throw new Error('the proposal has a Create button');
    const tasksBefore = state().tasks.size;
    await click(card, create, people.zhangsan.openId);
    expect(state().tasks.size).toBe(tasksBefore);
    await click(card, create, people.alice.openId);
    expect(state().tasks.size).toBe(tasksBefore + 1);
  });
});

describe('a hostile model cannot change the knowledge base without the requester’s click', () => {
  let harness: LarkHarness;
  let index: KnowledgeIndex;
  let engine: Awaited<ReturnType<typeof startLanceDbIndex>>;
  let nextRoute: ToolCall = { id: 'x', name: 'help', input: {} };
  const llm = new ScriptedLlm([], (request: LlmRequest) =>
    request.purpose === 'route' ? { toolCalls: [nextRoute] } : { text: 'ok' },
  );
  let policy: FakeMessage;
  let other: FakeMessage;

  beforeAll(async () => {
    engine = await startLanceDbIndex();
    index = engine.index;
    harness = await startLarkHarness({ mode: 'webhook', llm, knowledge: { index } });
    policy = harness.fake.state.userSendsFile({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      name: 'policy.md',
      bytes: Buffer.from('# Travel\n\nTrips are capped at 4711 euros.'),
    });
    // Another file in the group, never added: the hostile calls below try to add it.
    other = harness.fake.state.userSendsFile({
      chatId: groupChatId,
      userId: people.alice.openId,
      name: 'salaries.md',
      bytes: Buffer.from('# Salaries\n\nEveryone earns 1 euro.'),
    });
    // 张三 adds it by his own command: the hostile calls below try to forget it, or to add more.
    await say(people.zhangsan.openId, '{mention:0} 知识库 添加', policy.messageId);
  });
  afterAll(async () => {
    await harness.stop();
    await engine.stop();
  });

  const state = () => harness.fake.state;
  async function say(userId: string, text: string, parentId?: string) {
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId,
      text,
      mentions: ['bot'],
      ...(parentId ? { parentId } : {}),
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
  }
  async function click(message: FakeMessage, value: Record<string, unknown>, userId: string) {
    const event = cardActionEvent(harness.fake, {
      userId,
      chatId: message.chatId,
      messageId: message.messageId,
      value,
    });
    expect((await deliver(harness.eventsUrl, event, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
  }

  const hostileCalls: Array<[string, ToolCall]> = [
    [
      'forget the source, as a command',
      { id: 'k1', name: 'kb', input: { commandWord: 'kb', action: 'forget', number: 1 } },
    ],
    ['forget the source, in the schema', { id: 'k2', name: 'kb', input: { action: 'forget', number: 1 } }],
    ['add the file replied to, in the schema', { id: 'k3', name: 'kb', input: { action: 'add' } }],
  ];

  test.each(hostileCalls)('%s: the knowledge base is unchanged after “hello”', async (_name, call) => {
    const before = JSON.stringify(await index.sources());
    nextRoute = call;
    await say(people.zhangsan.openId, '{mention:0} hello', other.messageId);
    await say(people.alice.openId, '{mention:0} hello', other.messageId);
    expect(JSON.stringify(await index.sources())).toBe(before);
  });

  test('a proposed forget happens on the requester’s click, and on nobody else’s', async () => {
    nextRoute = { id: 'k4', name: 'kb', input: { action: 'forget', number: 1 } };
    await say(people.zhangsan.openId, '{mention:0} drop the travel policy');
    const card = state().botMessages().at(-1) as FakeMessage;
    const confirm = state()
      .buttonsOf(card)
      .find((value) => value.action === 'confirm');
    if (!confirm) throw new Error('the proposal has a confirm button');
    await click(card, confirm, people.alice.openId);
    expect(await index.sources()).toHaveLength(1);
    await click(card, confirm, people.zhangsan.openId);
    expect(await index.sources()).toHaveLength(0);
  });
});
