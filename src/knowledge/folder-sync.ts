import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { JobQueue } from '../core/job-queue';
import type { KnowledgeIndex, KnowledgeSource } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';
import type { DocumentLimits } from '../documents/limits';
import { accessFileExample } from './folder-access';
import { type FolderJob, folderFileVersion } from './folder-job';
import { type UnreadableVersion, unreadableVersionKey } from './folder-job-handler';
import { type FolderFile, sameReaders, scanKnowledgeFolder } from './folder-scan';
import {
  closeFolderPass,
  type FolderSyncRecord,
  readFolderPassPlan,
  writeFolderPassPlan,
  writeFolderSyncRecord,
} from './folder-sync-record';

/** What the folder sync needs. */
export interface FolderSyncOptions {
  /** The knowledge folder (KNOWLEDGE_DIR). */
  folder: string;
  /** Where its documents are indexed (read here; the jobs write it). */
  index: KnowledgeIndex;
  /** Where a pass queues its jobs (the `knowledge` queue, run by `createFolderJobHandler`). */
  queue: JobQueue<FolderJob>;
  /** The store whose lock lets one process pass at a time across replicas. */
  store: StateStore;
  /** Logger (paths, ids, counts; never document text). */
  logger: Logger;
  /** The document limits (DOCUMENT_*). */
  limits: DocumentLimits;
  /** Milliseconds between two passes (KNOWLEDGE_RESCAN_SECONDS × 1000). */
  rescanMilliseconds: number;
  /** How long one pass may hold the lock before another process may take over (default 10 minutes). */
  lockMilliseconds?: number;
  /** The current time (tests pin it). */
  now?: () => Date;
}

/** What one pass found and queued. */
export interface FolderSyncPass {
  /** The pass's id (its jobs and progress carry it). */
  passId: string;
  /** Supported documents found in the folder. */
  files: number;
  /** Documents whose indexed version was current: no job. */
  unchanged: number;
  /** Jobs queued to index a document (new, changed, or with new access). */
  indexing: number;
  /** Jobs queued to remove a source (its file is gone, too large, unreadable, or under a broken access.json). */
  removing: number;
}

/** The running folder sync. */
export interface FolderSync {
  /**
   * One pass now: scan and queue jobs. Undefined when another process holds the lock, the folder cannot be
   * read, or the last pass's jobs are still queued or running (a pass starts once they are done; meanwhile
   * deleted files and files whose readers were taken away leave the index at once).
   */
  syncOnce(): Promise<FolderSyncPass | undefined>;
  /** A pass now, then one every rescan interval. */
  start(): void;
  /** Stop passing; waits for a pass under way (its jobs stay queued). */
  stop(): Promise<void>;
}

/** The lock (under the store's `lock:` namespace) one process holds while it scans the folder. */
export const folderSyncLockKey = 'knowledge:folder-sync';
/** Source ids of folder files: `folder:<path from the folder's root>`. */
export const folderSourcePrefix = 'folder:';

/** A file as last read: its size and time, so an untouched file is not read and hashed again. */
interface SeenFile {
  size: number;
  modified: number;
  version: string;
}

/** Whether an indexed source is this file as it is now. */
function isCurrent(indexed: KnowledgeSource | undefined, version: string, file: FolderFile): boolean {
  if (!indexed || indexed.version !== version) return false;
  return sameReaders(indexed.access, file.access) && indexed.title === basename(file.path);
}

/** Whether a source keeps every reader it was indexed with (readers added are fine; any taken away is not). */
function keepsReaders(source: KnowledgeSource, readersNow: readonly string[]): boolean {
  return source.access.every((reader) => readersNow.includes(reader));
}

/**
 * Keep the index in step with the knowledge folder. A pass only scans (stat, and a content hash of what
 * changed) and queues one job per file to index (new, changed, or with new access) and per source to remove
 * (deleted files): the jobs run on the queue's workers, on every process that runs jobs, retried by the
 * queue, each file on its own. One process passes at a time (a store lock), and a pass starts only when the
 * last one's jobs are done, so the progress the console shows is one pass's. A folder that is missing or
 * unreadable changes nothing (an unmounted volume must not empty the index).
 */
