import { createLarkAdapter } from '../../adapters/lark';
import type { ConversationRef } from '../../src/core/conversation';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { deliver, messageEvent } from '../fakes/lark-events';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const group: ConversationRef = {
  platform: 'lark',
  workspace: 'tenant-fake',
  channel: groupChatId,
  kind: 'group',
};
const answer =
  '**周五**的发布会推迟到下周一上午十点，地点不变，请大家提前十分钟到场并带好各自负责的材料清单。';

describe('what Feishu users see around a Lark answer', () => {
  let harness: LarkHarness;
  // The routing call says nothing, so the chat skill answers with its own (streamed) call.
  const llm = new ScriptedLlm([], (request) => ({ text: request.purpose === 'route' ? '' : answer }));

  beforeAll(async () => {
    harness = await startLarkHarness({
      llm,
      // As the adapter names itself when LARK_DOMAIN=feishu (checked below); the fake has a URL as domain.
      wrapPlatform: (platform) => ({ ...platform, displayName: 'Feishu (飞书)' }),
    });
  });
  afterAll(() => harness.stop());

  test('a streamed answer shows its own first words in the chat list, not "…"', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      text: '{mention:0} 周五的发布会改时间了吗？',
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const [sent] = harness.fake.state.botMessages().slice(before);
    const card = sent && harness.fake.state.cardOf(sent);
    expect(card?.json.config?.streaming_mode).toBe(false);
    const summary = (card?.json.config?.summary as { content?: string } | undefined)?.content ?? '';
    expect(summary.startsWith('周五的发布会推迟到下周一上午十点')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(60);
    expect(summary).not.toContain('**');
  });

  test('the model is told it talks on Feishu (飞书), not "lark"', () => {
    const system = llm.requests.map((request) => request.system ?? '').join('\n');
    expect(system).toContain('talking with 张三 on Feishu (飞书)');
    expect(system).toContain('The user wrote to you in Feishu (飞书)');
    expect(system).not.toMatch(/\bon lark\b/);
  });

  test("a Chinese answer's sources and oversized attachment are labelled in Chinese", async () => {
    const ref = await harness.adapter.platform.post(group, {
      markdown: '会议纪要已整理好。',
      citations: [{ label: '1', url: 'https://applink.feishu.cn/client/chat/open?openChatId=oc_x' }],
      file: { filename: '纪要.ics', contentType: 'text/calendar', content: 'x'.repeat(5000) },
    });
    const message = harness.fake.state.messages.get(ref.id);
    const text = message ? harness.fake.state.visibleText(message) : '';
    expect(text).toContain('来源： [1](https://applink.feishu.cn/');
    expect(text).toContain('📎 纪要.ics（5000 字节，内容过大，此处不显示）');
    expect(text).not.toContain('Sources:');
    expect(text).not.toContain('too large to show here');
  });

  test('an English answer keeps English labels', async () => {
    const ref = await harness.adapter.platform.post(group, {
      markdown: 'The minutes are ready.',
      citations: [{ label: '1', url: 'https://applink.feishu.cn/client/chat/open?openChatId=oc_x' }],
    });
    const message = harness.fake.state.messages.get(ref.id);
    expect(message && harness.fake.state.visibleText(message)).toContain('Sources: [1](https://applink');
  });
});

test('the Lark adapter names its platform Feishu (飞书) on the feishu domain, Lark on the lark one', () => {
  const logger = createLogger({ level: 'silent' });
  const store = createMemoryStateStore();
  const named = (domain: string) =>
    createLarkAdapter({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 'secret',
      domain,
      mode: 'webhook',
      receive: false,
      queue: createMemoryQueue({ store, logger }),
      store,
      logger,
    }).platform.displayName;
  expect(named('feishu')).toBe('Feishu (飞书)');
  expect(named('lark')).toBe('Lark');
});
