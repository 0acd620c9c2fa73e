import { requestText } from '../../src/core/skill';
import { type Route, routeByCommand, routeMessage } from '../../src/pipeline/router';
import { createSkills } from '../../src/skills';
import { parseTodoCommand } from '../../src/skills/todo/command';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';

const skills = createSkills();

/** The run route, or a failure naming what came back instead. */
function run(route: Route | undefined) {
  if (route?.kind !== 'run') throw new Error(`expected a skill to run, got ${JSON.stringify(route)}`);
  return route;
}

const chatSkill = skills.find((skill) => skill.name === 'chat')!;
const options = (llm: ScriptedLlm) => ({
  llm,
  store: createMemoryStateStore(),
  chatSkill,
  now: new Date('2026-11-28T10:00:00Z'),
  timezone: 'UTC',
});

describe('router', () => {
  test.each([
    ['summarize last 24h', 'summarize', 'last 24h'],
    ['总结 今天', 'summarize', '今天'],
    ['总结：今天', 'summarize', '今天'],
    ['Todo add send the report friday', 'todo', 'add send the report friday'],
    ['待办 准备周报', 'todo', '准备周报'],
    ['help', 'help', ''],
    ['帮助', 'help', ''],
  ])('command word %p goes to %p with no model call', async (text, skill, args) => {
    const llm = new ScriptedLlm();
    const route = run(await routeMessage(inboundMessage(text), skills, options(llm)));
    expect(route.skill.name).toBe(skill);
    expect(route.request).toEqual({
      kind: 'command',
      word: text.split(/[\s：]/)[0].toLowerCase(),
      text: args,
    });
    expect(llm.requests).toHaveLength(0);
  });

  test('nothing to read is never a model request: empty text goes to conversation, an image alone is named', async () => {
    const llm = new ScriptedLlm();
    const empty = inboundMessage('  ', { command: { name: 'test-feedback', args: '' }, via: 'command' });
    expect(run(await routeMessage(empty, skills, options(llm))).routedBy).toBe('conversation');
    const image = inboundMessage('', { unreadable: [{ kind: 'image' }] });
    expect(await routeMessage(image, skills, options(llm))).toMatchObject({
      kind: 'reply',
      reason: 'unreadable',
      reply: { markdown: "I can't read images yet. Tell me in words what you need, or try `help`." },
    });
    const unknown = inboundMessage('', {
      unreadable: [{ kind: 'other', type: 'something_new' }],
      locale: 'zh-CN',
    });
    expect(await routeMessage(unknown, skills, options(llm))).toMatchObject({
      kind: 'reply',
      reply: { markdown: '我还无法读取“something_new”类型的消息。请用文字告诉我你需要什么，或发送 `帮助`。' },
    });
    expect(llm.requests).toHaveLength(0);
  });

  test('full-width digits and spaces find the command and its subcommand; the text a skill keeps stays as typed', async () => {
    const llm = new ScriptedLlm();
    const routed = async (text: string, extra = {}) =>
      run(await routeMessage(inboundMessage(text, extra), skills, options(llm)));
    // What a Chinese input method types by default: ３ (U+FF13) and the ideographic space (U+3000).
    for (const text of ['待办 完成 ３', 'todo\u3000done\u3000３']) {
      const route = await routed(text);
      expect(route.skill.name).toBe('todo');
      expect(parseTodoCommand(requestText(route.request))).toEqual({ kind: 'done', numbers: [3] });
    }
    expect((await routed('知识库 删除 １')).skill.name).toBe('kb');
    const slash = { command: { name: 'kb', args: ' forget ＃２ ' }, via: 'command' as const };
    expect((await routed('', slash)).request).toEqual({ kind: 'command', word: 'kb', text: 'forget ＃２' });
    // A formal Chinese text keeps its paragraph indents and full-width digits for the translation.
    const notice = '第一段。\n\u3000\u3000第二段有３个要点。';
    expect((await routed(`翻译 ${notice}`)).request).toEqual({ kind: 'command', word: '翻译', text: notice });
    expect((await routed('待办完成 3')).request).toEqual({ kind: 'command', word: '待办完成', text: '3' });
    for (const text of ['删除我的数据。', '请删除我的数据', '忘记我', '删除我的信息！', 'delete my data.']) {
      const route = await routed(text);
      expect([route.skill.name, route.routedBy]).toEqual(['forget', 'command_word']);
    }
    expect((await routed('从这个讨论中提取待办')).request).toEqual({
      kind: 'command',
      word: 'todo',
      text: '从这个讨论中提取待办',
    });
    expect(llm.requests).toHaveLength(0);
    // Anything around the phrase makes it a sentence for the model, not a command.
    for (const text of ['忘记我说的话', 'delete my draft', '待办事项太多了']) {
      expect(routeByCommand(inboundMessage(text), skills)).toBeUndefined();
    }
  });

  test('a bot-menu key no skill knows runs the help', async () => {
    const llm = new ScriptedLlm();
    const menu = inboundMessage('feedback_v2', {
      command: { name: 'feedback_v2', args: '', menu: true },
      via: 'command',
    });
    const route = run(await routeMessage(menu, skills, options(llm)));
    expect(route.skill.name).toBe('help');
    expect(route.request).toEqual({ kind: 'command', word: 'help', text: '' });
    expect(llm.requests).toHaveLength(0);
  });

  test('a slash command picks its skill with no model call', async () => {
    const llm = new ScriptedLlm();
    const message = inboundMessage('', { command: { name: 'summarize', args: ' last 7d ' }, via: 'command' });
    const route = run(await routeMessage(message, skills, options(llm)));
    expect(route).toMatchObject({ routedBy: 'command', request: { kind: 'command', text: 'last 7d' } });
    expect(route.skill.name).toBe('summarize');
    expect(llm.requests).toHaveLength(0);
  });

  test('a button click goes to the skill named on the button', () => {
    const message = inboundMessage('', {
      via: 'action',
      action: { skill: 'todo', action: 'done', value: '3' },
    });
    const route = run(routeByCommand(message, skills));
    expect(route.skill.name).toBe('todo');
    expect(route.request).toEqual({ kind: 'action', action: { skill: 'todo', action: 'done', value: '3' } });
  });

  test('free text is offered to the model with each skill as a tool, and its choice runs', async () => {
    const llm = new ScriptedLlm([
      { toolCalls: [{ id: 't1', name: 'summarize', input: { period: 'last week' } }] },
    ]);
    const route = run(
      await routeMessage(inboundMessage('what did I miss here last week?'), skills, options(llm)),
    );
    expect(route.skill.name).toBe('summarize');
    expect(route.args).toEqual({ period: 'last week' });
    expect(route.request).toEqual({ kind: 'model', text: 'what did I miss here last week?' });
    const tools = llm.requests[0].tools!.map((tool) => tool.name);
    expect(tools).toEqual(expect.arrayContaining(['summarize', 'todo', 'help']));
    expect(tools).not.toContain('chat');
  });

  test('numbers and yes/no a model sends as strings are read as such; words where a number belongs are refused', async () => {
    const meeting = { title: '周会', when: '明天下午3点', attendees: null };
    const llm = new ScriptedLlm([
      { toolCalls: [{ id: 't1', name: 'schedule', input: { ...meeting, duration_minutes: ' 90 ' } }] },
      { toolCalls: [{ id: 't2', name: 'draft', input: { instruction: 'shorter', refine: 'True' } }] },
      { toolCalls: [{ id: 't3', name: 'schedule', input: { ...meeting, duration_minutes: 'ninety' } }] },
    ]);
    const schedule = run(await routeMessage(inboundMessage('帮我约个周会'), skills, options(llm)));
    expect(schedule.args).toMatchObject({ duration_minutes: 90 });
    const draft = run(await routeMessage(inboundMessage('make it shorter'), skills, options(llm)));
    expect(draft.args).toMatchObject({ refine: true });
    const refused = await routeMessage(inboundMessage('帮我约个周会'), skills, options(llm));
    expect(refused).toMatchObject({ kind: 'reply', reason: 'invalid_arguments' });
  });

  test("the routing prompt's today is the asker's day: 01:00 in Shanghai is already the next day", async () => {
    const llm = new ScriptedLlm([{ text: 'Hello' }]);
    await routeMessage(inboundMessage('what day is it?'), skills, {
      ...options(llm),
      now: new Date('2026-11-27T17:00:00Z'),
      timezone: 'Asia/Shanghai',
    });
    expect(llm.requests[0].system).toContain('Today is 2026-11-28 (Asia/Shanghai).');
  });

  test('free text without a tool choice becomes a conversational answer', async () => {
    const llm = new ScriptedLlm([{ text: 'Hello Alice!' }]);
    const route = run(await routeMessage(inboundMessage('hi there'), skills, options(llm)));
    expect(route.skill.name).toBe('chat');
    expect(route.request).toMatchObject({ kind: 'conversation', answer: { text: 'Hello Alice!' } });
  });

  test('a word that merely starts like a command is not one', async () => {
    const llm = new ScriptedLlm([{ text: 'sure' }]);
    const route = run(
      await routeMessage(inboundMessage('summarized results look good'), skills, options(llm)),
    );
    expect(route.skill.name).toBe('chat');
  });
});
