import type { StateStore } from '../core/state-store';

/**
 * The last pass of the knowledge folder sync, as the web console shows it: when, how many files the folder
 * held and what the pass did. Counts only, never paths or text. Written by whichever process ran the pass, so
 * a console in another process (role web) reads it too.
 */
export interface FolderSyncRecord {
  /** When the pass finished (ISO 8601). */
  finishedAt: string;
  /** The folder could not be read (an unmounted volume): nothing was changed. */
  folderMissing: boolean;
  /** Supported documents found in the folder. */
  files: number;
  /** Documents indexed (new, changed, or with new access). */
  indexed: number;
  /** Documents whose indexed version was current. */
  unchanged: number;
  /** Sources removed. */
  removed: number;
  /** Documents that could not be read. */
  failed: number;
  /** Folders left out because their access.json is broken. */
  accessProblems: number;
}

/** The store key (a JSON record) of the last pass whose jobs are all done. */
export const folderSyncRecordKey = 'knowledge-folder-sync';

/** Kept 30 days: a console still says when the folder was last synced after the sync stopped running. */
const folderSyncRecordTtlSeconds = 30 * 24 * 60 * 60;

/** Remember a pass. */
export function writeFolderSyncRecord(store: StateStore, record: FolderSyncRecord): Promise<void> {
  return store.setJson(folderSyncRecordKey, record, folderSyncRecordTtlSeconds);
}

/** The last pass, if one ran within the record's 30 days. */
export async function readFolderSyncRecord(store: StateStore): Promise<FolderSyncRecord | undefined> {
  return (await store.getJson<FolderSyncRecord>(folderSyncRecordKey)) ?? undefined;
}

/** A pass whose jobs are queued, as the pass left it: what it found and how many jobs it queued. */
export interface FolderPassPlan {
  /** The pass's id (its jobs carry it). */
  passId: string;
  /** When the pass started (ISO 8601). */
  startedAt: string;
  /** Supported documents found in the folder. */
  files: number;
  /** Jobs queued: files to index and sources to remove. */
  jobs: number;
  /** Documents the pass found current (no job). */
  unchanged: number;
  /** Folders left out for a broken access.json. */
  accessProblems: number;
}

/** A pass under way, as the web console shows it: its jobs finished so far out of those queued. */
export interface FolderSyncProgress {
  /** When the pass started (ISO 8601). */
  startedAt: string;
  /** Supported documents found in the folder. */
  files: number;
  /** Jobs the pass queued (files to index, sources to remove). */
  jobs: number;
  /** Jobs finished so far, on any process. */
  finished: number;
}

/** What one folder job did. */
export type FolderJobOutcome = 'indexed' | 'unchanged' | 'removed' | 'failed' | 'skipped';

/** The store key (a JSON record) of the pass whose jobs are under way; gone when they are done. */
export const folderSyncProgressKey = 'knowledge-folder-sync-progress';

/** The counter record of a pass's finished jobs, by outcome. */
const passCountersKey = (passId: string) => `knowledge-folder-pass:${passId}`;

/** A day: a pass's jobs are long done by then, or were lost (the next pass then closes the pass). */
const passTtlSeconds = 24 * 60 * 60;

/** Remember a pass whose jobs are queued (written before the first is queued, so a job can find it). */
export function writeFolderPassPlan(store: StateStore, plan: FolderPassPlan): Promise<void> {
  return store.setJson(folderSyncProgressKey, plan, passTtlSeconds);
}

/** The pass whose jobs are under way, if any (a record without a pass id is an older version's progress: none). */
export async function readFolderPassPlan(store: StateStore): Promise<FolderPassPlan | undefined> {
  const plan = await store.getJson<FolderPassPlan>(folderSyncProgressKey);
  return plan?.passId ? plan : undefined;
}

/** The pass under way, if any: its jobs finished out of those queued. */
export async function readFolderSyncProgress(store: StateStore): Promise<FolderSyncProgress | undefined> {
  const plan = await readFolderPassPlan(store);
  if (!plan) return undefined;
  const counted = await store.counters(passCountersKey(plan.passId));
  return { startedAt: plan.startedAt, files: plan.files, jobs: plan.jobs, finished: counted.finished ?? 0 };
}

/**
 * Close a pass: its record (the pass's own counts plus its jobs' outcomes) replaces its progress. Called by
 * the job that finishes last, or by the next pass when jobs were lost; closing twice writes the same record.
 */
export async function closeFolderPass(
  store: StateStore,
  plan: FolderPassPlan,
  finishedAt: Date,
): Promise<FolderSyncRecord> {
  const counted = await store.counters(passCountersKey(plan.passId));
  const record: FolderSyncRecord = {
    finishedAt: finishedAt.toISOString(),
    folderMissing: false,
    files: plan.files,
    indexed: counted.indexed ?? 0,
    unchanged: plan.unchanged + (counted.unchanged ?? 0),
    removed: counted.removed ?? 0,
    failed: counted.failed ?? 0,
    accessProblems: plan.accessProblems,
  };
  await writeFolderSyncRecord(store, record);
  const current = await readFolderPassPlan(store);
  if (current?.passId === plan.passId) await store.delete(folderSyncProgressKey);
  await store.delete(passCountersKey(plan.passId));
  return record;
}

/** The seen mark of a folder job's count: a job run again (its process died after counting) counts once. */
const jobCountedKey = (passId: string, sourceId: string) => `knowledge-folder-counted:${passId}:${sourceId}`;

/**
 * Count a finished job of a pass, once per source (a job run again after its process died counts no more);
 * the job that finishes the pass's last closes it and gets its record.
 */
export async function countFolderJob(
  store: StateStore,
  job: { passId: string; sourceId: string },
  outcome: FolderJobOutcome,
  finishedAt: () => Date,
): Promise<FolderSyncRecord | undefined> {
  if (!(await store.markSeen(jobCountedKey(job.passId, job.sourceId), passTtlSeconds))) return undefined;
  const counted = await store.incrementCounters(
    passCountersKey(job.passId),
    { finished: 1, [outcome]: 1 },
    passTtlSeconds,
  );
  const plan = await readFolderPassPlan(store);
  if (plan?.passId !== job.passId || counted.finished !== plan.jobs) return undefined;
  return closeFolderPass(store, plan, finishedAt());
}
