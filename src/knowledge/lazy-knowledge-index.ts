import type { KnowledgeIndex } from '../core/knowledge-index';

/**
 * A knowledge index opened on first use: the engine (LanceDB's native module, an OpenSearch client) is
 * loaded only when something searches, lists or indexes, so processes that never use the knowledge base
 * start as fast and stay as small as before. A failed open is tried again on the next use.
 */
export function lazyKnowledgeIndex(open: () => Promise<KnowledgeIndex>): KnowledgeIndex {
  let opening: Promise<KnowledgeIndex> | undefined;
  const engine = () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  return {
    upsert: async (source, chunks) => (await engine()).upsert(source, chunks),
    remove: async (sourceId) => (await engine()).remove(sourceId),
    search: async (query) => (await engine()).search(query),
    sources: async (principals) => (await engine()).sources(principals),
    status: async () => (await engine()).status(),
    async close() {
      const opened = opening;
      opening = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
