import { LlmError } from '../../src/core/errors';
import type { LlmProvider, LlmRequest } from '../../src/core/llm-provider';
import { type BedrockProviderOptions, createBedrockProvider } from '../../src/llm/bedrock-provider';
import { createLogger } from '../../src/logger';
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { waitUntil } from '../helpers/wait';

/** Read a stream to its end; what arrived, and the error it ended with (if any). */
async function readStream(llm: LlmProvider, request: LlmRequest): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    for await (const event of llm.stream(request)) if (event.type === 'text') text += event.text;
    return { text };
  } catch (error) {
    return { text, error };
  }
}

describe('Bedrock provider faults: retries, deadlines, cancellation (real client, HTTP/2 fake)', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  const sleeps: number[] = [];
  const saved = { ...process.env };
  let onSleep: () => void = () => {};
  const provider = (overrides: Partial<BedrockProviderOptions> = {}): LlmProvider =>
    createBedrockProvider({
      modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      region: 'eu-central-1',
      endpoint,
      firstTokenTimeoutMs: 3000,
      totalTimeoutMs: 6000,
      maxRetries: 2,
      logger: createLogger({ level: 'silent' }),
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
        onSleep();
      },
      ...overrides,
    });
  const ask = (signal?: AbortSignal): LlmRequest => ({
    messages: [{ role: 'user', content: 'hello' }],
    signal,
  });

  beforeAll(async () => {
    endpoint = await fake.start();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  });
  afterAll(async () => {
    process.env = saved;
    await fake.stop();
  });
  beforeEach(() => {
    sleeps.length = 0;
    fake.requests.length = 0;
    fake.cancelled = 0;
    onSleep = () => {};
  });

  test("with no retries configured a 429 is one request: the SDK's own retries are off", async () => {
    fake.enqueue({ status: 429, errorType: 'ThrottlingException' });
    await expect(provider({ maxRetries: 0 }).complete(ask())).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(1);
  });

  test('an in-stream throttling exception before any text is retried, and the answer then arrives', async () => {
    fake.enqueue(
      { chunks: ['never'], failAfterChunks: 0, streamExceptionType: 'throttlingException' },
      { chunks: ['second ', 'try'] },
    );
    const { text, error } = await readStream(provider(), ask());
    expect(error).toBeUndefined();
    expect(text).toBe('second try');
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  test('waits between retries grow and carry jitter, within bounds', async () => {
    fake.enqueue(
      { status: 503, errorType: 'ServiceUnavailableException' },
      { status: 500, errorType: 'InternalServerException' },
      { chunks: ['up'] },
    );
    await provider().complete(ask());
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
  });

  test('a model that stalls mid-answer hits the total deadline: partial text kept, not retried', async () => {
    fake.enqueue({ chunks: ['The start', ' of it', ' (never sent)'], stallAfterChunks: 2 });
    const { text, error } = await readStream(provider({ totalTimeoutMs: 400 }), ask());
    expect(text).toBe('The start of it');
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'timeout', partialText: 'The start of it' });
    expect(fake.requests).toHaveLength(1);
    await waitUntil(() => fake.cancelled === 1, 'the stalled answer to be cancelled');
  });

  test('the abort signal stops a streaming answer: partial text kept, request closed, no retry', async () => {
    fake.enqueue({ chunks: ['Partial', ' answer', ' (never sent)'], stallAfterChunks: 2 });
    const controller = new AbortController();
    let text = '';
    let caught: unknown;
    try {
      for await (const event of provider().stream(ask(controller.signal))) {
        if (event.type === 'text') text += event.text;
        if (text === 'Partial answer') controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'timeout', retryable: false, partialText: 'Partial answer' });
    expect((caught as Error).message).toMatch(/cancelled/);
    expect(fake.requests).toHaveLength(1);
    await waitUntil(() => fake.cancelled === 1, 'the aborted answer to be cancelled');
  });

  test('an abort during the wait before a retry ends the call without another request', async () => {
    fake.enqueue({ status: 429, errorType: 'ThrottlingException' });
    const controller = new AbortController();
    onSleep = () => controller.abort();
    await expect(provider().complete(ask(controller.signal))).rejects.toMatchObject({ code: 'timeout' });
    expect(fake.requests).toHaveLength(1);
    // A signal that is already aborted sends nothing at all.
    await expect(provider().complete(ask(controller.signal))).rejects.toBeInstanceOf(LlmError);
    expect(fake.requests).toHaveLength(1);
  });

  test('a caller that stops reading early closes the answer on the model side', async () => {
    fake.enqueue({ chunks: ['one', ' two', ' three'], stallAfterChunks: 1 });
    for await (const event of provider().stream(ask())) {
      if (event.type === 'text') break;
    }
    await waitUntil(() => fake.cancelled === 1, 'the abandoned answer to be cancelled');
  });

  test('a whole answer (Converse) that does not come within the total deadline is a timeout, not retried', async () => {
    fake.enqueue({ chunks: ['slow'], delayMs: 800 });
    await expect(provider({ totalTimeoutMs: 200 }).complete(ask())).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(1);
  });
});
