import type { StateStore } from '../core/state-store';
import type { JobOutcome } from '../pipeline/worker';

/** One request as the audit trail keeps it: who, where, what ran, at what cost, with what result; no text. */
export interface AuditRecord {
  /** When the job finished (ISO 8601). */
  at: string;
  /** The job id (derived from the platform's event id). */
  jobId: string;
  /** `slack`, `lark`, `console`. */
  platform: string;
  /** Slack team id, Lark tenant key. */
  workspace: string;
  /** Channel or chat id, and thread when there is one. */
  conversation: { channel: string; thread?: string; kind: 'dm' | 'group' };
  /** The requester's platform user id. */
  requester: string;
  /** The skill that ran, when one did. */
  skill?: string;
  /** What picked it (command, model, action, conversation). */
  routedBy?: string;
  /** The models called, in order of first use. */
  models: string[];
  /** Tokens sent to and received from the models. */
  tokens: { input: number; output: number };
  /** Model calls that answered (absent in records written before it was kept). */
  calls?: number;
  /** `ok`, or the error or refusal code. */
  outcome: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** What the skill changed: todos, tasks, calendar events (kinds and ids). */
  effects: Array<{ action: 'created' | 'closed' | 'deleted'; kind: string; id: string }>;
}

/** The audit record of a finished job: ids, counts and codes from its outcome, no message text. */
export function auditRecordOf(finished: JobOutcome, at: Date): AuditRecord {
  const { conversation, author } = finished.message;
  return {
    at: at.toISOString(),
    jobId: finished.jobId,
    platform: conversation.platform,
    workspace: conversation.workspace,
    conversation: {
      channel: conversation.channel,
      ...(conversation.thread ? { thread: conversation.thread } : {}),
      kind: conversation.kind,
    },
    requester: author.id,
    ...(finished.skill ? { skill: finished.skill } : {}),
    ...(finished.routedBy ? { routedBy: finished.routedBy } : {}),
    models: finished.usage.models,
    tokens: finished.usage.tokens,
    calls: finished.usage.calls,
    outcome: finished.outcome,
    durationMs: finished.durationMs,
    effects: finished.effects,
  };
}

/** Audit records are kept this long unless AUDIT_RETENTION_DAYS says otherwise. */
export const defaultAuditRetentionDays = 90;

const indexKey = (day: string) => `audit:index:${day}`;
const recordKey = (day: string, jobId: string) => `audit:record:${day}:${jobId}`;

/** Records read from the store at once (a day of a busy workspace holds thousands). */
const readBatchSize = 500;

/** The UTC days (yyyy-mm-dd) from `since` to `until`, inclusive, oldest first. */
export function auditDays(since: Date, until: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  for (; day.getTime() <= until.getTime(); day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** The audit trail in the state store: one record per request, by UTC day, each expiring after the retention. */
export interface AuditLog {
  /** Keep one record (a job that runs again overwrites its own). */
  write(record: AuditRecord): Promise<void>;
  /** The records of the days from `since` to `until` (UTC dates, inclusive), oldest first: for a day or two. */
  read(since: Date, until: Date): Promise<AuditRecord[]>;
  /** The job ids one UTC day (yyyy-mm-dd) holds: how many requests it had, without reading them. */
  jobIdsOf(day: string): Promise<string[]>;
  /** The records of one UTC day, oldest first (of `jobIds` when already known). */
  readDay(day: string, jobIds?: readonly string[]): Promise<AuditRecord[]>;
}

/** Create the audit log over a state store. */
export function createAuditLog(store: StateStore, retentionDays = defaultAuditRetentionDays): AuditLog {
  const ttlSeconds = retentionDays * 24 * 60 * 60;
  const jobIdsOf = async (day: string) => Object.keys(await store.counters(indexKey(day)));
  const readDay = async (day: string, jobIds?: readonly string[]) => {
    const ids = jobIds ?? (await jobIdsOf(day));
    const records: AuditRecord[] = [];
    for (let start = 0; start < ids.length; start += readBatchSize) {
      const found = await Promise.all(
        ids
          .slice(start, start + readBatchSize)
          .map((jobId) => store.getJson<AuditRecord>(recordKey(day, jobId))),
      );
      for (const record of found) if (record !== undefined) records.push(record);
    }
    return records.sort((left, right) => left.at.localeCompare(right.at));
  };
  return {
    async write(record) {
      const day = record.at.slice(0, 10);
      await store.setJson(recordKey(day, record.jobId), record, ttlSeconds);
      await store.incrementCounters(indexKey(day), { [record.jobId]: 1 }, ttlSeconds);
    },
    async read(since, until) {
      const records: AuditRecord[] = [];
      for (const day of auditDays(since, until)) records.push(...(await readDay(day)));
      return records;
    },
    jobIdsOf,
    readDay,
  };
}
