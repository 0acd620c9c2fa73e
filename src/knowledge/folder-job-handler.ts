import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import type { Embedder } from '../core/embedder';
import { DeskmateError, isDeskmateError } from '../core/errors';
import type { JobHandler } from '../core/job-queue';
import type { KnowledgeIndex, KnowledgeSource } from '../core/knowledge-index';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';
import type { DocumentLimits } from '../documents/limits';
import { buildChunks } from './build-chunks';
import { type FolderJob, folderFileVersion, type IndexFolderFile } from './folder-job';
import { accessOfFile, sameReaders } from './folder-scan';
import { countFolderJob, type FolderJobOutcome } from './folder-sync-record';

/** What running folder jobs needs. */
export interface FolderJobHandlerOptions {
  /** The knowledge folder (KNOWLEDGE_DIR). */
  folder: string;
  /** Where its documents are indexed. */
  index: KnowledgeIndex;
  /** Embeds chunks when an embedding model is configured. */
  embedder?: Embedder;
  /** Where passes are counted and unreadable versions remembered. */
  store: StateStore;
  /** Logger (paths, ids, counts; never document text). */
  logger: Logger;
  /** The document limits (DOCUMENT_*). */
  limits: DocumentLimits;
  /** The current time (tests pin it). */
  now?: () => Date;
}

/** Kept 30 days: an unreadable version is not read again each pass, only once it changes. */
const unreadableTtlSeconds = 30 * 24 * 60 * 60;

/** The store key (a JSON record) of a folder source's version that could not be read. */
export const unreadableVersionKey = (sourceId: string) => `knowledge-folder-unreadable:${sourceId}`;

/** A version of a folder file that could not be read. */
export interface UnreadableVersion {
  /** Its content hash. */
  version: string;
}

/** Whether reading a file failed because it is no longer there. */
const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/**
 * Run the jobs a folder pass queued, on any process that runs jobs. An index job reads its file and indexes it
 * only at the version and with the readers the pass found (a file changed since waits for the next pass; the index's own check
 * makes a version it already holds cost nothing); a remove job removes the source. A file that cannot be read
 * as a document has its old chunks removed and its version remembered, so passes do not queue it again until
 * it changes. Any other failure throws, and the queue runs the job again; each job's outcome is counted for
 * the pass's progress, the last one closing the pass.
 */
export function createFolderJobHandler(options: FolderJobHandlerOptions): JobHandler<FolderJob> {
  const { index, store } = options;
  const now = options.now ?? (() => new Date());

  async function indexFile(job: IndexFolderFile, logger: Logger): Promise<FolderJobOutcome> {
    const path = join(options.folder, job.relativePath);
    const inside = relative(options.folder, path);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new DeskmateError('bad_input', 'a folder job names a file outside the knowledge folder');
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      logger.info(
        { file: job.relativePath },
        'knowledge file gone before its job ran; the next pass removes it',
      );
      return 'skipped';
    }
    if (folderFileVersion(bytes) !== job.version) {
      logger.info(
        { file: job.relativePath },
        'knowledge file changed since its pass; the next pass queues it',
      );
      return 'skipped';
    }
    // Readers narrowed since the pass (an access.json changed) must not get the file with the old readers.
    const access = await accessOfFile(options.folder, job.relativePath);
    if (!access || !sameReaders(access, job.access)) {
      logger.info(
        { file: job.relativePath },
        'knowledge file access changed since its pass; the next pass queues it',
      );
      return 'skipped';
    }
    const title = basename(job.relativePath);
    let chunks: Awaited<ReturnType<typeof buildChunks>>;
    try {
      chunks = await buildChunks({
        sourceId: job.sourceId,
        title,
        bytes,
        name: title,
        limits: options.limits,
        embedder: options.embedder,
      });
    } catch (error) {
      if (!isDeskmateError(error) || !error.code.startsWith('document_')) throw error;
      await index.remove(job.sourceId);
      await store.setJson(
        unreadableVersionKey(job.sourceId),
        { version: job.version } satisfies UnreadableVersion,
        unreadableTtlSeconds,
      );
      logger.warn(
        { file: job.relativePath, code: error.code },
        'knowledge file not indexed: it cannot be read',
      );
      return 'failed';
    }
    const source: KnowledgeSource = {
      id: job.sourceId,
      version: job.version,
      origin: 'folder',
      title,
      access: job.access,
      indexedAt: now().toISOString(),
    };
    const outcome = await index.upsert(source, chunks);
    await store.delete(unreadableVersionKey(job.sourceId));
    logger.info({ file: job.relativePath, chunks: chunks.length, outcome }, 'knowledge file indexed');
    return outcome;
  }

  async function run(job: FolderJob, logger: Logger): Promise<FolderJobOutcome> {
    if (job.kind === 'index') return indexFile(job, logger);
    await index.remove(job.sourceId);
    logger.info({}, 'knowledge file removed from the index');
    return 'removed';
  }

  return async (job, attempt) => {
    const logger = options.logger.child({ jobId: attempt.jobId, passId: job.passId, source: job.sourceId });
    let outcome: FolderJobOutcome;
    try {
      outcome = await run(job, logger);
    } catch (error) {
      // The queue runs it again; on its last run it counts as failed first, so the pass still ends.
      if (attempt.lastAttempt) await countFolderJob(store, job, 'failed', now).catch(() => undefined);
      throw isDeskmateError(error)
        ? error
        : new DeskmateError('internal', 'a knowledge folder file could not be indexed', {
            cause: error,
            retryable: true,
          });
    }
    const closed = await countFolderJob(store, job, outcome, now);
    if (closed) {
      const { finishedAt: _finishedAt, folderMissing: _folderMissing, ...counts } = closed;
      logger.info(counts, 'knowledge folder synced');
    }
  };
}
