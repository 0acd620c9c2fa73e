import type { EmbeddingConfig } from '../config-knowledge';
import type { Embedder } from '../core/embedder';
import type { Logger } from '../core/logger';
import { TestEmbedder } from './test-embedder';

/** Deadlines and retries of embedding calls. */
const embeddingPolicy = { maxRetries: 2, timeoutMs: 30_000 };

/** Build the configured embedder (EMBEDDING_MODEL); the AWS SDK is loaded only for Bedrock. */
export function createEmbedder(config: EmbeddingConfig, logger: Logger): Embedder {
  logger.info({ provider: config.provider, model: config.model }, 'embedding model ready');
  switch (config.provider) {
    case 'bedrock':
      return (require('./bedrock-embedder') as typeof import('./bedrock-embedder')).createBedrockEmbedder({
        ...embeddingPolicy,
        model: config.model,
        region: config.region,
      });
    case 'openai':
      return (require('./openai-embedder') as typeof import('./openai-embedder')).createOpenAIEmbedder({
        ...embeddingPolicy,
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        model: config.model,
      });
    case 'test':
      return new TestEmbedder();
  }
}
