import { chunkUnderBudget } from '../../src/llm/token-budget';
import { readUsage, withUsageRecording } from '../../src/llm/usage-recorder';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { ScriptedLlm } from '../fakes/scripted-llm';

describe('usage accounting', () => {
  test('each call adds model, tokens and latency per workspace and per user per day', async () => {
    const store = createMemoryStateStore();
    const now = () => new Date('2026-11-28T10:00:00Z');
    const llm = withUsageRecording(new ScriptedLlm([], { text: 'hello' }), store, now);
    const scope = { workspace: 'lark:tenant-1', user: 'ou_alice' };
    await llm.complete({ messages: [{ role: 'user', content: 'a' }], scope });
    for await (const _event of llm.stream({
      messages: [{ role: 'user', content: 'b' }],
      scope: { ...scope, user: 'ou_bob' },
    })) {
      // drain
    }
    const workspace = await readUsage(store, 'lark:tenant-1', '2026-11-28');
    expect(workspace).toMatchObject({
      calls: 2,
      inputTokens: 20,
      outputTokens: 10,
      'model:scripted-model:calls': 2,
    });
    expect(await readUsage(store, 'lark:tenant-1', '2026-11-28', 'ou_alice')).toMatchObject({
      calls: 1,
      outputTokens: 5,
    });
    expect(await readUsage(store, 'lark:tenant-1', '2026-11-29')).toEqual({});
  });
});

describe('chunking under a token budget', () => {
  test('keeps order, keeps every chunk under the budget, and puts an oversized item alone', () => {
    const sizes = [3, 4, 2, 9, 1, 1, 5, 20, 2];
    const chunks = chunkUnderBudget(sizes, 10, (size) => size);
    expect(chunks.flat()).toEqual(sizes);
    expect(chunks).toEqual([[3, 4, 2], [9, 1], [1, 5], [20], [2]]);
    for (const chunk of chunks)
      if (chunk.length > 1) expect(chunk.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(10);
  });
});
