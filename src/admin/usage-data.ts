import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { StateStore } from '../core/state-store';
import { costOf, type ModelPriceTable, priceOf } from '../llm/model-prices';
import { type ModelUsage, readUsage, summarizeUsage, usageDay } from '../llm/usage-recorder';

/** What usage can be broken down by. */
export type UsageDimension = 'workspace' | 'user' | 'skill' | 'model';

/** Every breakdown, in the order the page offers them. */
export const usageDimensions: readonly UsageDimension[] = ['workspace', 'user', 'skill', 'model'];

/** Usage figures of one key (a workspace, a user, a skill, a model) in one day or a period. */
export interface UsageFigures {
  /** Requests (jobs) in the audit trail. */
  requests: number;
  /** Model calls (per skill from the audit trail: records older than its call count count one per model). */
  calls?: number;
  /** Tokens sent to the model. */
  inputTokens: number;
  /** Tokens the model wrote. */
  outputTokens: number;
  /** Estimated cost in US dollars. */
  cost: number;
  /** Some of the tokens were of a model with no known price (the cost leaves them out). */
  unpriced: boolean;
}

/** One key's usage in one day. */
export interface UsageRow extends UsageFigures {
  /** The UTC day, `yyyy-mm-dd`. */
  day: string;
  /** The breakdown. */
  dimension: UsageDimension;
  /** The workspace (`slack:T1`), user (`slack:T1:U1`), skill or model id. */
  key: string;
}

/** Usage over a period: every day's rows, oldest day first. */
export interface UsageReport {
  /** The days of the period, oldest first. */
  days: string[];
  /** Rows of every breakdown and day. */
  rows: UsageRow[];
  /** The workspaces seen (`platform:workspace`). */
  workspaces: string[];
}

const dayMs = 24 * 60 * 60 * 1000;

/** The cost of per-model usage at the configured prices, and whether a model had none. */
function costOfModels(
  models: Record<string, ModelUsage>,
  prices: ModelPriceTable,
): { cost: number; unpriced: boolean } {
  let cost = 0;
  let unpriced = false;
  for (const [model, usage] of Object.entries(models)) {
    const price = priceOf(model, prices);
    if (price) cost += costOf(price, usage.inputTokens, usage.outputTokens);
    else if (usage.inputTokens + usage.outputTokens > 0) unpriced = true;
  }
  return { cost, unpriced };
}

/** The workspace of the console's own admin actions (a Forget on the Knowledge page): no chat workspace. */
export const consoleActionsWorkspace = 'console';

/** Whether a record is an admin action in the console: on the audit trail, but no usage and no budget. */
export function isConsoleAction(record: AuditRecord): boolean {
  return record.platform === 'console' && record.workspace === consoleActionsWorkspace;
}

/** The key a workspace has in Usage and in the Audit filter: `platform:workspace` (`console:playground`). */
export const workspaceOf = (record: AuditRecord) => `${record.platform}:${record.workspace}`;

/** One day's rows: workspaces, users and models from the usage records, skills from the audit trail. */
async function collectDay(
  day: string,
  workspaces: readonly string[],
  records: AuditRecord[],
  store: StateStore,
  prices: ModelPriceTable,
): Promise<UsageRow[]> {
  const rows: UsageRow[] = [];
  const models = new Map<string, ModelUsage>();
  for (const workspace of workspaces) {
    const summary = summarizeUsage(await readUsage(store, workspace, day));
    const requests = records.filter((record) => workspaceOf(record) === workspace).length;
    if (summary.calls === 0 && requests === 0) continue;
    const { calls, inputTokens, outputTokens } = summary;
    rows.push({
      day,
      dimension: 'workspace',
      key: workspace,
      requests,
      calls,
      inputTokens,
      outputTokens,
      ...costOfModels(summary.models, prices),
    });
    for (const [model, usage] of Object.entries(summary.models)) {
      const total = models.get(model) ?? { calls: 0, inputTokens: 0, outputTokens: 0 };
      total.calls += usage.calls;
      total.inputTokens += usage.inputTokens;
      total.outputTokens += usage.outputTokens;
      models.set(model, total);
    }
  }
  const users = [...new Set(records.map((record) => `${workspaceOf(record)}\n${record.requester}`))];
  for (const pair of users) {
    const [workspace, user] = pair.split('\n');
    const summary = summarizeUsage(await readUsage(store, workspace, day, user));
    const requests = records.filter(
      (record) => workspaceOf(record) === workspace && record.requester === user,
    ).length;
    const { calls, inputTokens, outputTokens } = summary;
    rows.push({
      day,
      dimension: 'user',
      key: `${workspace}:${user}`,
      requests,
      calls,
      inputTokens,
      outputTokens,
      ...costOfModels(summary.models, prices),
    });
  }
  for (const [model, usage] of models) {
    const requests = records.filter((record) => record.models.includes(model)).length;
    rows.push({
      day,
      dimension: 'model',
      key: model,
      requests,
      ...usage,
      ...costOfModels({ [model]: usage }, prices),
    });
  }
  const skills = new Map<string, UsageRow>();
  for (const record of records) {
    const key = record.skill ?? 'none';
    const row = skills.get(key) ?? {
      day,
      dimension: 'skill',
      key,
      requests: 0,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cost: 0,
      unpriced: false,
    };
    row.requests += 1;
    // Records written before the audit trail kept calls count one call per model they name.
    row.calls = (row.calls ?? 0) + (record.calls ?? record.models.length);
    row.inputTokens += record.tokens.input;
    row.outputTokens += record.tokens.output;
    // A job's tokens are counted at the price of the first model it called (most jobs call one).
    const price = record.models[0] ? priceOf(record.models[0], prices) : undefined;
    if (price) row.cost += costOf(price, record.tokens.input, record.tokens.output);
    else if (record.tokens.input + record.tokens.output > 0) row.unpriced = true;
    skills.set(key, row);
  }
  rows.push(...skills.values());
  return rows;
}

