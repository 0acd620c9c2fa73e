import type { LlmConfig } from '../config';
import type { LlmProvider } from '../core/llm-provider';
import type { Logger } from '../core/logger';
import { createOfflineProvider } from './offline-provider';

/** Build the configured model provider. */
export function createProvider(config: LlmConfig, logger: Logger): LlmProvider {
  switch (config.provider) {
    case 'offline':
      logger.warn(
        { provider: 'offline' },
        'no language model configured: commands work, free text gets a notice. Set LLM_PROVIDER=bedrock or LLM_PROVIDER=openai to enable answers',
      );
      return createOfflineProvider();
    default:
      throw new Error(`LLM_PROVIDER=${config.provider} is not available in this build yet`);
  }
}
