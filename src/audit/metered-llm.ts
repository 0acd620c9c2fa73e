import type { LlmProvider, LlmResult, LlmStreamEvent } from '../core/llm-provider';

/** The models one job called and the tokens they took. */
export interface JobUsage {
  /** Model ids, in order of first use. */
  models: string[];
  /** Tokens sent and received. */
  tokens: { input: number; output: number };
  /** Model calls that answered. */
  calls: number;
}

/** A job's view of the model that adds up what the job used (for its audit record). */
export function meteredProvider(provider: LlmProvider): { llm: LlmProvider; usage(): JobUsage } {
  const usage: JobUsage = { models: [], tokens: { input: 0, output: 0 }, calls: 0 };
  const add = (result: LlmResult) => {
    if (!usage.models.includes(result.model)) usage.models.push(result.model);
    usage.tokens.input += result.usage.inputTokens;
    usage.tokens.output += result.usage.outputTokens;
    usage.calls += 1;
  };
  return {
    usage: () => usage,
    llm: {
      name: provider.name,
      configured: provider.configured,
      ...(provider.offlineReason ? { offlineReason: provider.offlineReason } : {}),
      async complete(request) {
        const result = await provider.complete(request);
        add(result);
        return result;
      },
      async *stream(request): AsyncIterable<LlmStreamEvent> {
        for await (const event of provider.stream(request)) {
          if (event.type === 'done') add(event.result);
          yield event;
        }
      },
    },
  };
}
