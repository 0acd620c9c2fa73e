import { LlmError } from '../core/errors';
import type { LlmProvider, LlmStreamEvent } from '../core/llm-provider';

/** Create the stand-in used when no model is configured: no network, and honest about it. */
export function createOfflineProvider(): LlmProvider {
  const refuse = (): never => {
    throw new LlmError('not_configured', 'no language model is configured (LLM_PROVIDER=offline)', {
      retryable: false,
      model: 'offline',
    });
  };
  return {
    name: 'offline',
    configured: false,
    async complete() {
      return refuse();
    },
    // biome-ignore lint/correctness/useYield: the offline provider never produces text.
    async *stream(): AsyncIterable<LlmStreamEvent> {
      refuse();
    },
  };
}
