import type { RerankConfig } from '../config-knowledge';
import type { Logger } from '../core/logger';
import type { Reranker } from '../core/reranker';

/** Deadline and retries of a rerank call: short, since a failed rerank only keeps the index's order. */
const rerankPolicy = { maxRetries: 1, timeoutMs: 10_000 };

/** Build the configured reranker (RERANK_MODEL); the AWS SDK is loaded only here. */
export function createReranker(config: RerankConfig, logger: Logger): Reranker {
  logger.info({ model: config.model }, 'rerank model ready');
  return (require('./bedrock-reranker') as typeof import('./bedrock-reranker')).createBedrockReranker({
    ...rerankPolicy,
    model: config.model,
    region: config.region,
  });
}
