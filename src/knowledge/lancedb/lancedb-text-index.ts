import * as lancedb from '@lancedb/lancedb';
import { keywordQueryOf } from '../keyword-query';

/** The column keyword search reads: the chunk's title, heading path and text (`searchTextOf`). */
export const searchTextColumn = 'search_text';

/**
 * The full-text index of the chunks table. icu finds Chinese words (年假) as well as English ones (the default
 * tokenizer splits on spaces only); English words are lowercased, stemmed (`approved` finds `approve`) and
 * their stop words dropped, as LanceDB does by default, written out here so a change is seen. No positions:
 * phrase queries are not used.
 */
export function textIndexConfig(): lancedb.Index {
  return lancedb.Index.fts({
    baseTokenizer: 'icu' as 'simple',
    language: 'English',
    lowercase: true,
    stem: true,
    removeStopWords: true,
    asciiFolding: true,
    withPosition: false,
  });
}

/** Build the full-text index on `search_text` unless the table has one. */
export async function ensureTextIndex(table: lancedb.Table): Promise<void> {
  const indices = await table.listIndices();
  if (indices.some((index) => index.columns.includes(searchTextColumn))) return;
  await table.createIndex(searchTextColumn, { config: textIndexConfig() });
}

/** The version of `search_text` a chunks table was made with (undefined: made before the column). */
export async function searchTextVersionOf(table: lancedb.Table): Promise<string | undefined> {
  const schema = await table.schema();
  const field = schema.fields.find((candidate) => candidate.name === searchTextColumn);
  return field ? (field.metadata.get('version') ?? '') : undefined;
}

/**
 * The best keyword matches of a question among the rows passing `filter`, best first: any of its words (not
 * all), its question words (`how do I`, `怎么`, `吗`) left out.
 */
export async function keywordMatches(
  table: lancedb.Table,
  question: string,
  filter: string,
  columns: string[],
  count: number,
): Promise<Array<Record<string, unknown>>> {
  if (!question.trim()) return [];
  const rows = await table
    .query()
    .fullTextSearch(keywordQueryOf(question), { columns: [searchTextColumn] })
    .where(filter)
    .select([...columns, '_score'])
    .limit(count)
    .toArray();
  return rows as Array<Record<string, unknown>>;
}
