import type { Embedder } from '../core/embedder';
import type { Reranker } from '../core/reranker';
import { createMasker } from './masking';

/**
 * The embedder with personal data masked (MASK_PERSONAL_DATA=on): each passage and question goes to the
 * embedding endpoint with placeholders (`<EMAIL_1>`) instead of the values, as chat requests do. Nothing comes
 * back to unmask: vectors only. Keyword search still reads the passages as stored, so an address is found.
 */
export function withMaskedEmbeddings(embedder: Embedder): Embedder {
  return {
    model: embedder.model,
    embed: (texts, purpose, signal) =>
      embedder.embed(
        texts.map((text) => createMasker().mask(text)),
        purpose,
        signal,
      ),
  };
}

/**
 * The reranker with personal data masked: the question and its candidate passages share one masker, so the same
 * address is the same placeholder on both sides and still counts for relevance. Positions come back, no text.
 */
export function withMaskedReranking(reranker: Reranker): Reranker {
  return {
    model: reranker.model,
    rerank(query, passages, limit, signal) {
      const masker = createMasker();
      return reranker.rerank(
        masker.mask(query),
        passages.map((passage) => masker.mask(passage)),
        limit,
        signal,
      );
    },
  };
}
