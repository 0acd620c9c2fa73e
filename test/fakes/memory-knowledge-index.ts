import type {
  KnowledgeChunk,
  KnowledgeHit,
  KnowledgeIndex,
  KnowledgeQuery,
  KnowledgeSource,
  KnowledgeStatus,
} from '../../src/core/knowledge-index';
import { termsOf } from '../../src/skills/ask/select-pieces';

/**
 * A hand-written KnowledgeIndex for unit tests: keyword match on the question's terms, access filtered
 * before the limit (a chunk is returned only when its source shares one of the query's principals), and
 * every search recorded so a test can see which principals it named.
 */
export class MemoryKnowledgeIndex implements KnowledgeIndex {
  readonly searches: KnowledgeQuery[] = [];
  private readonly entries = new Map<string, { source: KnowledgeSource; chunks: KnowledgeChunk[] }>();

  async upsert(source: KnowledgeSource, chunks: KnowledgeChunk[]): Promise<'indexed' | 'unchanged'> {
    const old = this.entries.get(source.id)?.source;
    const same =
      old?.version === source.version &&
      old.title === source.title &&
      old.link === source.link &&
      JSON.stringify([...old.access].sort()) === JSON.stringify([...source.access].sort());
    if (same) return 'unchanged';
    this.entries.set(source.id, { source, chunks });
    return 'indexed';
  }

  async remove(sourceId: string): Promise<boolean> {
    return this.entries.delete(sourceId);
  }

  async search(query: KnowledgeQuery): Promise<KnowledgeHit[]> {
    this.searches.push(query);
    const allowed = new Set(query.principals);
    const wanted = new Set(termsOf(query.text));
    const hits: KnowledgeHit[] = [];
    for (const { source, chunks } of this.entries.values()) {
      if (!source.access.some((principal) => allowed.has(principal))) continue;
      for (const chunk of chunks) {
        const terms = new Set(termsOf(`${source.title} ${chunk.headingPath.join(' ')} ${chunk.text}`));
        const score = [...wanted].filter((term) => terms.has(term)).length;
        if (score > 0) hits.push({ chunk, source, score });
      }
    }
    return hits.sort((left, right) => right.score - left.score).slice(0, query.limit);
  }

  async sources(principals?: string[]): Promise<KnowledgeSource[]> {
    const all = [...this.entries.values()].map((entry) => entry.source);
    const allowed = principals ? new Set(principals) : undefined;
    return all
      .filter((source) => !allowed || source.access.some((principal) => allowed.has(principal)))
      .sort((left, right) => right.indexedAt.localeCompare(left.indexedAt));
  }

  async status(): Promise<KnowledgeStatus> {
    const chunks = [...this.entries.values()].reduce((sum, entry) => sum + entry.chunks.length, 0);
    return { engine: 'memory', sources: this.entries.size, chunks, vectors: false };
  }

  /** The chunks stored for a source (tests check their vectors). */
  chunksOf(sourceId: string): KnowledgeChunk[] {
    return this.entries.get(sourceId)?.chunks ?? [];
  }

  async close(): Promise<void> {}
}
