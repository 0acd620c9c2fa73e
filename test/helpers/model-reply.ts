import type { LlmProvider } from '../../src/core/llm-provider';
import { RecordingPlatform } from '../fakes/recording-platform';
import { inboundMessage } from './messages';
import { startTestPipeline } from './pipeline';

/** What a person sees after asking the chat skill something through the real worker with this provider. */
export async function visibleChatReplies(
  llm: LlmProvider,
  question = 'tell me something',
): Promise<string[]> {
  const platform = new RecordingPlatform('console', { streaming: true });
  const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
  try {
    await pipeline.queue.enqueue(inboundMessage('chat', { command: { name: 'chat', args: question } }));
    await pipeline.drain();
  } finally {
    await pipeline.stop();
  }
  return platform.visibleMessages();
}
