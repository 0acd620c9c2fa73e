// Proves: usage is read from the records the bot writes (usage counters per workspace, user and model; the
// audit trail per skill and for who asked), priced from MODEL_PRICES over the Bedrock defaults (the longest
// matching name wins, an unknown model is flagged, not guessed), turned into CSV safely; and the settings
// that turn the console on, sign its sessions and price models are validated with a fix in each message.

import { csvCell, usageCsv } from '../../src/admin/csv';
import { createUsageReader, totalsByKey } from '../../src/admin/usage-data';
import { type AuditRecord, createAuditLog } from '../../src/audit/audit-log';
import { parseConfig } from '../../src/config';
import type { LlmProvider } from '../../src/core/llm-provider';
import { costOf, parseModelPrices, priceOf } from '../../src/llm/model-prices';
import { usageDay, withUsageRecording } from '../../src/llm/usage-recorder';
import { createMemoryStateStore } from '../../src/state/memory-state-store';

/** A model that answers at once with fixed token counts under the given id. */
function fixedModel(id: string, inputTokens: number, outputTokens: number): LlmProvider {
  const result = {
    text: 'x',
    toolCalls: [],
    stopReason: 'end_turn' as const,
    truncated: false,
    usage: { inputTokens, outputTokens },
    model: id,
    latencyMs: 5,
  };
  return {
    name: 'fixed',
    configured: true,
    complete: async () => result,
    async *stream() {
      yield { type: 'done' as const, result };
    },
  };
}

function record(overrides: Partial<AuditRecord>): AuditRecord {
  return {
    at: new Date().toISOString(),
    jobId: `job-${Math.random()}`,
    platform: 'slack',
    workspace: 'T1',
    conversation: { channel: 'C1', kind: 'group' },
    requester: 'U1',
    models: [],
    tokens: { input: 0, output: 0 },
    outcome: 'ok',
    durationMs: 1,
    effects: [],
    ...overrides,
  };
}

