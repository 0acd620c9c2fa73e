// The knowledge base on Lark, end to end through the Lark SDK and the fake Open API: `知识库 添加` in reply to
// a file in a group indexes it for that group; a Chinese question there is answered in Chinese citing it; a
// chat it was not shared in never sees it; recalling the file's message removes it from the answers.
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { LlmRequest } from '../../src/core/llm-provider';
import { createSkills } from '../../src/skills';
import { cardActionEvent, deliver, messageEvent, recallEvent } from '../fakes/lark-events';
import type { FakeMessage } from '../fakes/lark-state';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { startLanceDbIndex } from '../helpers/knowledge-index';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const secret = '差旅报销需要在出差结束后十个工作日内提交，由部门经理审批。';
const policy = Buffer.from(`# 报销\n\n${secret}\n\n# 餐费\n\n每天餐费上限为 60 元。`);
const otherChatId = 'oc_other000000000000000000000000000';

const llm = new ScriptedLlm([], (request: LlmRequest) => {
  if (request.purpose === 'route') return { text: '' };
  const userTurn = JSON.stringify(request.messages);
  if (!userTurn.includes('<knowledge>')) return { text: 'ok' };
  return userTurn.includes('十个工作日')
    ? { text: '出差结束后十个工作日内提交 [1]。' }
    : { text: 'NOT_IN_KNOWLEDGE' };
});

describe('the knowledge base on Lark, end to end', () => {
  let harness: LarkHarness;
  let index: KnowledgeIndex;
  let engine: Awaited<ReturnType<typeof startLanceDbIndex>>;
  let shared: FakeMessage;

  beforeAll(async () => {
    engine = await startLanceDbIndex();
    index = engine.index;
    harness = await startLarkHarness({ mode: 'webhook', llm, skills: createSkills(), knowledge: { index } });
    harness.fake.state.addChat({
      chatId: otherChatId,
      type: 'group',
      members: [people.alice.openId, people.stranger.openId],
    });
  });
  afterAll(async () => {
    await harness.stop();
    await engine.stop();
  });

  const say = async (chatId: string, userId: string, text: string, parentId?: string) => {
    const { payload } = messageEvent(harness.fake, {
      chatId,
      userId,
      text: `{mention:0} ${text}`,
      mentions: ['bot'],
      ...(parentId ? { parentId } : {}),
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const last = harness.fake.state.botMessages().at(-1);
    return last ? harness.fake.state.visibleText(last) : '';
  };
  const modelSawSecret = (from: number) => JSON.stringify(llm.requests.slice(from)).includes('十个工作日');

  test('知识库 添加 in reply to a file in a group indexes it for that group', async () => {
    shared = harness.fake.state.userSendsFile({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      name: '报销.md',
      bytes: policy,
    });
    expect(await say(groupChatId, people.alice.openId, '知识库 添加', shared.messageId)).toContain(
      '已添加 报销.md：2 个部分',
    );
    const [source] = await index.sources();
    expect(source.access).toEqual([`conversation:lark:${harness.fake.state.tenantKey}:${groupChatId}`]);
    expect(source.id).toContain(shared.messageId);
  });

  test('a Chinese question in the group is answered in Chinese, citing the Chinese source', async () => {
    const answer = await say(groupChatId, people.zhangsan.openId, '问 差旅报销什么时候提交？');
    expect(answer).toContain('出差结束后十个工作日内提交');
    expect(answer).toMatch(/\[报销\.md § 报销\]\(https:\/\/[^)]+\)/);
    expect(answer).not.toContain('[1]');
    expect(llm.requests.at(-1)?.system).toContain('Chinese (简体中文)');
  });

  test('👍/👎 under the answer: a click by someone else is ignored, the asker’s is stored', async () => {
    const state = harness.fake.state;
    const answer = state.botMessages().at(-1) as FakeMessage;
    const buttons = state.buttonsOf(answer);
    expect(buttons).toHaveLength(2);
    const click = async (userId: string, value: Record<string, unknown>) => {
      const event = cardActionEvent(harness.fake, {
        userId,
        chatId: answer.chatId,
        messageId: answer.messageId,
        value,
      });
      expect((await deliver(harness.eventsUrl, event, harness.encryptKey)).status).toBe(200);
      await harness.pipeline.drain();
    };
    const keys = async () => {
      const found: Array<{ vote?: string; asker: string }> = [];
      for (const value of buttons) {
        const answerId = String(value.value).split(':')[0];
        const record = await harness.store.getJson<{ vote?: string; asker: string }>(
          `knowledge-feedback:${answerId}`,
        );
        if (record) found.push(record);
      }
      return found;
    };
    await click(people.alice.openId, buttons[1]);
    expect((await keys())[0]).toMatchObject({ asker: people.zhangsan.openId });
    expect((await keys())[0].vote).toBeUndefined();
    await click(people.zhangsan.openId, buttons[0]);
    expect((await keys())[0].vote).toBe('up');
  });

  test('in another chat, even for a member of the group, it never reaches the model or the answer', async () => {
    const from = llm.requests.length;
    expect(await say(otherChatId, people.alice.openId, '问 差旅报销什么时候提交？')).toContain(
      '知识库里没有找到答案',
    );
    expect(await say(otherChatId, people.stranger.openId, '问 差旅报销什么时候提交？')).toContain(
      '知识库里没有找到答案',
    );
    expect(modelSawSecret(from)).toBe(false);
  });

  test('recalling the file’s message removes it: the next answer does not use it', async () => {
    const payload = recallEvent(harness.fake, shared);
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(await index.sources()).toEqual([]);
    const from = llm.requests.length;
    expect(await say(groupChatId, people.zhangsan.openId, '问 差旅报销什么时候提交？')).toContain(
      '知识库还是空的',
    );
    expect(modelSawSecret(from)).toBe(false);
  });
});
