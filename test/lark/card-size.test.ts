import type { ConversationRef } from '../../src/core/conversation';
import { groupChatId, type LarkHarness, startLarkHarness } from './lark-harness';

const group: ConversationRef = {
  platform: 'lark',
  workspace: 'tenant-fake',
  channel: groupChatId,
  kind: 'group',
};

/** The bytes of the last message request's body as sent (UTF-8 JSON). */
function lastSendBytes(harness: LarkHarness): number {
  const sends = harness.fake.requestsTo('POST', /\/im\/v1\/messages$/);
  return Buffer.byteLength(JSON.stringify(sends.at(-1)?.body ?? {}));
}

// Lark limits a card message to 30 KB of request body (code 230025); Chinese text is 3 bytes a character.

describe('Lark: long answers fit in a card', () => {
  let harness: LarkHarness;

  beforeAll(async () => {
    harness = await startLarkHarness();
  });
  afterAll(() => harness.stop());

  test('a 15,000-character Chinese answer is posted, cut to fit 30 KB, with the note in Chinese', async () => {
    const markdown = '季度报告的要点如下，请各部门按时提交材料。'.repeat(750);
    const ref = await harness.adapter.platform.post(group, { markdown });
    const message = harness.fake.state.messages.get(ref.id);
    const text = message ? harness.fake.state.visibleText(message) : '';
    expect(text.startsWith('季度报告的要点如下')).toBe(true);
    expect(text).toContain('回答达到长度上限，已被截断');
    expect(text.length).toBeGreaterThan(7000);
    expect(lastSendBytes(harness)).toBeLessThanOrEqual(30 * 1024);
  });

  test('long Chinese sections are cut too, and an English answer gets the English note', async () => {
    const ref = await harness.adapter.platform.post(group, {
      markdown: `The report, section by section. ${'More detail follows here. '.repeat(50)}`,
      sections: [1, 2, 3].map((index) => ({ title: `第${index}部分`, markdown: '细节说明。'.repeat(1500) })),
    });
    const message = harness.fake.state.messages.get(ref.id);
    const text = message ? harness.fake.state.visibleText(message) : '';
    expect(text).toContain('第3部分');
    expect(text).toContain('Cut short: the answer reached its length limit');
    expect(lastSendBytes(harness)).toBeLessThanOrEqual(30 * 1024);
  });

  test('an attachment too large to show gives its size in bytes (a Chinese character is 3)', async () => {
    const ref = await harness.adapter.platform.post(group, {
      markdown: '会议纪要见附件。',
      file: { filename: '纪要.md', contentType: 'text/markdown', content: '纪'.repeat(4000) },
    });
    const message = harness.fake.state.messages.get(ref.id);
    expect(message && harness.fake.state.visibleText(message)).toContain('📎 纪要.md（12000 字节，内容过大');
  });

  test('a short answer is sent whole, with no note', async () => {
    const ref = await harness.adapter.platform.post(group, { markdown: '明天上午十点开会。' });
    const message = harness.fake.state.messages.get(ref.id);
    expect(message && harness.fake.state.visibleText(message)).toBe('明天上午十点开会。');
  });

  test('the fake refuses a card over 30 KB as Lark does: HTTP 400, code 230025', async () => {
    const token = await fetch(`${harness.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: harness.fake.appId, app_secret: harness.fake.appSecret }),
    }).then((response) => response.json() as Promise<{ tenant_access_token: string }>);
    const card = {
      schema: '2.0',
      config: {},
      body: { elements: [{ tag: 'markdown', content: '很长的内容'.repeat(2500) }] },
    };
    const response = await fetch(`${harness.fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token.tenant_access_token}`,
      },
      body: JSON.stringify({
        receive_id: groupChatId,
        msg_type: 'interactive',
        content: JSON.stringify(card),
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(230025);
  });
});
