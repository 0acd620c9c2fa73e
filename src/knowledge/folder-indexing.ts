import type { JobQueue } from '../core/job-queue';
import type { FolderJob } from './folder-job';
import { createFolderJobHandler, type FolderJobHandlerOptions } from './folder-job-handler';
import { createFolderSync, type FolderSync, type FolderSyncOptions } from './folder-sync';

/** The knowledge folder kept in step with the index: passes that scan and queue, workers that index. */
export interface FolderIndexing {
  /** The passes (one process at a time). */
  sync: FolderSync;
  /** The queue the passes fill and the workers take from. */
  queue: JobQueue<FolderJob>;
  /** Run the queue's jobs here (no passes). */
  runJobs(): Promise<void>;
  /** Run the queue's jobs here, then pass now and every rescan interval. */
  start(): Promise<void>;
  /** Stop passing, let running jobs finish within the grace period, leave the rest queued. */
  stop(graceMs: number): Promise<void>;
}

/** Wire the folder's passes to the queue's workers (a process that runs jobs does both). */
export function createFolderIndexing(options: FolderSyncOptions & FolderJobHandlerOptions): FolderIndexing {
  const sync = createFolderSync(options);
  const handler = createFolderJobHandler(options);
  let jobsStarted: Promise<void> | undefined;
  const runJobs = () => {
    jobsStarted ??= options.queue.start(handler);
    return jobsStarted;
  };
  return {
    sync,
    queue: options.queue,
    runJobs,
    async start() {
      await runJobs();
      sync.start();
    },
    async stop(graceMs) {
      await sync.stop();
      await options.queue.stop(graceMs);
    },
  };
}
