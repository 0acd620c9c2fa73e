import { BedrockAgentRuntimeClient, RerankCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { LlmError } from '../core/errors';
import type { Reranker } from '../core/reranker';
import { type EmbeddingPolicy, withEmbeddingRetries } from './embedding-retry';
import { llmErrorFromBedrock } from './llm-errors';

/** Options of the Bedrock reranker; credentials come from the standard AWS chain. */
export interface BedrockRerankerOptions extends EmbeddingPolicy {
  /** `cohere.rerank-v3-5:0` or `amazon.rerank-v1:0` (or a full model ARN). */
  model: string;
  /** Region: part of the model ARN, and where the call goes. */
  region: string;
  /** Endpoint override; the SDK also honours AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME by itself. */
  endpoint?: string;
}

/** The model ARN the Rerank API takes: `arn:aws:bedrock:<region>::foundation-model/<model id>`. */
export function rerankModelArn(model: string, region: string): string {
  return model.startsWith('arn:') ? model : `arn:aws:bedrock:${region}::foundation-model/${model}`;
}

/**
 * Reranking through Bedrock's Rerank API (bedrock-agent-runtime `POST /rerank`): the question as a text query,
 * the passages as inline text documents, answered with the positions of the best `limit` of them.
 */
export function createBedrockReranker(options: BedrockRerankerOptions): Reranker {
  const client = new BedrockAgentRuntimeClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: 1,
  });
  const modelArn = rerankModelArn(options.model, options.region);
  const policy = { ...options, kind: 'rerank model' };

  return {
    model: options.model,
    async rerank(query, passages, limit, signal) {
      if (passages.length === 0) return [];
      const numberOfResults = Math.min(limit, passages.length);
      const results = await withEmbeddingRetries(
        options.model,
        policy,
        signal,
        async (callSignal) => {
          const response = await client.send(
            new RerankCommand({
              queries: [{ type: 'TEXT', textQuery: { text: query } }],
              sources: passages.map((text) => ({
                type: 'INLINE',
                inlineDocumentSource: { type: 'TEXT', textDocument: { text } },
              })),
              rerankingConfiguration: {
                type: 'BEDROCK_RERANKING_MODEL',
                bedrockRerankingConfiguration: { numberOfResults, modelConfiguration: { modelArn } },
              },
            }),
            { abortSignal: callSignal },
          );
          return response.results ?? [];
        },
        (error) => llmErrorFromBedrock(error, options.model, 'RERANK_MODEL'),
      );
      const order = [...results]
        .sort((left, right) => (right.relevanceScore ?? 0) - (left.relevanceScore ?? 0))
        .map((result) => result.index);
      const valid = order.every(
        (index, position) =>
          Number.isInteger(index) &&
          (index as number) >= 0 &&
          (index as number) < passages.length &&
          order.indexOf(index) === position,
      );
      if (!valid || order.length === 0) {
        throw new LlmError('unavailable', `rerank model ${options.model} answered without valid positions`, {
          model: options.model,
        });
      }
      return (order as number[]).slice(0, numberOfResults);
    },
  };
}
