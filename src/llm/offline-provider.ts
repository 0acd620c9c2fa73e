import { LlmError } from '../core/errors';
import type { LlmProvider, LlmStreamEvent } from '../core/llm-provider';

/**
 * Create the stand-in used when no model is configured, or when a run is asked to go without one
 * (`offline_run`): no network, and honest about it.
 */
export function createOfflineProvider(
  reason: NonNullable<LlmProvider['offlineReason']> = 'not_configured',
): LlmProvider {
  const refuse = (): never => {
    const message =
      reason === 'offline_run'
        ? 'this run was asked to use no language model'
        : 'no language model is configured (LLM_PROVIDER=offline)';
    throw new LlmError('not_configured', message, {
      retryable: false,
      model: 'offline',
    });
  };
  return {
    name: 'offline',
    configured: false,
    offlineReason: reason,
    async complete() {
      return refuse();
    },
    // biome-ignore lint/correctness/useYield: the offline provider never produces text.
    async *stream(): AsyncIterable<LlmStreamEvent> {
      refuse();
    },
  };
}
