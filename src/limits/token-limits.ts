import { DeskmateError } from '../core/errors';
import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../core/llm-provider';
import type { StateStore } from '../core/state-store';
import { estimateTokens } from '../llm/token-estimator';

/** Token limits on model use. */
interface TokenLimits {
  /** Most input tokens one model call may send (0: unlimited). */
  maxRequestTokens: number;
  /** Tokens (input + output) a workspace may use per UTC day (0: unlimited). */
  dailyWorkspaceTokens: number;
}

function requestTokens(request: LlmRequest): number {
  const content = request.messages
    .map((message) =>
      typeof message.content === 'string'
        ? message.content
        : message.content.map((block) => JSON.stringify(block)).join(' '),
    )
    .join('\n');
  return estimateTokens(`${request.system ?? ''}\n${content}`);
}

/** Enforce a per-call input cap and a daily budget per workspace around a provider. */
export function withTokenLimits(
  provider: LlmProvider,
  store: StateStore,
  limits: TokenLimits,
  now: () => Date = () => new Date(),
): LlmProvider {
  const budgetKey = (request: LlmRequest) =>
    request.scope ? `budget:${request.scope.workspace}:${now().toISOString().slice(0, 10)}` : undefined;
  const before = async (request: LlmRequest) => {
    if (limits.maxRequestTokens > 0) {
      const tokens = requestTokens(request);
      if (tokens > limits.maxRequestTokens) {
        throw new DeskmateError('context_too_long', `request of ~${tokens} tokens is over the cap`, {
          userMessage: {
            en: `That request is too large (about ${tokens} tokens; the limit per request is ${limits.maxRequestTokens}). Try a shorter period or thread.`,
            zh: `这个请求太大（约 ${tokens} 个 token，每次请求上限为 ${limits.maxRequestTokens}）。请缩短时间范围或选择更短的话题。`,
          },
        });
      }
    }
    const key = budgetKey(request);
    if (key && limits.dailyWorkspaceTokens > 0) {
      const used = (await store.counters(key)).tokens ?? 0;
      if (used >= limits.dailyWorkspaceTokens) {
        throw new DeskmateError('budget_exceeded', `workspace used ${used} tokens today`);
      }
    }
  };
  const after = async (request: LlmRequest, result: LlmResult) => {
    const key = budgetKey(request);
    if (key && limits.dailyWorkspaceTokens > 0) {
      await store.incrementCounters(
        key,
        { tokens: result.usage.inputTokens + result.usage.outputTokens },
        2 * 86400,
      );
    }
  };
  return {
    name: provider.name,
    configured: provider.configured,
    ...(provider.offlineReason ? { offlineReason: provider.offlineReason } : {}),
    async complete(request) {
      await before(request);
      const result = await provider.complete(request);
      await after(request, result);
      return result;
    },
    async *stream(request): AsyncIterable<LlmStreamEvent> {
      await before(request);
      for await (const event of provider.stream(request)) {
        if (event.type === 'done') await after(request, event.result);
        yield event;
      }
    },
  };
}
