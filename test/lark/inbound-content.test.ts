import * as lark from '@larksuiteoapi/node-sdk';
import { deliver, forwardedRecordEvent, larkFixture, messageEvent } from '../fakes/lark-events';
import { documentModel, userTurn } from '../helpers/document-model';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const chineseClient = 'Mozilla/5.0 (Windows NT 10.0) Feishu/7.30.6 LarkLocale/zh_CN ttnet SDK-Version/7.30.6';
const englishClient = 'Mozilla/5.0 (Macintosh) Lark/6.7.5 LarkLocale/en_US ttnet SDK-Version/6.7.8';
/** 2026-11-27 09:30 and 09:32 in Shanghai. */
const morning = Date.parse('2026-11-27T01:30:00Z');

/** Someone in the group who is outside the app's contact range: the directory does not answer for them. */
const wangwu = { openId: 'ou_wangwu00000000000000000000000000', name: '王五', outsideContactRange: true };

describe('what Deskmate reads of Lark messages: code, forwarded chat records, language, names (real SDK, fake open API)', () => {
  let harness: LarkHarness;
  const llm = documentModel({
    summary: (request) => ({ text: `**摘要** 记录要点 ${userTurn(request).length > 0 ? '[1]' : ''}` }),
  });

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm });
    harness.fake.state.addUser(wangwu);
    harness.fake.state.chats.get(groupChatId)?.members.push(wangwu.openId);
  });
  afterAll(() => harness.stop());

  const textSince = (count: number) =>
    harness.fake.state
      .botMessages()
      .slice(count)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');

  test('a chat record forwarded to Deskmate (合并转发) is summarized from its messages, names and times, in Chinese', async () => {
    const direct = harness.fake.state.directChat(people.alice.openId);
    const before = harness.fake.state.botMessages().length;
    const { payload } = forwardedRecordEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.alice.openId,
      userAgent: chineseClient,
      fromChatId: groupChatId,
      messages: [
        { senderId: people.zhangsan.openId, createTime: morning, text: '周五发布可以吗？' },
        {
          senderId: wangwu.openId,
          createTime: morning + 120_000,
          text: '可以，我负责回归测试\n  - 登录\n  - 支付',
        },
        {
          senderId: people.alice.openId,
          createTime: morning + 180_000,
          messages: [
            {
              senderId: people.zhangsan.openId,
              createTime: morning - 86_400_000,
              text: '上周的决定：先灰度',
            },
          ],
        },
      ],
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const sent = textSince(before);
    expect(sent).toContain('聊天记录');
    expect(sent).toContain('记录要点');
    expect(sent).not.toContain('merge_forward');
    const read = userTurn(llm.requests.at(-1) ?? ({ messages: [] } as never));
    // Times in the forwarder's timezone (Alice: Asia/Shanghai), said once.
    expect(read).toContain('聊天记录（4 条消息，时间为 GMT+8）');
    expect(read).toContain('[2026-11-27 09:30] 张三:');
    expect(read).toContain('    可以，我负责回归测试\n      - 登录\n      - 支付');
    expect(read).toContain('周五发布可以吗？');
    // Outside the contact range: named as the chat lists them, never by id; the list's indentation kept.
    expect(read).toContain('王五:');
    expect(read).not.toContain(wangwu.openId);
    expect(read).toContain('上周的决定：先灰度');
    expect(harness.fake.requestsTo('GET', /\/im\/v1\/messages\/om_[^/]+$/).length).toBeGreaterThan(0);
  });

  test('a forwarded record in a group is read when someone replies to it with “@Deskmate summarize”, in English', async () => {
    const state = harness.fake.state;
    const { message: record } = forwardedRecordEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      messages: [
        { senderId: people.alice.openId, createTime: morning, text: 'Can we ship on Friday?' },
        {
          senderId: people.zhangsan.openId,
          createTime: morning + 60_000,
          text: 'Yes, QA signs off Thursday.',
        },
      ],
    });
    const before = state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} summarize',
      mentions: ['bot'],
      parentId: record.messageId,
      userAgent: englishClient,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(textSince(before)).toContain('Forwarded chat record');
    const read = userTurn(llm.requests.at(-1) ?? ({ messages: [] } as never));
    expect(read).toContain('Alice:');
    expect(read).toContain('QA signs off Thursday.');
  });

  test('a forwarded record is read only for members of the chat it was shared in', async () => {
    const { message: record } = forwardedRecordEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      messages: [{ senderId: people.alice.openId, createTime: morning, text: '薪资调整方案：全员加 5%' }],
    });
    const recordReads = () =>
      harness.fake.requestsTo('GET', new RegExp(`/im/v1/messages/${record.messageId}$`)).length;
    const readsBefore = recordReads();
    const modelCallsBefore = llm.requests.length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.stranger.openId,
      text: '{mention:0} summarize',
      mentions: ['bot'],
      parentId: record.messageId,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(llm.requests.length).toBe(modelCallsBefore);
    expect(recordReads()).toBe(readsBefore);
    expect(JSON.stringify(llm.requests)).not.toContain('薪资调整方案');
    const last = harness.fake.state.botMessages().at(-1);
    expect(last && harness.fake.state.visibleText(last)).toMatch(/not a member/);
  });

  test('an image with no words from a Chinese client is answered in Chinese', async () => {
    const direct = harness.fake.state.directChat(people.zhangsan.openId);
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.zhangsan.openId,
      text: '',
      userAgent: chineseClient,
    });
    const message = payload.event.message as Record<string, unknown>;
    message.message_type = 'image';
    message.content = JSON.stringify({ image_key: 'img_v2_0000' });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    expect(textSince(before)).toContain('我还无法读取图片');
  });

  test('a summary names someone outside the contact range as the chat lists them, not by id', async () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: wangwu.openId,
      content: JSON.stringify({ text: '上线清单已更新' }),
    });
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} 总结',
      mentions: ['bot'],
      parentId: root.messageId,
      inThread: true,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const transcript = String(llm.requests.at(-1)?.messages[0].content);
    expect(transcript).toContain('上线清单已更新');
    expect(transcript).toContain('王五');
    expect(transcript).not.toContain(wangwu.openId);
  });
  test('code sent in a direct chat reaches the model with its indentation', async () => {
    const direct = harness.fake.state.directChat(people.alice.openId);
    const { payload } = messageEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.alice.openId,
      text: 'why does this fail?\ndef first(items):\n    if not items:\n        return None\n    return items[0]',
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sentToModel = llm.requests.map((request) => JSON.stringify(request.messages)).join('\n');
    expect(sentToModel).toContain(
      'def first(items):\\n    if not items:\\n        return None\\n    return items[0]',
    );
  });

  test('the fake answers message.get on a forwarded record in the recorded shape (record first, upper_message_id)', async () => {
    const state = harness.fake.state;
    const { message: record } = forwardedRecordEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      messages: [
        { senderId: people.zhangsan.openId, createTime: morning, text: 'first child' },
        { senderId: people.alice.openId, createTime: morning + 1000, text: 'second child' },
      ],
    });
    const client = new lark.Client({
      appId: harness.fake.appId,
      appSecret: harness.fake.appSecret,
      domain: harness.fake.url,
      loggerLevel: lark.LoggerLevel.error,
    });
    const answer = await client.im.v1.message.get({ path: { message_id: record.messageId } });
    const recorded = larkFixture<{ data: { items: Array<Record<string, unknown>> } }>(
      'message-get-merge-forward.json',
    );
    const items = (answer.data?.items ?? []) as Array<Record<string, unknown>>;
    // Every field of the recorded answer is there, item by item (the fake adds an empty `mentions`).
    expect(items).toHaveLength(recorded.data.items.length);
    recorded.data.items.forEach((item, index) => {
      expect(Object.keys(items[index])).toEqual(expect.arrayContaining(Object.keys(item)));
    });
    expect(items.map((item) => item.upper_message_id)).toEqual([
      undefined,
      record.messageId,
      record.messageId,
    ]);
    expect(state.messages.get(record.messageId)?.msgType).toBe('merge_forward');
  });
});
