import { Field, FixedSizeList, Float32, List, Schema, Utf8 } from 'apache-arrow';
import type { KnowledgeChunk, KnowledgeSource } from '../../core/knowledge-index';
import { searchTextOf } from '../search-text';

/** A list of strings, as Arrow holds it. */
const stringList = () => new List(new Field('item', new Utf8(), true));

/** The sources table: one row per source, at its current version. */
export const sourcesSchema = new Schema([
  new Field('id', new Utf8(), false),
  new Field('version', new Utf8(), false),
  new Field('origin', new Utf8(), false),
  new Field('title', new Utf8(), false),
  new Field('link', new Utf8(), true),
  new Field('access', stringList(), false),
  new Field('added_by', new Utf8(), true),
  new Field('indexed_at', new Utf8(), false),
]);

/**
 * The version of what `search_text` holds (`searchTextOf`) and how it is indexed: a chunks table made under
 * another version (or before the column) is dropped and its sources indexed again, as for a new embedding model.
 */
export const searchTextVersion = '1';

/**
 * The chunks table: the source's access and version are copied onto every chunk, so a search filters by the
 * asker's principals in the same query that ranks (never after a top-k cut), and a new version's chunks can
 * be added (under a new write id) before the old version's are deleted. `search_text`
 * (`searchTextOf`) is what keyword search reads. `vector` is there only with an embedding model.
 */
export function chunksSchema(vectors?: { dimensions: number; model: string }): Schema {
  const fields: Field[] = [
    new Field('id', new Utf8(), false),
    new Field('source_id', new Utf8(), false),
    new Field('write_id', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('search_text', new Utf8(), false, new Map([['version', searchTextVersion]])),
    new Field('heading_path', stringList(), false),
    new Field('place', new Utf8(), false),
    new Field('language', new Utf8(), false),
    new Field('access', stringList(), false),
  ];
  if (vectors) {
    const type = new FixedSizeList(vectors.dimensions, new Field('item', new Float32(), true));
    // The model is kept with the column: vectors of another model are not comparable, so a change starts over.
    fields.push(new Field('vector', type, true, new Map([['model', vectors.model]])));
  }
  return new Schema(fields);
}

/** A chunks row. */
export type ChunkRow = {
  id: string;
  source_id: string;
  write_id: string;
  text: string;
  search_text: string;
  heading_path: string[];
  place: string;
  language: string;
  access: string[];
  vector?: number[] | null;
};

/** A chunk as a row, with its source's access and the id of the write that adds it. */
export function chunkRow(
  chunk: KnowledgeChunk,
  source: KnowledgeSource,
  writeId: string,
  withVector: boolean,
): ChunkRow {
  return {
    id: chunk.id,
    source_id: source.id,
    write_id: writeId,
    text: chunk.text,
    search_text: searchTextOf(source.title, chunk),
    heading_path: [...chunk.headingPath],
    place: chunk.place,
    language: chunk.language,
    access: [...source.access],
    ...(withVector ? { vector: chunk.vector ?? null } : {}),
  };
}

/** A string as an SQL literal for a LanceDB filter: quoted, quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The filter that keeps rows whose access shares one of the principals. */
export function accessFilter(principals: readonly string[]): string {
  return `array_has_any(access, [${principals.map(sqlString).join(', ')}])`;
}
