import type { KnowledgeChunk, KnowledgeOrigin, KnowledgeSource } from '../core/knowledge-index';

/** A source as every engine stores it: a LanceDB row and an OpenSearch document have the same fields. */
export type SourceRecord = {
  id: string;
  version: string;
  origin: string;
  title: string;
  link: string | null;
  access: string[];
  added_by: string | null;
  indexed_at: string;
};

/** A list as an engine gives it back (an Arrow vector from LanceDB, an array from OpenSearch), as strings. */
export function stringList(value: unknown): string[] {
  if (!value) return [];
  return Array.from(value as Iterable<unknown>, (item) => String(item));
}

/** A source as a record. */
export function sourceRecord(source: KnowledgeSource): SourceRecord {
  return {
    id: source.id,
    version: source.version,
    origin: source.origin,
    title: source.title,
    link: source.link ?? null,
    access: [...source.access],
    added_by: source.addedBy ?? null,
    indexed_at: source.indexedAt,
  };
}

/** A stored record as a source. */
export function sourceFromRecord(record: Record<string, unknown>): KnowledgeSource {
  return {
    id: String(record.id),
    version: String(record.version),
    origin: String(record.origin) as KnowledgeOrigin,
    title: String(record.title),
    ...(record.link ? { link: String(record.link) } : {}),
    access: stringList(record.access),
    ...(record.added_by ? { addedBy: String(record.added_by) } : {}),
    indexedAt: String(record.indexed_at),
  };
}

/** A stored chunk record as a chunk (without its vector: answers never need it). */
export function chunkFromRecord(record: Record<string, unknown>): KnowledgeChunk {
  return {
    id: String(record.id),
    sourceId: String(record.source_id),
    text: String(record.text),
    headingPath: stringList(record.heading_path),
    place: String(record.place),
    language: record.language === 'zh' ? 'zh' : 'en',
  };
}
