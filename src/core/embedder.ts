/**
 * The embedding port: texts in, vectors of meaning out, from one model per deployment (EMBEDDING_MODEL).
 * Knowledge search uses it to find passages that say the same thing in other words.
 */

/** What a text is embedded for: some models (Cohere) embed stored passages and questions differently. */
export type EmbeddingPurpose = 'document' | 'query';

/** Turns texts into vectors; every vector of one embedder has the same length. */
export interface Embedder {
  /** The model's name (`amazon.titan-embed-text-v2:0`, `bge-m3`, `test`). */
  readonly model: string;
  /** One vector per text, in order; long batches are split by the embedder itself. */
  embed(texts: string[], purpose: EmbeddingPurpose, signal?: AbortSignal): Promise<number[][]>;
}
