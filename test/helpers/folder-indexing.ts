import type { JobQueue } from '../../src/core/job-queue';
import { createFolderIndexing, type FolderIndexing } from '../../src/knowledge/folder-indexing';
import type { FolderJob } from '../../src/knowledge/folder-job';
import { folderJobs } from '../../src/knowledge/folder-job';
import type { FolderJobHandlerOptions } from '../../src/knowledge/folder-job-handler';
import type { FolderSyncOptions, FolderSyncPass } from '../../src/knowledge/folder-sync';
import { type FolderSyncRecord, readFolderSyncRecord } from '../../src/knowledge/folder-sync-record';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';

/** Folder indexing as a test drives it: a pass, then its jobs run to the end. */
export interface TestFolderIndexing extends FolderIndexing {
  /** One pass and all its jobs; the pass's record when it queued or recorded anything, else undefined. */
  syncAndWait(): Promise<{ pass: FolderSyncPass; record: FolderSyncRecord } | undefined>;
}

/** Folder indexing on an in-memory queue (or the one given), its workers running; no periodic passes until `start`. */
export async function startTestFolderIndexing(
  options: Omit<FolderSyncOptions, 'queue' | 'rescanMilliseconds'> &
    FolderJobHandlerOptions & {
      queue?: JobQueue<FolderJob>;
      rescanMilliseconds?: number;
      /** Run the queue's jobs in this process (default true; false: a process that only passes). */
      runJobs?: boolean;
    },
): Promise<TestFolderIndexing> {
  const queue =
    options.queue ??
    createMemoryQueue({ kind: folderJobs, store: options.store, logger: options.logger, concurrency: 2 });
  const indexing = createFolderIndexing({ rescanMilliseconds: 60 * 60_000, ...options, queue });
  if (options.runJobs !== false) await indexing.runJobs();
  return {
    ...indexing,
    async syncAndWait() {
      const pass = await indexing.sync.syncOnce();
      if (!pass) return undefined;
      await queue.drain();
      const record = await readFolderSyncRecord(options.store);
      if (!record) throw new Error('the pass left no record');
      return { pass, record };
    },
  };
}
