import type { ConversationRef } from '../../src/core/conversation';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

// CardKit takes 50 calls a second per app whatever the card; the fake refuses more with HTTP 429, as Lark does.

describe('Lark: many answers streamed at once stay under CardKit’s app-wide limit', () => {
  let harness: LarkHarness;

  beforeAll(async () => {
    harness = await startLarkHarness();
  });
  afterAll(() => harness.stop());

  test('ten answers streamed together: none of their card updates is refused, and each shows its full text', async () => {
    const state = harness.fake.state;
    const streams = Array.from({ length: 10 }, async (_unused, index) => {
      const question = state.userSays({
        chatId: groupChatId,
        userId: people.alice.openId,
        content: JSON.stringify({ text: `question ${index}` }),
      });
      const conversation: ConversationRef = {
        platform: 'lark',
        workspace: 'tenant-fake',
        channel: groupChatId,
        thread: question.messageId,
        kind: 'group',
      };
      const stream = await harness.adapter.platform.stream?.(conversation, {
        idempotencyKey: `app-limit-${index}`,
      });
      let text = '';
      for (let chunk = 0; chunk < 15; chunk += 1) {
        text += `word${chunk} `;
        await stream?.append(`word${chunk} `);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      const ref = await stream?.finish({ markdown: `${text}(answer ${index})` });
      const message = ref ? state.messages.get(ref.id) : undefined;
      return message ? state.visibleText(message) : '';
    });
    const texts = await Promise.all(streams);
    expect(texts.every((text, index) => text.includes(`(answer ${index})`))).toBe(true);
    expect(state.rateLimitedAppCardOperations).toBe(0);
  }, 60_000);
});
