import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Embedder } from '../core/embedder';
import { isDeskmateError } from '../core/errors';
import type { KnowledgeIndex, KnowledgeSource } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';
import type { DocumentLimits } from '../documents/limits';
import { buildChunks } from './build-chunks';
import { accessFileExample } from './folder-access';
import { type FolderFile, scanKnowledgeFolder } from './folder-scan';
import {
  clearFolderSyncProgress,
  type FolderSyncRecord,
  writeFolderSyncProgress,
  writeFolderSyncRecord,
} from './folder-sync-record';

/** What the folder sync needs. */
export interface FolderSyncOptions {
  /** The knowledge folder (KNOWLEDGE_DIR). */
  folder: string;
  /** Where its documents are indexed. */
  index: KnowledgeIndex;
  /** Embeds chunks when an embedding model is configured. */
  embedder?: Embedder;
  /** The store whose lock lets one process sync at a time across replicas. */
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
  /** Least milliseconds between two progress records of a pass (default 1,000). */
  progressMilliseconds?: number;
}

/** What one pass did. */
export interface FolderSyncPass {
  /** Documents indexed (new, changed, or with new access). */
  indexed: number;
  /** Documents whose indexed version was current. */
  unchanged: number;
  /** Sources removed (their file is gone, unreadable, or under a broken access.json). */
  removed: number;
  /** Documents that could not be read. */
  failed: number;
}

/** The running folder sync. */
export interface FolderSync {
  /** One pass now; undefined when another process holds the lock. */
  syncOnce(): Promise<FolderSyncPass | undefined>;
  /** A pass now, then one every rescan interval. */
  start(): void;
  /** Stop passing; waits for a pass under way. */
  stop(): Promise<void>;
}

/** The lock (under the store's `lock:` namespace) one process holds while it syncs the folder. */
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
  const sorted = (list: string[]) => [...list].sort().join('\n');
  return sorted(indexed.access) === sorted(file.access) && indexed.title === basename(file.path);
}

/**
 * Keep the index in step with the knowledge folder: each pass indexes new and changed files (by content
 * hash), re-indexes a file whose access changed, and removes the sources of deleted files. A file that cannot
 * be read is logged once per version and its old chunks removed. With several replicas a store lock lets one
 * process pass at a time. A folder that is missing or unreadable changes nothing (an unmounted volume must
 * not empty the index).
 */
export function createFolderSync(options: FolderSyncOptions): FolderSync {
  const { index, logger } = options;
  const now = options.now ?? (() => new Date());
  const lockMilliseconds = options.lockMilliseconds ?? 10 * 60_000;
  const seen = new Map<string, SeenFile>();
  /** Versions that failed to read, by source id: not tried again until the file changes. */
  const failedVersions = new Map<string, string>();
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

  async function versionOf(file: FolderFile): Promise<{ version: string; bytes?: Buffer } | undefined> {
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
    if (known && known.size === info.size && known.modified === info.mtimeMs)
      return { version: known.version };
    const bytes = await readFile(file.path);
    const version = createHash('sha256').update(bytes).digest('hex');
    seen.set(file.path, { size: info.size, modified: info.mtimeMs, version });
    return { version, bytes };
  }

  async function indexFile(file: FolderFile, indexed: KnowledgeSource | undefined, pass: FolderSyncPass) {
    const id = `${folderSourcePrefix}${file.relativePath}`;
    const found = await versionOf(file);
    if (!found) return false;
    if (isCurrent(indexed, found.version, file)) {
      pass.unchanged += 1;
      return true;
    }
    if (failedVersions.get(id) === found.version) return false;
    const title = basename(file.path);
    try {
      const bytes = found.bytes ?? (await readFile(file.path));
      const chunks = await buildChunks({
        sourceId: id,
        title,
        bytes,
        name: title,
        limits: options.limits,
        embedder: options.embedder,
      });
      const source: KnowledgeSource = {
        id,
        version: found.version,
        origin: 'folder',
        title,
        access: file.access,
        indexedAt: now().toISOString(),
      };
      await index.upsert(source, chunks);
      failedVersions.delete(id);
      pass.indexed += 1;
      logger.info({ file: file.relativePath, chunks: chunks.length }, 'knowledge file indexed');
      return true;
    } catch (error) {
      if (!isDeskmateError(error) || !error.code.startsWith('document_')) throw error;
      failedVersions.set(id, found.version);
      pass.failed += 1;
      logger.warn(
        { file: file.relativePath, code: error.code },
        'knowledge file not indexed: it cannot be read',
      );
      return false;
    }
  }

  /** Record the pass for the web console; a store that fails to write only costs the console its line. */
  async function remember(
    record: Omit<FolderSyncRecord, 'finishedAt' | 'accessProblems'> & { accessProblems?: number },
  ) {
    await writeFolderSyncRecord(options.store, {
      accessProblems: 0,
      ...record,
      finishedAt: now().toISOString(),
    }).catch((error: unknown) => logger.warn({ err: error }, 'knowledge folder sync not recorded'));
  }

  /**
   * How far this pass has come, for the console ("checked 12 of 40 files"): recorded at the start and then at
   * most once a progress interval, so an unchanged folder of thousands of files costs a few writes a pass.
   */
  function passProgress(files: number, ttlMilliseconds: number) {
    const startedAt = now().toISOString();
    const every = options.progressMilliseconds ?? 1000;
    let lastWritten = Number.NEGATIVE_INFINITY;
    return {
      async checked(checked: number) {
        if (Date.now() - lastWritten < every) return;
        lastWritten = Date.now();
        await writeFolderSyncProgress(
          options.store,
          { startedAt, checked, files },
          Math.ceil(ttlMilliseconds / 1000),
        ).catch((error: unknown) => logger.warn({ err: error }, 'knowledge folder progress not recorded'));
      },
    };
  }

  async function pass(): Promise<FolderSyncPass | undefined> {
    const lock = await options.store.acquireLock(folderSyncLockKey, lockMilliseconds);
    if (!lock) return undefined;
    const started = Date.now();
    try {
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
      const result: FolderSyncPass = { indexed: 0, unchanged: 0, removed: 0, failed: 0 };
      const present = new Set<string>();
      const progress = passProgress(scan.files.length, lockMilliseconds);
      for (const [checked, file] of scan.files.entries()) {
        if (stopped) return result;
        await progress.checked(checked);
        const id = `${folderSourcePrefix}${file.relativePath}`;
        try {
          if (await indexFile(file, indexed.get(id), result)) present.add(id);
        } catch (error) {
          // A file that vanished mid-pass, or an embedding call that failed: the next pass tries again.
          present.add(id);
          result.failed += 1;
          logger.warn({ err: error, file: file.relativePath }, 'knowledge file not indexed this pass');
        }
      }
      for (const id of indexed.keys()) {
        if (present.has(id)) continue;
        await index.remove(id);
        result.removed += 1;
        logger.info({ source: id }, 'knowledge file removed from the index');
      }
      await remember({
        ...result,
        folderMissing: false,
        files: scan.files.length,
        accessProblems: scan.problems.length,
      });
      if (result.indexed + result.removed + result.failed > 0) {
        logger.info({ ...result, milliseconds: Date.now() - started }, 'knowledge folder synced');
      }
      return result;
    } finally {
      await clearFolderSyncProgress(options.store).catch(() => undefined);
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
