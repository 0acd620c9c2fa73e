import type { Embedder } from '../core/embedder';
import { LlmError } from '../core/errors';
import { type EmbeddingPolicy, withEmbeddingRetries } from './embedding-retry';
import { postForText } from './http-post';
import { llmErrorFromHttp } from './llm-errors';

/** Options of an OpenAI-compatible `/embeddings` endpoint (bge-m3 on vLLM or Ollama, DashScope text-embedding-v3). */
export interface OpenAIEmbedderOptions extends EmbeddingPolicy {
  /** Base URL including the version path, e.g. `https://dashscope.aliyuncs.com/compatible-mode/v1`. */
  baseUrl: string;
  /** API key (omitted for a local server). */
  apiKey?: string;
  /** The model, e.g. `bge-m3` or `text-embedding-v3`. */
  model: string;
}

/** Texts per request: DashScope's text-embedding-v3 takes at most 10, and every server takes that many. */
const batchSize = 10;
/** Characters of one text sent (about 8,000 tokens of Chinese, well over any chunk). */
const maxCharacters = 8_000;

/** The body of a successful `/embeddings` answer. */
interface EmbeddingsAnswer {
  data?: Array<{ index?: number; embedding?: number[] }>;
}

/** Embeddings from `POST {base}/embeddings`, ten texts a request, placed by each answer's `index`. */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  const request = (input: string[], signal?: AbortSignal) =>
    withEmbeddingRetries(
      options.model,
      options,
      signal,
      async (callSignal) => {
        const body = JSON.stringify({ model: options.model, input, encoding_format: 'float' });
        const response = await postForText(url, headers, body, callSignal);
        const text = await response.text();
        if (response.status !== 200) {
          const retryAfter = Number(response.header('retry-after'));
          throw llmErrorFromHttp(
            response.status,
            text,
            options.model,
            Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
          );
        }
        const answer = JSON.parse(text) as EmbeddingsAnswer;
        const vectors: Array<number[] | undefined> = Array.from({ length: input.length }, () => undefined);
        for (const [position, item] of (answer.data ?? []).entries()) {
          vectors[item.index ?? position] = item.embedding as number[];
        }
        if (vectors.length !== input.length || vectors.some((vector) => !Array.isArray(vector))) {
          throw new LlmError(
            'unavailable',
            `embedding model ${options.model} answered without every vector`,
            {
              model: options.model,
            },
          );
        }
        return vectors as number[][];
      },
      (error) => error,
    );

  return {
    model: options.model,
    async embed(texts, _purpose, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize).map((text) => text.slice(0, maxCharacters));
        vectors.push(...(await request(batch, signal)));
      }
      return vectors;
    },
  };
}
