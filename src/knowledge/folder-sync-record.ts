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

/** The store key (a JSON record) of the last pass. */
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

/** A pass under way, as the web console shows it: files checked so far out of those found. */
export interface FolderSyncProgress {
  /** When the pass started (ISO 8601). */
  startedAt: string;
  /** Files checked so far (indexed, found unchanged, or unreadable). */
  checked: number;
  /** Supported documents found in the folder. */
  files: number;
}

/** The store key (a JSON record) of the pass under way; gone when it ends. */
export const folderSyncProgressKey = 'knowledge-folder-sync-progress';

/** Remember how far a pass has come; kept no longer than a pass may hold its lock, so a crashed pass's fades. */
export function writeFolderSyncProgress(
  store: StateStore,
  progress: FolderSyncProgress,
  ttlSeconds: number,
): Promise<void> {
  return store.setJson(folderSyncProgressKey, progress, ttlSeconds);
}

/** The pass under way, if any. */
export async function readFolderSyncProgress(store: StateStore): Promise<FolderSyncProgress | undefined> {
  return (await store.getJson<FolderSyncProgress>(folderSyncProgressKey)) ?? undefined;
}

/** The pass ended: the console shows its record instead. */
export function clearFolderSyncProgress(store: StateStore): Promise<void> {
  return store.delete(folderSyncProgressKey);
}
