import { createOpenAICompatibleProvider } from '../../src/llm/openai-provider';
import { createLogger } from '../../src/logger';
import { FakeOpenAIServer, type OpenAIScript } from '../fakes/openai-server';
import { RecordingPlatform } from '../fakes/recording-platform';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

describe('model faults end in bounded time with one polite reply', () => {
  const fake = new FakeOpenAIServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());

  const cases: Array<[string, OpenAIScript[], RegExp]> = [
    ['429 on every try', [{ status: 429 }, { status: 429 }, { status: 429 }], /the model is busy/],
    ['500 on every try', [{ status: 500 }, { status: 500 }, { status: 500 }], /unavailable/],
    ['a stall before the first token', [{ chunks: ['late'], delayMs: 3000 }], /took too long/],
  ];

  test.each(cases)('%s', async (_name, script, polite) => {
    fake.enqueue(...script);
    const llm = createOpenAICompatibleProvider({
      baseUrl,
      model: 'fake',
      firstTokenTimeoutMs: 300,
      totalTimeoutMs: 2000,
      maxRetries: 2,
      logger: createLogger({ level: 'silent' }),
      sleep: async () => {},
    });
    const platform = new RecordingPlatform('console', { streaming: true });
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(
      inboundMessage('chat', { command: { name: 'chat', args: 'tell me something' } }),
    );
    await pipeline.drain();
    await pipeline.stop();
    const messages = platform.visibleMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(polite);
  });
});
