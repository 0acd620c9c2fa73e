import { deliver, messageEvent } from '../fakes/lark-events';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

describe('summarize on Lark, end to end through the real SDK and the fake open API', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], (request) => {
    const transcript = String(request.messages[0].content);
    const numbers = [...transcript.matchAll(/^(\d+) /gm)].map((match) => match[1]);
    return { text: `**摘要** 讨论了发布计划 [${numbers[0]}][${numbers[2]}]，以及一个编造的引用 [42]。` };
  });

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm });
  });
  afterAll(() => harness.stop());

  const seedThread = () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: JSON.stringify({ text: '发布计划讨论' }),
    });
    for (const text of ['周五发布可以吗？', '我负责测试', '决定：周五下午发布']) {
      state.userSays({
        chatId: groupChatId,
        userId: people.zhangsan.openId,
        content: JSON.stringify({ text }),
        parentId: root.messageId,
        inThread: true,
      });
    }
    return root;
  };

  test('总结 in a thread: a Chinese summary whose citations link to real Lark messages, invented ones dropped', async () => {
    const root = seedThread();
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} 总结',
      mentions: ['bot'],
      parentId: root.messageId,
      inThread: true,
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    const text = harness.fake.state.visibleText(replies[replies.length - 1]);
    expect(text).toContain('本话题总结');
    expect(text).toContain('讨论了发布计划');
    expect(text).not.toContain('[42]');
    // Citations become links (the fake has no per-message app links, so the adapter links the thread).
    const links = [...text.matchAll(/\[\[(\d+)\]\]\((https:\/\/[^)\s]+)\)/g)];
    expect(links.map((link) => link[1])).toEqual(['1', '3']);
    // Only the people's messages are covered: not the request itself, not Deskmate's own posts.
    expect(text).toMatch(/共涵盖 4 条消息/);
    expect(llm.requests.at(-1)?.tools).toBeUndefined();
    expect(String(llm.requests.at(-1)?.messages[0].content)).toContain('决定：周五下午发布');
  });

  test('someone who is not in the chat is refused and the chat history is not read', async () => {
    const root = seedThread();
    const listCallsBefore = harness.fake.requestsTo('GET', /\/im\/v1\/messages$/).length;
    const modelCallsBefore = llm.requests.length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.stranger.openId,
      text: '{mention:0} summarize',
      mentions: ['bot'],
      parentId: root.messageId,
      inThread: true,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(harness.fake.requestsTo('GET', /\/im\/v1\/messages$/).length).toBe(listCallsBefore);
    expect(llm.requests.length).toBe(modelCallsBefore);
    const last = harness.fake.state.botMessages().at(-1);
    expect(last && harness.fake.state.visibleText(last)).toMatch(/not a member/);
  });

  test('a private group’s thread summarized from another group goes to the asker’s direct chat only', async () => {
    const state = harness.fake.state;
    state.addChat({ chatId: 'oc_private_board', type: 'group', members: [people.alice.openId] });
    const root = state.userSays({
      chatId: 'oc_private_board',
      userId: people.alice.openId,
      content: JSON.stringify({ text: '收购报价 4200 万' }),
    });
    const reply = state.userSays({
      chatId: 'oc_private_board',
      userId: people.alice.openId,
      content: JSON.stringify({ text: '周一董事会决定' }),
      parentId: root.messageId,
      inThread: true,
    });
    const link = `https://applink.feishu.cn/client/thread/open?open_thread_id=${reply.threadId}`;
    const before = state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: `{mention:0} 总结 ${link}`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = state.botMessages().slice(before);
    const direct = state.directChat(people.alice.openId).chatId;
    const summary = sent.find((message) => message.chatId === direct);
    expect(summary && state.visibleText(summary)).toContain('讨论了发布计划');
    expect(summary && state.visibleText(summary)).toContain('仅你可见');
    expect(String(llm.requests.at(-1)?.messages[0].content)).toContain('收购报价');
    expect(sent.filter((message) => message.chatId === groupChatId)).toEqual([]);
  });
});
