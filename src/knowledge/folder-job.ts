import { createHash } from 'node:crypto';
import type { JobKind } from '../core/job-queue';
import type { KnowledgePrincipal } from '../core/knowledge-index';

/** A folder file's version: the SHA-256 of its bytes (a pass queues it, its job indexes that version or nothing). */
export function folderFileVersion(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Index one knowledge folder file at the version a pass found, with the access it found. */
export interface IndexFolderFile {
  /** What to do. */
  kind: 'index';
  /** The pass that queued it. */
  passId: string;
  /** `folder:<path from the folder's root>`. */
  sourceId: string;
  /** The file's path from the folder's root. */
  relativePath: string;
  /** The content hash the pass found: the job indexes this version or nothing. */
  version: string;
  /** Who may read it. */
  access: KnowledgePrincipal[];
}

/** Remove a folder source: its file is gone, or its folder's access.json is broken. */
export interface RemoveFolderSource {
  /** What to do. */
  kind: 'remove';
  /** The pass that queued it. */
  passId: string;
  /** The source to remove. */
  sourceId: string;
}

/** One job of a knowledge folder pass. */
export type FolderJob = IndexFolderFile | RemoveFolderSource;

/**
 * Folder jobs on the queue: ordered per source (a file's versions are indexed in the order passes found them;
 * different files in parallel), deduped per pass and source. Not per version: a file changed A → B → A must
 * have its third job run, and running a version the index already holds changes nothing anyway.
 */
export const folderJobs: JobKind<FolderJob> = {
  jobId: (job) =>
    `folder-${job.passId}-${createHash('sha256').update(job.sourceId).digest('hex').slice(0, 16)}`,
  dedupeKeys: (job) => [`knowledge-folder:${job.passId}:${job.sourceId}`],
  // Long enough to cover a pass that is started again for some reason; a pass id is never reused.
  dedupeTtlSeconds: 60 * 60,
  orderingKey: (job) => job.sourceId,
};
