import type { ConversationRef } from '../../src/core/conversation';
import { deliver, messageEvent } from '../fakes/lark-events';
import { docBlocks } from '../fakes/lark-state';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { documentModel } from '../helpers/document-model';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const group: ConversationRef = {
  platform: 'lark',
  workspace: 'tenant-fake',
  channel: groupChatId,
  kind: 'group',
};

// Lark sends business errors with HTTP 400 and {code, msg} (the fake does too): Deskmate still reads the code.

describe('Lark business errors sent as HTTP 400', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], { text: 'Here is the answer you asked for.' });

  beforeAll(async () => {
    harness = await startLarkHarness({ llm });
  });
  afterAll(() => harness.stop());

  test('a question in a thread whose first message was recalled is answered in the chat', async () => {
    const state = harness.fake.state;
    const root = state.userSays({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: 'Plans for Friday?' }),
    });
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} what do you think?',
      mentions: ['bot'],
      parentId: root.messageId,
      inThread: true,
    });
    // 张三 recalls the thread's first message before Deskmate answers.
    root.deleted = true;
    const before = state.botMessages().length;
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = state.botMessages().slice(before);
    expect(sent.map((message) => [message.chatId, message.rootId])).toEqual([[groupChatId, undefined]]);
    expect(state.visibleText(sent[0])).toContain('Here is the answer you asked for.');
  });

  test('"too many updates" (230020, HTTP 400) waits and tries again instead of failing', async () => {
    harness.fake.fail({
      method: 'POST',
      path: /\/im\/v1\/messages$/,
      times: 1,
      status: 400,
      code: 230020,
      msg: 'Update the single messages too frequently',
    });
    const ref = await harness.adapter.platform.post(group, { markdown: 'after the limit' });
    expect(harness.fake.state.messages.get(ref.id)).toBeDefined();
  });

  test('a tenant_access_token Lark stopped accepting (App Secret reset) is replaced, and the call goes through', async () => {
    const state = harness.fake.state;
    const tokenRequests = () =>
      harness.fake.requestsTo('POST', /\/auth\/v3\/tenant_access_token\/internal$/).length;
    await harness.adapter.platform.post(group, { markdown: 'warm-up' });
    const tokensBefore = tokenRequests();
    harness.fake.revokeTokens();
    const before = state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} still there?',
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = state.botMessages().slice(before);
    expect(sent.map((message) => state.visibleText(message))).toEqual([
      expect.stringContaining('Here is the answer you asked for.'),
    ]);
    expect(tokenRequests()).toBe(tokensBefore + 1);
  });

  test('when no fresh token can be had either, the failure says to check the app credentials', async () => {
    harness.fake.revokeTokens();
    harness.fake.fail({
      method: 'POST',
      path: /\/auth\/v3\/tenant_access_token\/internal$/,
      times: 1,
      status: 400,
      code: 10014,
      msg: 'app secret invalid',
    });
    const failure = await harness.adapter.platform
      .post(group, { markdown: 'x' })
      .catch((error: unknown) => error);
    harness.fake.failures.length = 0;
    expect(failure).toMatchObject({ larkCode: 99991663, retryable: false });
    expect(String((failure as Error).message)).toContain('Fix: check LARK_APP_ID and LARK_APP_SECRET');
  });
});

describe('Lark Docs and chats Deskmate cannot look up (HTTP 400 with a code)', () => {
  let harness: LarkHarness;
  const docHost = 'https://deskmate-test.feishu.cn';
  const link = `${docHost}/docx/doxcnTenantPlan0001`;

  beforeAll(async () => {
    harness = await startLarkHarness({ llm: documentModel() });
    harness.fake.state.addDoc({
      token: 'doxcnTenantPlan0001',
      title: 'Plan 2027',
      blocks: docBlocks('Plan 2027', ['# Plan', 'Hire two engineers in Q1.']),
      linkShare: 'tenant_readable',
      members: [],
    });
  });
  afterAll(() => harness.stop());

  const ask = async (userId: string) => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId,
      text: `{mention:0} summarize ${link}`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    return harness.fake.state.botMessages().slice(before);
  };

  test('in a chat the bot cannot look up (232011), a Doc summary is answered privately', async () => {
    harness.fake.fail({
      method: 'GET',
      path: new RegExp(`/im/v1/chats/${groupChatId}$`),
      times: 5,
      status: 400,
      code: 232011,
      msg: 'the operator is not in the chat',
    });
    const sent = await ask(people.alice.openId);
    harness.fake.failures.length = 0;
    const direct = harness.fake.state.directChat(people.alice.openId).chatId;
    expect(sent.map((message) => message.chatId)).toEqual([direct]);
    const text = harness.fake.state.visibleText(sent[0]);
    expect(text).toContain('Summary of Plan 2027');
    expect(text).toContain('Only you can see this: it comes from a document');
  });

  test('a missing Docs permission scope (99991672) tells what the admin must add, not that the person may not read it', async () => {
    harness.fake.fail({
      method: 'GET',
      path: /\/drive\/v2\/permissions\/doxcnTenantPlan0001\/public$/,
      times: 5,
      status: 400,
      code: 99991672,
      msg: 'Access denied. One of the following scopes is required: [docs:permission.setting:readonly]',
    });
    const sent = await ask(people.zhangsan.openId);
    harness.fake.failures.length = 0;
    const text = sent.map((message) => harness.fake.state.visibleText(message)).join('\n');
    expect(text).toContain('the Lark app is missing a permission it needs');
    expect(text).toContain('An admin adds them from adapters/lark/scopes.json');
    expect(text).not.toContain("I won't read that document for you");
  });
});
