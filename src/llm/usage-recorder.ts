import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../core/llm-provider';
import type { StateStore } from '../core/state-store';

/** How long daily usage records are kept. */
const usageTtlSeconds = 40 * 24 * 60 * 60;

/** Store keys of one day's usage: for the workspace, and for the user in it. */
function usageKeys(workspace: string, user: string | undefined, day: string): string[] {
  const keys = [`usage:${workspace}:${day}`];
  if (user) keys.push(`usage:${workspace}:${user}:${day}`);
  return keys;
}

/** A day's usage record: calls, tokens and latency, in total and per model. */
type UsageRecord = Record<string, number>;

/** The day a usage record is filed under: the UTC date, `yyyy-mm-dd`. */
function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Read a day's usage of a workspace (or of one user in it). */
export function readUsage(
  store: StateStore,
  workspace: string,
  day: string,
  user?: string,
): Promise<UsageRecord> {
  return store.counters(user ? `usage:${workspace}:${user}:${day}` : `usage:${workspace}:${day}`);
}

/** Record every call's model, tokens and latency per workspace and per user per day (for /usage and budgets). */
export function withUsageRecording(
  provider: LlmProvider,
  store: StateStore,
  now: () => Date = () => new Date(),
): LlmProvider {
  const record = async (request: LlmRequest, result: LlmResult) => {
    if (!request.scope) return;
    const day = usageDay(now());
    const increments = {
      calls: 1,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      latencyMs: result.latencyMs,
      [`model:${result.model}:calls`]: 1,
      [`model:${result.model}:inputTokens`]: result.usage.inputTokens,
      [`model:${result.model}:outputTokens`]: result.usage.outputTokens,
    };
    // Accounting must never fail an answer the user already has.
    await Promise.all(
      usageKeys(request.scope.workspace, request.scope.user, day).map((key) =>
        store.incrementCounters(key, increments, usageTtlSeconds).catch(() => undefined),
      ),
    );
  };
  return {
    name: provider.name,
    configured: provider.configured,
    async complete(request) {
      const result = await provider.complete(request);
      await record(request, result);
      return result;
    },
    async *stream(request): AsyncIterable<LlmStreamEvent> {
      for await (const event of provider.stream(request)) {
        if (event.type === 'done') await record(request, event.result);
        yield event;
      }
    },
  };
}
