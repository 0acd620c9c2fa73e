import { LlmError } from '../../src/core/errors';
import type { LlmProvider, LlmResult } from '../../src/core/llm-provider';
import { type BedrockProviderOptions, createBedrockProvider } from '../../src/llm/bedrock-provider';
import { createLogger } from '../../src/logger';
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { visibleChatReplies } from '../helpers/model-reply';

describe('Bedrock provider through the real client against an HTTP/2 fake', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  const sleeps: number[] = [];
  const saved = { ...process.env };
  const provider = (overrides: Partial<BedrockProviderOptions> = {}): LlmProvider =>
    createBedrockProvider({
      modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      modelOverrides: { summarize: 'global.anthropic.claude-sonnet-4-5' },
      region: 'us-east-1',
      endpoint,
      firstTokenTimeoutMs: 3000,
      totalTimeoutMs: 6000,
      maxRetries: 2,
      logger: createLogger({ level: 'silent' }),
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      ...overrides,
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
  });

  test('a plain reply: system prompt, messages, inference settings, usage', async () => {
    fake.enqueue({ chunks: ['Hello', ' there'] });
    const result = await provider().complete({
      system: 'be brief',
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 64,
      temperature: 0.2,
    });
    expect(result).toMatchObject({ text: 'Hello there', stopReason: 'end_turn', truncated: false });
    expect(result.usage).toEqual({ inputTokens: 37, outputTokens: 11 });
    expect(fake.requests[0].modelId).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(fake.requests[0].body).toMatchObject({
      system: [{ text: 'be brief' }],
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 64, temperature: 0.2 },
    });
  });

  test('a streamed reply arrives in pieces; the per-skill model is used', async () => {
    fake.enqueue({ chunks: ['a', 'b', 'c'] });
    const pieces: string[] = [];
    for await (const event of provider().stream({
      messages: [{ role: 'user', content: 'x' }],
      purpose: 'summarize',
    })) {
      if (event.type === 'text') pieces.push(event.text);
    }
    expect(pieces).toEqual(['a', 'b', 'c']);
    expect(fake.requests[0].modelId).toBe('global.anthropic.claude-sonnet-4-5');
  });

  test('a tool-use round trip: toolUse, then toolResult, then the final text', async () => {
    fake.enqueue(
      { toolUses: [{ toolUseId: 'tu-1', name: 'summarize', input: { period: 'today' } }] },
      { chunks: ['Here it is.'] },
    );
    const llm = provider();
    const tools = [{ name: 'summarize', description: 'Summarize', inputSchema: { type: 'object' } }];
    const first = await llm.complete({
      messages: [{ role: 'user', content: 'what happened?' }],
      tools,
      toolChoice: 'auto',
    });
    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls).toEqual([{ id: 'tu-1', name: 'summarize', input: { period: 'today' } }]);
    expect(fake.requests[0].body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'summarize',
            description: 'Summarize',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
      toolChoice: { auto: {} },
    });
    const second = await llm.complete({
      messages: [
        { role: 'user', content: 'what happened?' },
        { role: 'assistant', content: [{ type: 'tool_use', call: first.toolCalls[0] }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'tu-1', content: 'a quiet day' }] },
      ],
      tools,
    });
    expect(second.text).toBe('Here it is.');
    expect((fake.requests[1].body.messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 'tu-1', name: 'summarize', input: { period: 'today' } } }],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tu-1', content: [{ text: 'a quiet day' }], status: 'success' } },
        ],
      },
    ]);
  });

  test('a streamed tool use: text first, then the tool call assembled from its input deltas', async () => {
    fake.enqueue({
      chunks: ['Let me look.'],
      toolUses: [{ toolUseId: 'tu-9', name: 'todo', input: { task: '发周报', due: 'friday' } }],
    });
    const events: string[] = [];
    let final: LlmResult | undefined;
    for await (const event of provider().stream({
      messages: [{ role: 'user', content: 'remind me to send the weekly report' }],
      tools: [{ name: 'todo', description: 'Make a todo', inputSchema: { type: 'object' } }],
      toolChoice: { name: 'todo' },
    })) {
      if (event.type === 'text') events.push(event.text);
      else final = event.result;
    }
    expect(events).toEqual(['Let me look.']);
    expect(final).toMatchObject({
      text: 'Let me look.',
      stopReason: 'tool_use',
      toolCalls: [{ id: 'tu-9', name: 'todo', input: { task: '发周报', due: 'friday' } }],
    });
    expect(fake.requests[0].body.toolConfig).toMatchObject({ toolChoice: { tool: { name: 'todo' } } });
  });

  test('a remembered conversation with two user turns in a row and a blank turn is sent as Converse accepts it', async () => {
    fake.enqueue({ chunks: ['fine'] });
    await provider().complete({
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: '  ' },
        { role: 'user', content: 'second question' },
      ],
    });
    expect(fake.requests[0].body.messages).toEqual([
      { role: 'user', content: [{ text: 'first question' }, { text: 'second question' }] },
    ]);
  });

  test('a tool result marked as an error reaches the model with status error', async () => {
    fake.enqueue({ chunks: ['Sorry, that failed.'] });
    await provider().complete({
      messages: [
        { role: 'user', content: 'schedule it' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', call: { id: 'tu-2', name: 'schedule', input: {} } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', toolUseId: 'tu-2', content: 'no free slot', isError: true }],
        },
      ],
      tools: [{ name: 'schedule', description: 'Schedule', inputSchema: { type: 'object' } }],
    });
    expect((fake.requests[0].body.messages as Array<{ content: unknown }>)[2].content).toEqual([
      { toolResult: { toolUseId: 'tu-2', content: [{ text: 'no free slot' }], status: 'error' } },
    ]);
  });

  test('throttling is retried, then succeeds', async () => {
    fake.enqueue(
      { status: 429, errorType: 'ThrottlingException' },
      { status: 503, errorType: 'ServiceUnavailableException' },
      { chunks: ['ok now'] },
    );
    const result = await provider().complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('ok now');
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  test('throttling past the retries is a retryable throttled error', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ status: 429, errorType: 'ThrottlingException' })));
    await expect(provider().complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(3);
  });

  test('an in-stream failure keeps the partial text, marks it, and is not retried', async () => {
    fake.enqueue({ chunks: ['First half', ' second half', ' never'], failAfterChunks: 2 });
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const event of provider().stream({ messages: [{ role: 'user', content: 'go' }] })) {
        if (event.type === 'text') seen.push(event.text);
      }
    } catch (error) {
      caught = error;
    }
    expect(seen.join('')).toBe('First half second half');
    expect(caught).toBeInstanceOf(LlmError);
    expect(caught).toMatchObject({ code: 'unavailable', partialText: 'First half second half' });
    expect(fake.requests).toHaveLength(1);
  });

  test('no first token before the deadline is a timeout (streamed); a whole answer past the total deadline too', async () => {
    fake.enqueue({ chunks: ['late'], delayMs: 1000 });
    const consume = async () => {
      for await (const _event of provider({ firstTokenTimeoutMs: 200 }).stream({
        messages: [{ role: 'user', content: 'hi' }],
      })) {
        // nothing arrives in time
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'timeout' });
    fake.enqueue({ chunks: ['late'], delayMs: 1000 });
    await expect(
      provider({ totalTimeoutMs: 300 }).complete({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  test('whole answers use Converse, streamed ones ConverseStream', async () => {
    fake.enqueue({ chunks: ['whole'] }, { chunks: ['streamed'] });
    await provider().complete({ messages: [{ role: 'user', content: 'a' }] });
    for await (const _event of provider().stream({ messages: [{ role: 'user', content: 'b' }] })) {
      // drain
    }
    expect(fake.requests.map((request) => request.operation)).toEqual(['converse', 'converse-stream']);
  });

  test('max_tokens marks the answer truncated; a content filter stop is a clear content_filtered error', async () => {
    fake.enqueue(
      { chunks: ['cut'], stopReason: 'max_tokens' },
      { chunks: [], stopReason: 'content_filtered' },
    );
    expect(await provider().complete({ messages: [{ role: 'user', content: 'a' }] })).toMatchObject({
      truncated: true,
    });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'b' }] })).rejects.toMatchObject({
      code: 'content_filtered',
      userMessage: { en: expect.stringMatching(/content filter/), zh: expect.stringMatching(/内容过滤/) },
    });
  });

  test('a guardrail goes with every request, streamed ones checked as they go; an intervention is policy_blocked, never retried', async () => {
    const guarded = provider({ guardrail: { id: 'gr-abc123', version: '2' } });
    fake.enqueue({ chunks: ['fine'] }, { chunks: ['fine'] });
    await guarded.complete({ messages: [{ role: 'user', content: 'a' }] });
    for await (const _event of guarded.stream({ messages: [{ role: 'user', content: 'b' }] })) {
      // drain
    }
    expect(fake.requests.map((request) => [request.operation, request.body.guardrailConfig])).toEqual([
      ['converse', { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2' }],
      [
        'converse-stream',
        { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2', streamProcessingMode: 'sync' },
      ],
    ]);
    fake.requests.length = 0;
    fake.enqueue({ chunks: ['Half an ans'], stopReason: 'guardrail_intervened' });
    const events = guarded.stream({ messages: [{ role: 'user', content: 'c' }] });
    await expect(
      (async () => {
        for await (const _event of events) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ code: 'policy_blocked', retryable: false, partialText: 'Half an ans' });
    expect(fake.requests).toHaveLength(1);
    // Without a guardrail nothing is sent for one.
    fake.enqueue({ chunks: ['x'] });
    await provider().complete({ messages: [{ role: 'user', content: 'd' }] });
    expect(fake.requests.at(-1)?.body.guardrailConfig).toBeUndefined();
  });

  test('a rejected request, a model the account cannot use, and too long an input each say what is wrong', async () => {
    fake.enqueue(
      { status: 400, errorType: 'ValidationException' },
      { status: 403, errorType: 'AccessDeniedException' },
      {
        status: 400,
        errorType: 'ValidationException',
        errorMessage: 'Input is too long for requested model.',
      },
    );
    await expect(provider().complete({ messages: [{ role: 'user', content: 'a' }] })).rejects.toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'a' }] })).rejects.toMatchObject({
      code: 'not_configured',
      userMessage: {
        en: expect.stringMatching(/BEDROCK_MODEL_ID/),
        zh: expect.stringMatching(/BEDROCK_MODEL_ID/),
      },
    });
    await expect(provider().complete({ messages: [{ role: 'user', content: 'a' }] })).rejects.toMatchObject({
      code: 'context_too_long',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(3);
  });

  test.each([
    [
      'a ValidationException about the input',
      {
        status: 400,
        errorType: 'ValidationException',
        errorMessage: 'Input is too long for requested model.',
      },
    ],
    [
      'the model_context_window_exceeded stop reason',
      { chunks: [], stopReason: 'model_context_window_exceeded' },
    ],
  ])(
    'too long an input (%s) is context_too_long, and the user is told it is too long',
    async (_name, answer) => {
      fake.enqueue(answer);
      await expect(provider().complete({ messages: [{ role: 'user', content: 'a' }] })).rejects.toMatchObject(
        {
          code: 'context_too_long',
          retryable: false,
        },
      );
      fake.enqueue(answer);
      const replies = await visibleChatReplies(provider());
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/the text is too long for the model/);
      expect(fake.requests).toHaveLength(2);
    },
  );
});
