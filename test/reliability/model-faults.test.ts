import { createOpenAICompatibleProvider } from '../../src/llm/openai-provider';
import { createLogger } from '../../src/logger';
import { FakeOpenAIServer, type OpenAIScript } from '../fakes/openai-server';
import { visibleChatReplies } from '../helpers/model-reply';

describe('model faults end in bounded time with one polite reply', () => {
  const fake = new FakeOpenAIServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());

  // The deadlines the provider is given; each fault's bound below is derived from them.
  const firstTokenTimeoutMs = 1000;
  const totalTimeoutMs = 4000;
  const maxRetries = 2;
  // Room for the queue, worker, skill and a busy machine; under the gap between the two deadlines, so a stall
  // that only the later deadline ended would still fail.
  const marginMs = 2000;
  const everyTry = (answer: OpenAIScript) => Array.from({ length: maxRetries + 1 }, () => answer);

  const cases: Array<[string, OpenAIScript[], RegExp, number]> = [
    // Each try ends by its own total deadline; the waits between tries are skipped (sleep resolves at once).
    ['429 on every try', everyTry({ status: 429 }), /the model is busy/, (maxRetries + 1) * totalTimeoutMs],
    ['500 on every try', everyTry({ status: 500 }), /unavailable/, (maxRetries + 1) * totalTimeoutMs],
    // A deadline is not retried: the first-token deadline ends it, long before the answer would come.
    [
      'a stall before the first token',
      [{ chunks: ['late'], delayMs: totalTimeoutMs + 2000 }],
      /took too long/,
      firstTokenTimeoutMs,
    ],
    // Text has arrived, so only the total deadline can end it (and it is not retried either).
    [
      'a stall after the first token',
      [{ chunks: ['a start', ' never finished'], stallAfterChunks: 1 }],
      /^a start\n\n.*took too long/,
      totalTimeoutMs,
    ],
  ];

  test.each(cases)('%s', async (_name, script, polite, deadlineMs) => {
    fake.enqueue(...script);
    const llm = createOpenAICompatibleProvider({
      baseUrl,
      model: 'fake',
      firstTokenTimeoutMs,
      totalTimeoutMs,
      maxRetries,
      logger: createLogger({ level: 'silent' }),
      sleep: async () => {},
    });
    const started = performance.now();
    const messages = await visibleChatReplies(llm);
    const elapsedMs = performance.now() - started;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(polite);
    expect(elapsedMs).toBeLessThan(deadlineMs + marginMs);
  });
});
