import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmError } from '../../src/core/errors';
import type { LlmProvider } from '../../src/core/llm-provider';
import { createOpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../src/llm/openai-provider';
import { createLogger } from '../../src/logger';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { visibleChatReplies } from '../helpers/model-reply';

describe('OpenAI-compatible provider against a loopback fake', () => {
  const fake = new FakeOpenAIServer();
  let baseUrl: string;
  const sleeps: number[] = [];
  const provider = (overrides: Partial<OpenAICompatibleOptions> = {}): LlmProvider =>
    createOpenAICompatibleProvider({
      baseUrl,
      apiKey: 'sk-test',
      model: 'qwen-plus',
      modelOverrides: { summarize: 'qwen-max' },
      firstTokenTimeoutMs: 2000,
      totalTimeoutMs: 5000,
      maxRetries: 2,
      logger: createLogger({ level: 'silent' }),
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      ...overrides,
    });

  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    sleeps.length = 0;
    fake.requests.length = 0;
  });

  test('a plain reply, with the system prompt, key, model and usage', async () => {
    fake.enqueue({ chunks: ['Hello', ', Alice'] });
    const result = await provider().complete({
      system: 'be brief',
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 50,
    });
    expect(result).toMatchObject({
      text: 'Hello, Alice',
      stopReason: 'end_turn',
      truncated: false,
      model: 'qwen-plus',
    });
    expect(result.usage).toEqual({ inputTokens: 42, outputTokens: 12 });
    expect(fake.requests[0]).toMatchObject({
      model: 'qwen-plus',
      max_tokens: 50,
      stream: true,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(fake.headers[0].authorization).toBe('Bearer sk-test');
  });

  test('a streamed reply arrives piece by piece, then the whole result', async () => {
    fake.enqueue({ chunks: ['one ', 'two ', 'three'] });
    const pieces: string[] = [];
    let final = '';
    for await (const event of provider().stream({
      messages: [{ role: 'user', content: 'count' }],
      purpose: 'summarize',
    })) {
      if (event.type === 'text') pieces.push(event.text);
      else final = event.result.text;
    }
    expect(pieces).toEqual(['one ', 'two ', 'three']);
    expect(final).toBe('one two three');
    expect(fake.requests[0].model).toBe('qwen-max');
  });

  test('a tool-use round trip: tool call, then the tool result, then the final text', async () => {
    fake.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'summarize', arguments: { period: 'today' } }] },
      { chunks: ['Done.'] },
    );
    const llm = provider();
    const tools = [{ name: 'summarize', description: 'summarize', inputSchema: { type: 'object' } }];
    const first = await llm.complete({
      messages: [{ role: 'user', content: 'what happened today?' }],
      tools,
    });
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls).toEqual([{ id: 'call_1', name: 'summarize', input: { period: 'today' } }]);
    expect(fake.requests[0].tools).toEqual([
      {
        type: 'function',
        function: { name: 'summarize', description: 'summarize', parameters: { type: 'object' } },
      },
    ]);
    const second = await llm.complete({
      messages: [
        { role: 'user', content: 'what happened today?' },
        { role: 'assistant', content: [{ type: 'tool_use', call: first.toolCalls[0] }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call_1', content: 'nothing much' }] },
      ],
      tools,
    });
    expect(second.text).toBe('Done.');
    expect((fake.requests[1].messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'summarize', arguments: '{"period":"today"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'nothing much' },
    ]);
  });

  test('throttling is retried (honouring retry-after) and then succeeds', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 2 }, { status: 503 }, { chunks: ['finally'] });
    const result = await provider().complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('finally');
    expect(fake.requests).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(2000);
  });

  test('a server asking to wait an hour is not waited on: the throttled error comes at once', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 3600 }, { chunks: ['too late'] });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'throttled',
    });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    // The next request gets the next answer: nothing was left waiting.
    expect((await provider().complete({ messages: [{ role: 'user', content: 'again' }] })).text).toBe(
      'too late',
    );
  });

  test('throttling past the retry budget is a retryable throttled error', async () => {
    fake.enqueue({ status: 429 }, { status: 429 }, { status: 429 });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(3);
  });

  test('a failure mid-stream keeps the partial text, marks it, and is not retried', async () => {
    fake.enqueue({ chunks: ['The first part', ' and more', ' never'], failAfterChunks: 2 });
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const event of provider().stream({ messages: [{ role: 'user', content: 'go' }] })) {
        if (event.type === 'text') seen.push(event.text);
      }
    } catch (error) {
      caught = error;
    }
    expect(seen.join('')).toBe('The first part and more');
    expect(caught).toBeInstanceOf(LlmError);
    expect(caught).toMatchObject({ partialText: 'The first part and more' });
    expect(fake.requests).toHaveLength(1);
  });

  test('no first token before the deadline is a timeout', async () => {
    fake.enqueue({ chunks: ['late'], delayMs: 800 });
    await expect(
      provider({ firstTokenTimeoutMs: 200 }).complete({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  test('an abort signal stops the call', async () => {
    fake.enqueue({ chunks: ['slow'], delayMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      provider().complete({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal }),
    ).rejects.toBeInstanceOf(LlmError);
  });

  test('hitting max tokens marks the answer truncated', async () => {
    fake.enqueue({ chunks: ['cut'], finishReason: 'length' });
    const result = await provider().complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result).toMatchObject({ truncated: true, stopReason: 'max_tokens' });
  });

  test('a 400 about context length is context_too_long, not retried, and the user is told it is too long', async () => {
    const tooLong = {
      status: 400,
      errorMessage:
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.",
    };
    fake.enqueue(tooLong);
    await expect(provider().complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'context_too_long',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
    fake.enqueue(tooLong);
    const replies = await visibleChatReplies(provider());
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/the text is too long for the model/);
    expect(fake.requests).toHaveLength(2);
  });

  test('a 400 about anything else is invalid_request, not retried', async () => {
    fake.enqueue({ status: 400, errorMessage: "Invalid value for 'temperature'" });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  test('Chinese text split across network reads in the middle of a character arrives whole', async () => {
    // A real server's TCP writes fall anywhere in the UTF-8 bytes; this one splits inside 好 (3 bytes).
    const event = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
    const bytes = Buffer.from(
      `${event('你好，')}${event('世界')}data: ${JSON.stringify({
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      })}\n\ndata: [DONE]\n\n`,
    );
    const split = bytes.indexOf(Buffer.from('好')) + 1;
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(bytes.subarray(0, split));
      setTimeout(() => response.end(bytes.subarray(split)), 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await provider({ baseUrl: `http://127.0.0.1:${port}/v1` }).complete({
        messages: [{ role: 'user', content: '打个招呼' }],
      });
      expect(result.text).toBe('你好，世界');
    } finally {
      server.close();
    }
  });
});
