import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../core/llm-provider';
import type { StateStore } from '../core/state-store';

/** How many days daily usage records are kept. */
export const usageRetentionDays = 40;

/** Store keys of one day's usage: for the workspace, and for the user in it. */
function usageKeys(workspace: string, user: string | undefined, day: string): string[] {
  const keys = [`usage:${workspace}:${day}`];
  if (user) keys.push(`usage:${workspace}:${user}:${day}`);
  return keys;
}

/** A day's usage record: calls, tokens and latency, in total and per model. */
type UsageRecord = Record<string, number>;

/** The day a usage record is filed under: the UTC date, `yyyy-mm-dd`. */
export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Usage of one model in a day's record. */
export interface ModelUsage {
  /** Calls answered. */
  calls: number;
  /** Tokens sent. */
  inputTokens: number;
  /** Tokens generated. */
  outputTokens: number;
}

/** A day's usage record in a readable shape: totals, and the same per model. */
export interface UsageSummary extends ModelUsage {
  /** Total wall time of the calls in milliseconds. */
  latencyMs: number;
  /** Per model id. */
  models: Record<string, ModelUsage>;
}

/** Turn a raw day's record (`calls`, `model:<id>:calls`, …) into totals and per-model usage. */
export function summarizeUsage(record: UsageRecord): UsageSummary {
  const models: Record<string, ModelUsage> = {};
  for (const [field, value] of Object.entries(record)) {
    const match = /^model:(.+):(calls|inputTokens|outputTokens)$/.exec(field);
    if (!match) continue;
    models[match[1]] ??= { calls: 0, inputTokens: 0, outputTokens: 0 };
    models[match[1]][match[2] as keyof ModelUsage] = value;
  }
  return {
    calls: record.calls ?? 0,
    inputTokens: record.inputTokens ?? 0,
    outputTokens: record.outputTokens ?? 0,
    latencyMs: record.latencyMs ?? 0,
    models,
  };
}

/** The store keys of a user's daily usage records over the days they are kept, newest first. */
export function userUsageKeys(
  workspace: string,
  user: string,
  now: Date,
  days = usageRetentionDays,
): string[] {
  return Array.from({ length: days + 1 }, (_, daysAgo) => {
    const day = usageDay(new Date(now.getTime() - daysAgo * 24 * 60 * 60 * 1000));
    return `usage:${workspace}:${user}:${day}`;
  });
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
  retentionDays = usageRetentionDays,
): LlmProvider {
  const ttlSeconds = retentionDays * 24 * 60 * 60;
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
        store.incrementCounters(key, increments, ttlSeconds).catch(() => undefined),
      ),
    );
  };
  return {
    name: provider.name,
    configured: provider.configured,
    ...(provider.offlineReason ? { offlineReason: provider.offlineReason } : {}),
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