describe('model prices', () => {
  test('MODEL_PRICES first, Bedrock defaults after, the longest matching name wins; unknown is undefined', () => {
    const configured = parseModelPrices('qwen-plus=0.4/1.2, anthropic.claude-sonnet-4=2/10');
    expect(configured.ok).toBe(true);
    if (!configured.ok) return;
    expect(priceOf('qwen-plus', configured.prices)).toEqual({ inputPerMillion: 0.4, outputPerMillion: 1.2 });
    expect(priceOf('us.anthropic.claude-sonnet-4-20250514-v1:0', configured.prices)?.inputPerMillion).toBe(2);
    expect(priceOf('us.anthropic.claude-3-5-haiku-20241022-v1:0', {})).toEqual({
      inputPerMillion: 0.8,
      outputPerMillion: 4,
    });
    expect(priceOf('anthropic.claude-3-haiku-20240307-v1:0', {})?.inputPerMillion).toBe(0.25);
    expect(priceOf('deepseek-chat', {})).toBeUndefined();
    expect(costOf({ inputPerMillion: 3, outputPerMillion: 15 }, 1_000_000, 100_000)).toBeCloseTo(4.5);
    expect(parseModelPrices('qwen-plus=cheap')).toEqual({ ok: false, problem: 'qwen-plus=cheap' });
  });

  test('the settings: ADMIN_PASSWORD, ADMIN_SESSION_SECRET and MODEL_PRICES say how to fix a bad value', () => {
    const bad = parseConfig({ ADMIN_PASSWORD: 'short', ADMIN_SESSION_SECRET: 'tiny', MODEL_PRICES: 'x=1' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const byVariable = Object.fromEntries(bad.problems.map((problem) => [problem.variable, problem.message]));
    expect(byVariable.ADMIN_PASSWORD).toMatch(
      /at least 12 characters.*or unset it to turn the web console off/,
    );
    expect(byVariable.ADMIN_SESSION_SECRET).toMatch(/openssl rand -hex 32/);
    expect(byVariable.MODEL_PRICES).toMatch(
      /"x=1" is not a price\. Fix: .*MODEL_PRICES=qwen-plus=0\.4\/1\.2/,
    );
    const good = parseConfig({
      ADMIN_PASSWORD: 'a long enough passphrase',
      MODEL_PRICES: 'qwen-plus=0.4/1.2',
    });
    expect(good.ok && good.config.admin).toEqual({
      password: 'a long enough passphrase',
      sessionSecret: undefined,
    });
    expect(good.ok && good.config.modelPrices).toEqual({
      'qwen-plus': { inputPerMillion: 0.4, outputPerMillion: 1.2 },
    });
  });
});

describe('usage for the console', () => {
  test('by workspace, user and model from the usage records; by skill from the audit trail; priced', async () => {
    const store = createMemoryStateStore();
    const audit = createAuditLog(store);
    const sonnet = withUsageRecording(fixedModel('us.anthropic.claude-sonnet-4-v1:0', 1000, 200), store);
    const qwen = withUsageRecording(fixedModel('qwen-plus', 500, 100), store);
    const alice = { workspace: 'slack:T1', user: 'U1' };
    const bob = { workspace: 'lark:tenant', user: 'ou_bob' };
    await sonnet.complete({ messages: [], scope: alice });
    await sonnet.complete({ messages: [], scope: alice });
    await qwen.complete({ messages: [], scope: bob });
    await audit.write(
      record({
        requester: 'U1',
        skill: 'summarize',
        models: ['us.anthropic.claude-sonnet-4-v1:0'],
        tokens: { input: 2000, output: 400 },
        calls: 2,
      }),
    );
    await audit.write(
      record({
        platform: 'lark',
        workspace: 'tenant',
        requester: 'ou_bob',
        skill: 'chat',
        models: ['qwen-plus'],
        tokens: { input: 500, output: 100 },
      }),
    );
    await audit.write(record({ requester: 'U1', skill: 'todo' }));

    const report = await createUsageReader(store, audit, {
      'qwen-plus': { inputPerMillion: 0.4, outputPerMillion: 1.2 },
    }).read(30);
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toBe(usageDay(new Date()));
    expect(report.workspaces).toEqual(['lark:tenant', 'slack:T1']);
    const total = (dimension: string) =>
      totalsByKey(report.rows.filter((row) => row.dimension === dimension));
    expect(total('workspace')).toEqual([
      {
        key: 'slack:T1',
        requests: 2,
        calls: 2,
        inputTokens: 2000,
        outputTokens: 400,
        cost: 0.012,
        unpriced: false,
      },
      {
        key: 'lark:tenant',
        requests: 1,
        calls: 1,
        inputTokens: 500,
        outputTokens: 100,
        cost: expect.closeTo(0.00032, 8),
        unpriced: false,
      },
    ]);
    expect(total('user').map((row) => [row.key, row.calls])).toEqual([
      ['slack:T1:U1', 2],
      ['lark:tenant:ou_bob', 1],
    ]);
    expect(total('model').map((row) => [row.key, row.calls, row.inputTokens])).toEqual([
      ['us.anthropic.claude-sonnet-4-v1:0', 2, 2000],
      ['qwen-plus', 1, 500],
    ]);
    const skills = total('skill');
    // Calls per skill from the audit trail: the record's count, or one per model in records older than it.
    expect(skills.map((row) => [row.key, row.requests, row.calls])).toEqual([
      ['summarize', 1, 2],
      ['chat', 1, 1],
      ['todo', 1, 0],
    ]);
    expect(skills[0].cost).toBeCloseTo(0.012);
  });

  test('a model with no price is flagged, its tokens counted, its cost not guessed', async () => {
    const store = createMemoryStateStore();
    const audit = createAuditLog(store);
    await withUsageRecording(fixedModel('house-model', 100, 10), store).complete({
      messages: [],
      scope: { workspace: 'slack:T9', user: 'U9' },
    });
    await audit.write(
      record({
        workspace: 'T9',
        requester: 'U9',
        skill: 'chat',
        models: ['house-model'],
        tokens: { input: 100, output: 10 },
      }),
    );
    const report = await createUsageReader(store, audit, {}).read(7);
    const [workspace] = totalsByKey(report.rows.filter((row) => row.dimension === 'workspace'));
    expect(workspace).toMatchObject({ inputTokens: 100, cost: 0, unpriced: true });
  });

  test('CSV: a header, one line per day and key, quotes doubled, formulas kept as text', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(42)).toBe('42');
    const csv = usageCsv([
      {
        day: '2026-12-01',
        dimension: 'model',
        key: 'qwen-plus',
        requests: 1,
        calls: 2,
        inputTokens: 3,
        outputTokens: 4,
        cost: 0.0000056,
        unpriced: false,
      },
      {
        day: '2026-12-01',
        dimension: 'skill',
        key: 'chat',
        requests: 1,
        inputTokens: 3,
        outputTokens: 4,
        cost: 0,
        unpriced: true,
      },
    ]);
    expect(csv).toBe(
      'day,breakdown,key,requests,model_calls,input_tokens,output_tokens,estimated_cost_usd,price_missing\r\n' +
        '2026-12-01,model,qwen-plus,1,2,3,4,0.000006,\r\n' +
        '2026-12-01,skill,chat,1,,3,4,0,yes\r\n',
    );
  });
});
