import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import type { Embedder, EmbeddingPurpose } from '../core/embedder';
import { LlmError } from '../core/errors';
import { type EmbeddingPolicy, withEmbeddingRetries } from './embedding-retry';
import { llmErrorFromBedrock } from './llm-errors';

/** Options of the Bedrock embedder; region and credentials come from the standard AWS chain. */
export interface BedrockEmbedderOptions extends EmbeddingPolicy {
  /** `amazon.titan-embed-text-v2:0`, `cohere.embed-multilingual-v3` or `cohere.embed-english-v3`. */
  model: string;
  /** Region; the SDK's own chain when unset. */
  region?: string;
  /** Endpoint override; the SDK also honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME by itself. */
  endpoint?: string;
}

/** The vector length Deskmate asks Titan v2 for (it offers 256, 512 and 1024). */
const titanDimensions = 1024;
/** Most texts one Cohere Embed request may carry. */
const cohereBatch = 96;
/** Cohere Embed reads at most 2,048 characters of a text. */
const cohereCharacters = 2048;
/** Titan v2 reads at most 50,000 characters of a text. */
const titanCharacters = 50_000;

/** Whether a model id is one of the Bedrock embedding models Deskmate speaks. */
export function isBedrockEmbeddingModel(model: string): boolean {
  return /^(amazon\.titan-embed-text-v2|cohere\.embed-(multilingual|english)-v3)/.test(model);
}

/**
 * Embeddings from Bedrock's InvokeModel: Titan Text Embeddings v2 (one text a call, 1024 numbers,
 * normalized) or Cohere Embed v3 (up to 96 texts a call, passages and questions embedded as such).
 */
export function createBedrockEmbedder(options: BedrockEmbedderOptions): Embedder {
  const client = new BedrockRuntimeClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: 1,
  });
  const cohere = options.model.startsWith('cohere.');

  const invoke = (body: Record<string, unknown>, signal?: AbortSignal) =>
    withEmbeddingRetries(
      options.model,
      options,
      signal,
      async (callSignal) => {
        const response = await client.send(
          new InvokeModelCommand({
            modelId: options.model,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify(body),
          }),
          { abortSignal: callSignal },
        );
        return JSON.parse(new TextDecoder().decode(response.body)) as Record<string, unknown>;
      },
      (error) => llmErrorFromBedrock(error, options.model, 'EMBEDDING_MODEL'),
    );

  const malformed = () =>
    new LlmError('unavailable', `embedding model ${options.model} answered without vectors`, {
      model: options.model,
    });

  return {
    model: options.model,
    async embed(texts: string[], purpose: EmbeddingPurpose, signal?: AbortSignal) {
      const vectors: number[][] = [];
      if (cohere) {
        for (let start = 0; start < texts.length; start += cohereBatch) {
          const batch = texts
            .slice(start, start + cohereBatch)
            .map((text) => text.slice(0, cohereCharacters));
          const answer = await invoke(
            {
              texts: batch,
              input_type: purpose === 'query' ? 'search_query' : 'search_document',
              truncate: 'END',
            },
            signal,
          );
          const embeddings = answer.embeddings;
          if (!Array.isArray(embeddings) || embeddings.length !== batch.length) throw malformed();
          vectors.push(...(embeddings as number[][]));
        }
        return vectors;
      }
      for (const text of texts) {
        const answer = await invoke(
          { inputText: text.slice(0, titanCharacters), dimensions: titanDimensions, normalize: true },
          signal,
        );
        if (!Array.isArray(answer.embedding)) throw malformed();
        vectors.push(answer.embedding as number[]);
      }
      return vectors;
    },
  };
}
