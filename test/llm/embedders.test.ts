import { LlmError } from '../../src/core/errors';
import { createBedrockEmbedder } from '../../src/llm/bedrock-embedder';
import { createOpenAIEmbedder } from '../../src/llm/openai-embedder';
import { FakeBedrockServer, fakeEmbedding } from '../fakes/bedrock-server';
import { FakeOpenAIServer } from '../fakes/openai-server';

const policy = { maxRetries: 2, timeoutMs: 5000, sleep: async () => {} };

describe('Bedrock embeddings through the real client (InvokeModel) against the HTTP/2 fake', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  const saved = { ...process.env };
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
    fake.requests.length = 0;
  });

  test('Titan Text Embeddings v2: one text a call, 1024 numbers, normalized', async () => {
    const embedder = createBedrockEmbedder({
      model: 'amazon.titan-embed-text-v2:0',
      region: 'us-east-1',
      endpoint,
      ...policy,
    });
    const vectors = await embedder.embed(['员工年假十天', 'paid vacation'], 'document');
    expect(vectors).toEqual([fakeEmbedding('员工年假十天', 1024), fakeEmbedding('paid vacation', 1024)]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]).toMatchObject({
      modelId: 'amazon.titan-embed-text-v2:0',
      operation: 'invoke',
      headers: { contentType: 'application/json', accept: 'application/json' },
      body: { inputText: '员工年假十天', dimensions: 1024, normalize: true },
    });
    expect(Object.keys(fake.requests[0].body).sort()).toEqual(['dimensions', 'inputText', 'normalize']);
  });

  test('Cohere Embed v3: passages and questions as such, at most 96 texts a request', async () => {
    const embedder = createBedrockEmbedder({
      model: 'cohere.embed-multilingual-v3',
      region: 'us-east-1',
      endpoint,
      ...policy,
    });
    const texts = Array.from({ length: 100 }, (_, index) => `passage ${index}`);
    const vectors = await embedder.embed(texts, 'document');
    expect(vectors).toHaveLength(100);
    expect(vectors[99]).toEqual(fakeEmbedding('passage 99', 1024));
    expect(fake.requests.map((request) => (request.body.texts as string[]).length)).toEqual([96, 4]);
    expect(fake.requests[0].body).toMatchObject({ input_type: 'search_document', truncate: 'END' });
    await embedder.embed(['年假有几天'], 'query');
    expect(fake.requests[2]).toMatchObject({
      modelId: 'cohere.embed-multilingual-v3',
      body: { texts: ['年假有几天'], input_type: 'search_query', truncate: 'END' },
    });
  });

  test('throttling is retried; a wrong model id is a configuration error, not retried', async () => {
    const embedder = createBedrockEmbedder({
      model: 'amazon.titan-embed-text-v2:0',
      region: 'us-east-1',
      endpoint,
      ...policy,
    });
    fake.embeddingFaults.push({ status: 429, errorType: 'ThrottlingException' });
    expect(await embedder.embed(['a'], 'query')).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
    fake.embeddingFaults.push({ status: 404, errorType: 'ResourceNotFoundException' });
    const failure = await embedder.embed(['a'], 'query').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LlmError);
    expect(failure).toMatchObject({ code: 'not_configured', retryable: false });
  });
});

describe('OpenAI-compatible /embeddings over HTTP against the fake', () => {
  const fake = new FakeOpenAIServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.embeddingRequests.length = 0;
    fake.headers.length = 0;
  });

  test('bge-m3: ten inputs a request, vectors placed by index, the key as a bearer token', async () => {
    const embedder = createOpenAIEmbedder({ baseUrl, apiKey: 'sk-test', model: 'bge-m3', ...policy });
    const texts = Array.from({ length: 23 }, (_, index) => `第 ${index} 段：年假规定`);
    const vectors = await embedder.embed(texts, 'document');
    expect(vectors).toEqual(texts.map((text) => fakeEmbedding(text, 1024)));
    expect(fake.embeddingRequests.map((body) => (body.input as string[]).length)).toEqual([10, 10, 3]);
    expect(fake.embeddingRequests[0]).toEqual({
      model: 'bge-m3',
      input: texts.slice(0, 10),
      encoding_format: 'float',
    });
    expect(fake.headers[0].authorization).toBe('Bearer sk-test');
  });

  test('text-embedding-v3: a 429 with retry-after is waited on and retried; a 401 names the key', async () => {
    const waits: number[] = [];
    const embedder = createOpenAIEmbedder({
      baseUrl,
      apiKey: 'sk-test',
      model: 'text-embedding-v3',
      ...policy,
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
      },
    });
    fake.embeddingFaults.push({ status: 429, retryAfterSeconds: 2 });
    expect(await embedder.embed(['年假'], 'query')).toEqual([fakeEmbedding('年假', 1024)]);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    fake.embeddingFaults.push({ status: 401 });
    await expect(embedder.embed(['x'], 'query')).rejects.toMatchObject({
      code: 'not_configured',
      userMessage: {
        en: expect.stringContaining('OPENAI_API_KEY'),
        zh: expect.stringContaining('OPENAI_API_KEY'),
      },
    });
  });
});
