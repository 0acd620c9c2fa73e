import type * as lancedb from '@lancedb/lancedb';
import { DeskmateError } from '../../core/errors';
import type { KnowledgeIndex, KnowledgePrincipal, KnowledgeStatus } from '../../core/knowledge-index';
import { sourceFromRecord } from '../stored-records';
import { connectLanceDb, type LanceDbLocation } from './lancedb-connect';
import { accessFilter } from './lancedb-rows';

/** Where another process's embedded index lives: the same URI the writing processes use (KNOWLEDGE_URI). */
export type LanceDbKnowledgeReaderOptions = LanceDbLocation;

/**
 * The LanceDB knowledge index opened only to read what other processes wrote (a web-only console): it never
 * creates, drops or writes a table, so unlike the writing engine it cannot start the index over when its own
 * embedding model setting differs. Tables that do not exist yet read as empty, and are looked for again on
 * each call. Whether chunks carry vectors comes from the table itself. Search, upsert and remove are refused.
 */
export async function openLanceDbKnowledgeReader(
  options: LanceDbKnowledgeReaderOptions,
): Promise<KnowledgeIndex> {
  const connection = await connectLanceDb(options, 'read');
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
      return rows.map(sourceFromRecord).sort((left, right) => right.indexedAt.localeCompare(left.indexedAt));
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
