import * as lancedb from '@lancedb/lancedb';
import { DeskmateError } from '../../core/errors';
import type { KnowledgeIndex, KnowledgePrincipal, KnowledgeStatus } from '../../core/knowledge-index';
import { accessFilter, sourceOf } from './lancedb-rows';

/** Where another process's embedded index lives. */
export interface LanceDbKnowledgeReaderOptions {
  /** The same folder or object-storage URI the writing processes use (KNOWLEDGE_URI). */
  uri: string;
  /** Credentials and settings for object storage, passed to LanceDB as they are. */
  storageOptions?: Record<string, string>;
  /** How stale a read may be, in seconds (default 5). */
  readConsistencySeconds?: number;
}

/**
 * The LanceDB knowledge index opened only to read what other processes wrote (a web-only console): it never
 * creates, drops or writes a table, so unlike the writing engine it cannot start the index over when its own
 * embedding model setting differs. Tables that do not exist yet read as empty, and are looked for again on
 * each call. Whether chunks carry vectors comes from the table itself. Search, upsert and remove are refused.
 */
export async function openLanceDbKnowledgeReader(
  options: LanceDbKnowledgeReaderOptions,
): Promise<KnowledgeIndex> {
  let connection: lancedb.Connection;
  try {
    connection = await lancedb.connect(options.uri, {
      readConsistencyInterval: options.readConsistencySeconds ?? 5,
      ...(options.storageOptions ? { storageOptions: options.storageOptions } : {}),
    });
  } catch (error) {
    throw new DeskmateError(
      'not_configured',
      `the knowledge index at ${options.uri} could not be opened. Fix: check KNOWLEDGE_URI (or DATA_DIR) and that this process may read there`,
      { cause: error },
    );
  }
  // Opened again on each call: a writer may drop and create the chunks table (a new embedding model).
  const withTable = async <T>(
    name: 'sources' | 'chunks',
    read: (table: lancedb.Table) => Promise<T>,
    empty: T,
  ) => {
    if (!(await connection.tableNames()).includes(name)) return empty;
    const opened = await connection.openTable(name);
    try {
      return await read(opened);
    } finally {
      opened.close();
    }
  };
  const refuse = (): never => {
    throw new DeskmateError('bad_input', 'this knowledge index is open to read only (the web role)');
  };
  return {
    upsert: async () => refuse(),
    remove: async () => refuse(),
    search: async () => refuse(),
    async sources(principals?: KnowledgePrincipal[]) {
      if (principals && principals.length === 0) return [];
      const rows = await withTable(
        'sources',
        (sources) =>
          (principals ? sources.query().where(accessFilter(principals)) : sources.query()).toArray(),
        [],
      );
      return rows.map(sourceOf).sort((left, right) => right.indexedAt.localeCompare(left.indexedAt));
    },
    async status(): Promise<KnowledgeStatus> {
      const [sources, chunks] = await Promise.all([
        withTable('sources', (table) => table.countRows(), 0),
        withTable(
          'chunks',
          async (table) => ({
            count: await table.countRows(),
            vectors: (await table.schema()).fields.some((field) => field.name === 'vector'),
          }),
          { count: 0, vectors: false },
        ),
      ]);
      return { engine: 'lancedb', sources, chunks: chunks.count, vectors: chunks.vectors };
    },
    async close() {
      connection.close();
    },
  };
}
