/**
 * The reranking port: a model that reads a question with each candidate passage and orders the passages by how
 * well they answer it (RERANK_MODEL). Knowledge answers use it to pick their excerpts from more candidates.
 */

/** Orders passages by relevance to a question. */
export interface Reranker {
  /** The model's name (`cohere.rerank-v3-5:0`, `amazon.rerank-v1:0`). */
  readonly model: string;
  /** The positions in `passages` of the `limit` most relevant to `query`, most relevant first. */
  rerank(query: string, passages: string[], limit: number, signal?: AbortSignal): Promise<number[]>;
}
