import type { FakeOpenAIServer } from '../fakes/openai-server';

/** What the fake model answers a summary request with: points citing the Chinese sample's messages. */
export const chineseSummary = [
  '**摘要** 版本计划周四发布，前提是 iPad 闪退修复并通过回归测试 [1][4]。',
  '',
  '**决定**',
  '- 只有修复并通过回归测试才在周四发布，否则推迟到 18 号 [4]',
  '- 新引导流程先开放 10% [8]',
  '',
  '**待办事项**',
  '- 张伟：请刘丹在周三前审核账单文案 [6]',
].join('\n');

/** Make the fake model answer summary prompts with the Chinese summary (321 tokens in, 54 out), else "ok". */
export function answerSummaries(model: FakeOpenAIServer): void {
  model.fallback = (body) => {
    const system = String((body.messages as Array<{ content: string }>)[0]?.content ?? '');
    return {
      chunks: [system.includes('summarize') ? chineseSummary : 'ok'],
      usage: { prompt_tokens: 321, completion_tokens: 54 },
    };
  };
}
