import type { ConversationRef } from '../../src/core/conversation';
import { deliver, messageEvent } from '../fakes/lark-events';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const group: ConversationRef = {
  platform: 'lark',
  workspace: 'tenant-fake',
  channel: groupChatId,
  kind: 'group',
};

describe('Lark: command words after mentions, and who and what a transcript names', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], { text: '**摘要** 讨论了发布时间。' });

  beforeAll(async () => {
    harness = await startLarkHarness({ llm });
  });
  afterAll(() => harness.stop());

  test('“@Deskmate @所有人 总结” runs the summary by its command word, with no routing call to the model', async () => {
    const state = harness.fake.state;
    state.userSays({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      content: JSON.stringify({ text: '发布改到周五' }),
    });
    const before = state.botMessages().length;
    const requestsBefore = llm.requests.length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} {mention:1} 总结',
      mentions: ['bot', { openId: 'all', name: '所有人' }],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = state.botMessages().slice(before);
    expect(sent.map((message) => state.visibleText(message)).join('\n')).toContain('本群总结');
    expect(llm.requests.slice(requestsBefore).map((request) => request.purpose)).not.toContain('route');
  });

  test('in a chat transcript, Deskmate’s messages carry its name, another app’s “a bot”, a forwarded record its name', async () => {
    const state = harness.fake.state;
    const since = new Date(Date.now() - 1000).toISOString();
    await harness.adapter.platform.post(group, { markdown: 'The release moved to Friday.' });
    state.messages.set('om_otherbot0000000000000001', {
      messageId: 'om_otherbot0000000000000001',
      chatId: groupChatId,
      msgType: 'text',
      content: JSON.stringify({ text: 'Build 1.4 passed.' }),
      senderId: 'cli_otherapp00000000',
      senderType: 'app',
      createTime: Date.now() + 10,
      patches: 0,
    });
    state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      msgType: 'merge_forward',
      content: JSON.stringify({ content: 'Merged and Forwarded Message' }),
    });
    const history = await harness.adapter.platform.history(group, { since, limit: 50 });
    const lines = history.messages.map(
      (message) => `${message.author.name ?? message.author.id}: ${message.text}`,
    );
    expect(lines).toContain('Deskmate: The release moved to Friday.');
    expect(lines).toContain('a bot: Build 1.4 passed.');
    expect(lines).toContain('Alice: [forwarded chat record]');
    expect(lines.join('\n')).not.toMatch(/cli_|\[forwarded messages\]/);
  });
});
