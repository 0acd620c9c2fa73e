import { LlmError } from '../../src/core/errors';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

describe('chat skill through the pipeline', () => {
  test('remembers the conversation: the second turn reaches the model with the first', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([
      { text: 'Nice to meet you, Alice.' }, // routing call answers the first message
      { text: 'You said your name is Alice.' }, // routing call answers the second
    ]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('my name is Alice'));
    await pipeline.drain();
    await pipeline.queue.enqueue(inboundMessage('what is my name?'));
    await pipeline.drain();
    expect(platform.visibleMessages()).toEqual(['Nice to meet you, Alice.', 'You said your name is Alice.']);
    const second = llm.requests[1];
    expect(second.messages.map((message) => message.content)).toEqual([
      'my name is Alice',
      'Nice to meet you, Alice.',
      'what is my name?',
    ]);
    await pipeline.stop();
  });

  test('a Chinese message gets a Chinese-language instruction to the model', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([{ text: '好的' }]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('你好，今天有什么安排？'));
    await pipeline.drain();
    expect(llm.requests[0].system).toMatch(/in Chinese/);
    await pipeline.stop();
  });

  test('a model failure mid-answer keeps the streamed text and adds the apology in the same message', async () => {
    const platform = new RecordingPlatform('console', { streaming: true });
    const partial = 'The first half of the answer';
    const llm = {
      name: 'failing',
      configured: true,
      async complete() {
        return {
          text: '',
          toolCalls: [],
          stopReason: 'end_turn' as const,
          truncated: false,
          usage: { inputTokens: 1, outputTokens: 0 },
          model: 'm',
          latencyMs: 1,
        };
      },
      async *stream() {
        yield { type: 'text' as const, text: partial };
        throw new LlmError('unavailable', 'stream broke', { partialText: partial, retryable: true });
      },
    };
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(
      inboundMessage('hi', { command: { name: 'chat', args: 'tell me a story' } }),
    );
    await pipeline.drain();
    const messages = platform.visibleMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(partial);
    expect(messages[0]).toContain('a service I depend on is unavailable');
    await pipeline.stop();
  });
});
