import type { KnowledgeSource } from '../core/knowledge-index';

/** Whether a stored source is this one as it is now: same version, access, title and link (upsert's `unchanged`). */
export function sameSource(stored: KnowledgeSource, source: KnowledgeSource): boolean {
  const sorted = (list: string[]) => [...list].sort().join('\n');
  return (
    stored.version === source.version &&
    sorted(stored.access) === sorted(source.access) &&
    stored.title === source.title &&
    (stored.link ?? '') === (source.link ?? '')
  );
}