/** Reads usage for the console; days before yesterday are kept once read (they no longer change). */
export interface UsageReader {
  /** The last `days` UTC days up to today. */
  read(days: number): Promise<UsageReport>;
}

/** Create the usage reader over the state store and the audit trail, pricing with the configured table. */
export function createUsageReader(
  store: StateStore,
  audit: AuditLog,
  prices: ModelPriceTable,
  now: () => Date = () => new Date(),
): UsageReader {
  // A settled day's rows and workspaces, never its records: 30 days of a busy deployment's audit trail
  // would otherwise stay in memory.
  const settledDays = new Map<string, { workspaces: string[]; rows: UsageRow[] }>();
  return {
    async read(count) {
      const today = now();
      const days = Array.from({ length: count }, (_, index) =>
        usageDay(new Date(today.getTime() - (count - 1 - index) * dayMs)),
      );
      const settled = (day: string) => day < usageDay(new Date(today.getTime() - dayMs));
      const recordsByDay = new Map<string, AuditRecord[]>();
      const workspacesByDay = new Map<string, string[]>();
      for (const day of days) {
        const cached = settledDays.get(day);
        if (cached) {
          workspacesByDay.set(day, cached.workspaces);
          continue;
        }
        const records = (await audit.readDay(day)).filter((record) => !isConsoleAction(record));
        recordsByDay.set(day, records);
        workspacesByDay.set(day, [...new Set(records.map(workspaceOf))]);
      }
      const workspaces = [...new Set([...workspacesByDay.values()].flat())].sort();
      const rows: UsageRow[] = [];
      for (const day of days) {
        const cached = settledDays.get(day);
        const dayRows =
          cached?.rows ?? (await collectDay(day, workspaces, recordsByDay.get(day) ?? [], store, prices));
        if (!cached && settled(day)) {
          settledDays.set(day, { workspaces: workspacesByDay.get(day) ?? [], rows: dayRows });
        }
        rows.push(...dayRows);
        recordsByDay.delete(day);
      }
      for (const day of settledDays.keys()) if (!days.includes(day)) settledDays.delete(day);
      return { days, rows, workspaces };
    },
  };
}

/** Add up rows into one figure per key, largest token use first. */
export function totalsByKey(rows: readonly UsageRow[]): Array<UsageFigures & { key: string }> {
  const totals = new Map<string, UsageFigures & { key: string }>();
  for (const row of rows) {
    const total = totals.get(row.key) ?? {
      key: row.key,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cost: 0,
      unpriced: false,
    };
    total.requests += row.requests;
    if (row.calls !== undefined) total.calls = (total.calls ?? 0) + row.calls;
    total.inputTokens += row.inputTokens;
    total.outputTokens += row.outputTokens;
    total.cost += row.cost;
    total.unpriced ||= row.unpriced;
    totals.set(row.key, total);
  }
  return [...totals.values()].sort(
    (left, right) =>
      right.inputTokens + right.outputTokens - (left.inputTokens + left.outputTokens) ||
      left.key.localeCompare(right.key),
  );
}

/** A workspace's use of its daily token budget today. */
export interface BudgetUse {
  /** The workspace (`platform:workspace`). */
  workspace: string;
  /** Tokens used today (UTC). */
  used: number;
  /** The daily budget (DAILY_TOKEN_BUDGET_PER_WORKSPACE). */
  budget: number;
}

/** Today's tokens of each workspace against the daily budget (the counter the budget itself keeps). */
export async function readBudgets(
  store: StateStore,
  workspaces: readonly string[],
  budget: number,
  now: Date,
): Promise<BudgetUse[]> {
  const day = usageDay(now);
  return Promise.all(
    workspaces.map(async (workspace) => ({
      workspace,
      used: (await store.counters(`budget:${workspace}:${day}`)).tokens ?? 0,
      budget,
    })),
  );
}
