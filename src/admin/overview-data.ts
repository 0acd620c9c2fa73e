import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { LlmConfig } from '../config';
import type { StateStore } from '../core/state-store';
import { type ProcessRecord, readProcesses } from '../observability/process-heartbeat';

/** An adapter's name and whether it is connected. */
export interface AdapterState {
  /** `slack`, `lark`, `console`. */
  name: string;
  /** Connected and able to answer. */
  ready: boolean;
}

/** Outcomes that are answers, not failures: refusals, limits, stale buttons. */
const answeredOutcomes = new Set([
  'ok',
  'dropped',
  'refused',
  'forbidden',
  'unknown_button',
  'invalid_arguments',
  'unreadable',
]);

/** Whether a job's outcome is an error (its code), rather than an answer or a refusal. */
export function isErrorOutcome(outcome: string): boolean {
  return !answeredOutcomes.has(outcome);
}

/** The codes of a failed model call (the job's outcome when the model failed it). */
const modelErrorCodes = new Set([
  'throttled',
  'unavailable',
  'timeout',
  'invalid_request',
  'context_too_long',
  'empty_answer',
]);

/** Minutes the Model card looks back for failed model calls. */
export const modelWindowMinutes = 15;

/** How the model did lately: jobs it failed (by code) and jobs it answered. */
export interface ModelHealth {
  /** Jobs that ended with a model error code in the window. */
  failures: number;
  /** Jobs in the window that called the model and finished. */
  answered: number;
  /** The failures by code, most frequent first. */
  codes: Array<{ code: string; count: number }>;
}

function modelHealthOf(records: AuditRecord[], now: Date): ModelHealth {
  const since = now.getTime() - modelWindowMinutes * 60_000;
  const byCode = new Map<string, number>();
  let answered = 0;
  for (const record of records) {
    if (Date.parse(record.at) < since) continue;
    if (modelErrorCodes.has(record.outcome)) {
      byCode.set(record.outcome, (byCode.get(record.outcome) ?? 0) + 1);
    } else if (record.models.length > 0) answered += 1;
  }
  const codes = [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
  return { failures: codes.reduce((sum, entry) => sum + entry.count, 0), answered, codes };
}

/** An error code seen recently. */
export interface RecentError {
  /** The error code (`timeout`, `throttled`, …). */
  code: string;
  /** How many jobs ended with it. */
  count: number;
  /** The last time (ISO 8601). */
  lastSeen: string;
  /** The skills it happened in. */
  skills: string[];
}

/** What the overview shows. */
export interface OverviewData {
  /** Each chat adapter of this process. */
  adapters: AdapterState[];
  /** The state store: Redis answering or not, or memory. */
  store: 'memory' | 'up' | 'down';
  /** The model provider and ids. */
  model: { provider: string; model?: string; overrides: Record<string, string> };
  /** Model failures and answers of the last minutes (the audit trail). */
  modelHealth: ModelHealth;
  /** Jobs waiting or running, when the queue answered. */
  queueDepth?: number;
  /** Jobs and errors per minute over the last three hours (labels are UTC `hh:mm`). */
  activity: { labels: string[]; jobs: number[]; errors: number[] };
  /** Jobs and errors in the last hour. */
  lastHour: { jobs: number; errors: number };
  /** Error codes of the last 24 hours, most frequent first. */
  recentErrors: RecentError[];
  /** The processes of the deployment that reported in the last two minutes. */
  processes: ProcessRecord[];
}

/** Where the overview's figures come from. */
export interface OverviewSources {
  /** The state store (processes, readiness). */
  store: StateStore;
  /** The audit trail (jobs and errors). */
  audit: AuditLog;
  /** Jobs waiting or running in the deployment's queue. */
  queueDepth(): Promise<number>;
  /** This process's adapters. */
  adapters(): AdapterState[];
  /** Whether the store is Redis. */
  redis: boolean;
  /** The model settings. */
  llm: LlmConfig;
}

const minutes = 180;

function activityOf(records: AuditRecord[], now: Date): OverviewData['activity'] {
  const end = Math.floor(now.getTime() / 60_000);
  const labels: string[] = [];
  const jobs = new Array<number>(minutes).fill(0);
  const errors = new Array<number>(minutes).fill(0);
  for (let index = 0; index < minutes; index += 1) {
    labels.push(new Date((end - minutes + 1 + index) * 60_000).toISOString().slice(11, 16));
  }
  for (const record of records) {
    const index = Math.floor(Date.parse(record.at) / 60_000) - (end - minutes + 1);
    if (index < 0 || index >= minutes) continue;
    jobs[index] += 1;
    if (isErrorOutcome(record.outcome)) errors[index] += 1;
  }
  return { labels, jobs, errors };
}

function recentErrorsOf(records: AuditRecord[], since: number): RecentError[] {
  const byCode = new Map<string, RecentError>();
  for (const record of records) {
    if (Date.parse(record.at) < since || !isErrorOutcome(record.outcome)) continue;
    const entry = byCode.get(record.outcome) ?? {
      code: record.outcome,
      count: 0,
      lastSeen: record.at,
      skills: [],
    };
    entry.count += 1;
    if (record.at > entry.lastSeen) entry.lastSeen = record.at;
    if (record.skill && !entry.skills.includes(record.skill)) entry.skills.push(record.skill);
    byCode.set(record.outcome, entry);
  }
  return [...byCode.values()].sort(
    (left, right) => right.count - left.count || left.code.localeCompare(right.code),
  );
}

/** Gather the overview: states, the queue, the last three hours of jobs and a day of error codes. */
export async function readOverview(sources: OverviewSources, now: Date): Promise<OverviewData> {
  const records = await sources.audit.read(new Date(now.getTime() - 24 * 60 * 60 * 1000), now);
  const store = sources.redis
    ? await sources.store.ping().then(
        () => 'up' as const,
        () => 'down' as const,
      )
    : 'memory';
  const queueDepth = await sources.queueDepth().catch(() => undefined);
  const activity = activityOf(records, now);
  const lastHour = {
    jobs: activity.jobs.slice(-60).reduce((sum, value) => sum + value, 0),
    errors: activity.errors.slice(-60).reduce((sum, value) => sum + value, 0),
  };
  const llm = sources.llm;
  return {
    adapters: sources.adapters(),
    store,
    model: {
      provider: llm.provider,
      model:
        llm.provider === 'bedrock'
          ? llm.bedrockModelId
          : llm.provider === 'openai'
            ? llm.openaiModel
            : undefined,
      overrides: llm.modelOverrides,
    },
    modelHealth: modelHealthOf(records, now),
    ...(queueDepth === undefined ? {} : { queueDepth }),
    activity,
    lastHour,
    recentErrors: recentErrorsOf(records, now.getTime() - 24 * 60 * 60 * 1000),
    processes: await readProcesses(sources.store, now.getTime()).catch(() => []),
  };
}