export function createFolderSync(options: FolderSyncOptions): FolderSync {
  const { index, logger, store, queue } = options;
  const now = options.now ?? (() => new Date());
  const lockMilliseconds = options.lockMilliseconds ?? 10 * 60_000;
  const seen = new Map<string, SeenFile>();
  /** Problems already logged (a broken access.json, a missing folder), so each is said once, not each pass. */
  const said = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const sayOnce = (key: string, say: () => void) => {
    if (said.has(key)) return;
    said.add(key);
    say();
  };

  /** The file's content hash, read only when its size or time changed; undefined when it is too large. */
  async function versionOf(file: FolderFile): Promise<string | undefined> {
    const info = await stat(file.path);
    if (info.size > options.limits.maxBytes) {
      sayOnce(`too-large:${file.relativePath}:${info.size}`, () =>
        logger.warn(
          { file: file.relativePath, bytes: info.size, limit: options.limits.maxBytes },
          'knowledge file not indexed: larger than DOCUMENT_MAX_BYTES. Fix: raise DOCUMENT_MAX_BYTES or split the file',
        ),
      );
      return undefined;
    }
    const known = seen.get(file.path);
    if (known && known.size === info.size && known.modified === info.mtimeMs) return known.version;
    const version = folderFileVersion(await readFile(file.path));
    seen.set(file.path, { size: info.size, modified: info.mtimeMs, version });
    return version;
  }

  /** Record a pass that queued nothing; a store that fails to write only costs the console its line. */
  async function remember(
    record: Omit<FolderSyncRecord, 'finishedAt' | 'accessProblems'> & { accessProblems?: number },
  ) {
    await writeFolderSyncRecord(store, {
      accessProblems: 0,
      ...record,
      finishedAt: now().toISOString(),
    }).catch((error: unknown) => logger.warn({ err: error }, 'knowledge folder sync not recorded'));
  }

  /** Whether the last pass's jobs are done; a pass whose jobs were lost (never counted) is closed here. */
  async function lastPassDone(): Promise<boolean> {
    if ((await queue.depth()) > 0) return false;
    const open = await readFolderPassPlan(store);
    if (open) {
      const record = await closeFolderPass(store, open, now());
      logger.warn(
        { passId: open.passId, jobs: open.jobs, indexed: record.indexed, failed: record.failed },
        'knowledge folder pass closed by the next one: some of its jobs were not counted (lost or given up)',
      );
    }
    return true;
  }

  /**
   * While a pass's jobs run (a first index of thousands of files takes a while), take out at once what must not
   * wait for them: the sources of deleted files, of folders whose access.json broke, and of files some of whose
   * readers were taken away. A file whose readers were only added waits for the next pass.
   */
  async function removeWhatMustNotWait(): Promise<void> {
    const started = Date.now();
    let scan: Awaited<ReturnType<typeof scanKnowledgeFolder>>;
    try {
      scan = await scanKnowledgeFolder(options.folder);
    } catch {
      return; // A missing folder changes nothing; the next pass says so.
    }
    const readersNow = new Map(
      scan.files.map((file) => [`${folderSourcePrefix}${file.relativePath}`, file.access]),
    );
    let removed = 0;
    for (const source of await index.sources()) {
      if (source.origin !== 'folder' || stopped) continue;
      const readers = readersNow.get(source.id);
      if (readers && keepsReaders(source, readers)) continue;
      await index.remove(source.id);
      removed += 1;
    }
    if (removed > 0) {
      logger.info(
        { removed, milliseconds: Date.now() - started },
        'knowledge sources removed while a pass runs: files deleted or readers taken away',
      );
    }
  }

  async function pass(): Promise<FolderSyncPass | undefined> {
    const lock = await store.acquireLock(folderSyncLockKey, lockMilliseconds);
    if (!lock) return undefined;
    const started = Date.now();
    try {
      if (!(await lastPassDone())) {
        await removeWhatMustNotWait();
        return undefined;
      }
      const passId = `${now().getTime().toString(36)}-${randomUUID().slice(0, 8)}`;
      const startedAt = now().toISOString();
      let scan: Awaited<ReturnType<typeof scanKnowledgeFolder>>;
      try {
        scan = await scanKnowledgeFolder(options.folder);
        said.delete('missing-folder');
      } catch (error) {
        sayOnce('missing-folder', () =>
          logger.error(
            { err: error, folder: options.folder, code: 'not_configured' },
            'KNOWLEDGE_DIR cannot be read, so the knowledge index is left as it is. Fix: point KNOWLEDGE_DIR at an existing folder this process may read, or unset it',
          ),
        );
        await remember({ folderMissing: true, files: 0, indexed: 0, unchanged: 0, removed: 0, failed: 0 });
        return undefined;
      }
      for (const problem of scan.problems) {
        sayOnce(`access:${problem.relativePath}:${problem.problem}`, () =>
          logger.error(
            { file: problem.relativePath, problem: problem.problem, code: 'not_configured' },
            `knowledge folder not indexed: its access.json ${problem.problem}. Fix: write it as ${accessFileExample}, or delete it to open the folder to everyone`,
          ),
        );
      }
      const indexed = new Map(
        (await index.sources())
          .filter((source) => source.origin === 'folder')
          .map((source) => [source.id, source]),
      );
      const indexJobs: FolderJob[] = [];
      const present = new Set<string>();
      let unchanged = 0;
      for (const file of scan.files) {
        if (stopped) return undefined;
        const sourceId = `${folderSourcePrefix}${file.relativePath}`;
        let version: string | undefined;
        try {
          version = await versionOf(file);
        } catch (error) {
          // A file that vanished mid-pass: the next pass sees it gone.
          present.add(sourceId);
          logger.warn({ err: error, file: file.relativePath }, 'knowledge file not checked this pass');
          continue;
        }
        if (!version) continue;
        if (isCurrent(indexed.get(sourceId), version, file)) {
          present.add(sourceId);
          unchanged += 1;
          continue;
        }
        const before = indexed.get(sourceId);
        // Readers taken away: out of answers now, not once its job's turn comes; back with the new ones then.
        if (before && !keepsReaders(before, file.access)) await index.remove(sourceId);
        // A version that could not be read is not queued again (nor its old chunks kept) until it changes.
        const unreadable = await store.getJson<UnreadableVersion>(unreadableVersionKey(sourceId));
        if (unreadable?.version === version) continue;
        present.add(sourceId);
        indexJobs.push({
          kind: 'index',
          passId,
          sourceId,
          relativePath: file.relativePath,
          version,
          access: file.access,
        });
      }
      // Removals first: a deleted file's chunks go before a long queue of files to index.
      const removeJobs: FolderJob[] = [...indexed.keys()]
        .filter((sourceId) => !present.has(sourceId))
        .map((sourceId) => ({ kind: 'remove', passId, sourceId }));
      const jobs = [...removeJobs, ...indexJobs];
      const result: FolderSyncPass = {
        passId,
        files: scan.files.length,
        unchanged,
        indexing: indexJobs.length,
        removing: removeJobs.length,
      };
      if (jobs.length === 0) {
        await remember({
          folderMissing: false,
          files: scan.files.length,
          indexed: 0,
          unchanged,
          removed: 0,
          failed: 0,
          accessProblems: scan.problems.length,
        });
        return result;
      }
      // The plan first, so the job that finishes last finds how many there are.
      await writeFolderPassPlan(store, {
        passId,
        startedAt,
        files: scan.files.length,
        jobs: jobs.length,
        unchanged,
        accessProblems: scan.problems.length,
      });
      for (const job of jobs) await queue.enqueue(job);
      logger.info({ ...result, milliseconds: Date.now() - started }, 'knowledge folder pass queued its jobs');
      return result;
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  const syncOnce = () => {
    const next = (running ?? Promise.resolve()).then(pass, pass);
    running = next.catch(() => undefined);
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      syncOnce()
        .catch((error: unknown) =>
          logger.error({ err: error }, 'knowledge folder sync failed; it runs again'),
        )
        .finally(schedule);
    }, options.rescanMilliseconds);
    timer.unref();
  };

  return {
    syncOnce,
    start() {
      stopped = false;
      syncOnce()
        .catch((error: unknown) =>
          logger.error({ err: error }, 'knowledge folder sync failed; it runs again'),
        )
        .finally(schedule);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
