import type * as lancedb from '@lancedb/lancedb';
import type { KnowledgeSource } from '../../core/knowledge-index';
import { chunkFromRecord, sourceFromRecord } from '../stored-records';
import { chunkRow, chunksSchema } from './lancedb-rows';
import { ensureTextIndex } from './lancedb-text-index';

/** Rows written to the new table at a time. */
const batchRows = 5000;

/**
 * Rewrite a chunks table made under another `search_text` version (or before the column) in the current
 * layout, from what it holds: each chunk's text, heading path, place, access and vector, and its source's
 * title from the sources table. Nothing is read from the documents again, so files and links added in chat
 * stay searchable across an upgrade. Chunks whose source is gone are left out. Returns the new table, or
 * undefined when no chunk was left (the next write creates it).
 */
export async function rewriteSearchText(
  connection: lancedb.Connection,
  name: string,
  old: lancedb.Table,
  sources: lancedb.Table,
  vectors: { dimensions: number; model: string } | undefined,
): Promise<{ table: lancedb.Table | undefined; chunks: number; dropped: number }> {
  const sourcesById = new Map<string, KnowledgeSource>(
    (await sources.query().toArray()).map((row) => {
      const source = sourceFromRecord(row);
      return [source.id, source];
    }),
  );
  const rows = await old.query().toArray();
  const rewritten = rows.flatMap((row: Record<string, unknown>) => {
    const source = sourcesById.get(String(row.source_id));
    if (!source) return [];
    const vector = row.vector ? Array.from(row.vector as Iterable<number>) : undefined;
    const chunk = { ...chunkFromRecord(row), ...(vector ? { vector } : {}) };
    return [chunkRow(chunk, source, String(row.write_id), vectors !== undefined)];
  });
  old.close();
  await connection.dropTable(name);
  if (rewritten.length === 0) return { table: undefined, chunks: 0, dropped: rows.length };
  const table = await connection.createEmptyTable(name, chunksSchema(vectors), { existOk: true });
  for (let start = 0; start < rewritten.length; start += batchRows) {
    await table.add(rewritten.slice(start, start + batchRows));
  }
  await ensureTextIndex(table);
  return { table, chunks: rewritten.length, dropped: rows.length - rewritten.length };
}
