import type { LlmConfig } from '../config';
import type { LlmProvider } from '../core/llm-provider';
import type { Logger } from '../core/logger';
import { createOfflineProvider } from './offline-provider';

/** Build the configured model provider. */
export function createProvider(config: LlmConfig, logger: Logger): LlmProvider {
  const deadlines = {
    firstTokenTimeoutMs: config.firstTokenTimeoutMs,
    totalTimeoutMs: config.totalTimeoutMs,
    maxRetries: config.maxRetries,
    modelOverrides: config.modelOverrides,
  };
  switch (config.provider) {
    case 'openai':
      logger.info(
        { provider: 'openai', model: config.openaiModel },
        'model provider configured; the first request checks the model and its credentials',
      );
      return (
        require('./openai-provider') as typeof import('./openai-provider')
      ).createOpenAICompatibleProvider({
        ...deadlines,
        baseUrl: config.openaiBaseUrl as string,
        apiKey: config.openaiApiKey,
        model: config.openaiModel as string,
        logger,
      });
    case 'bedrock':
      logger.info(
        { provider: 'bedrock', model: config.bedrockModelId, region: config.awsRegion },
        'model provider configured; the first request checks the model and its credentials',
      );
      // The endpoint comes from AWS_ENDPOINT_URL_BEDROCK_RUNTIME (read by the SDK) when set. The AWS SDK is
      // loaded only when Bedrock is chosen: it is a tenth of a second of start-up for everyone else.
      return (require('./bedrock-provider') as typeof import('./bedrock-provider')).createBedrockProvider({
        ...deadlines,
        modelId: config.bedrockModelId as string,
        region: config.awsRegion,
        ...(config.bedrockGuardrail ? { guardrail: config.bedrockGuardrail } : {}),
        logger,
      });
    default:
      logger.warn(
        { provider: 'offline' },
        'no language model configured: draft, todo extraction and free text answer with what to set. Fix: set LLM_PROVIDER=bedrock or LLM_PROVIDER=openai',
      );
      return createOfflineProvider();
  }
}
