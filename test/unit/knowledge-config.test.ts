import { parseConfig } from '../../src/config';

const problemsOf = (environment: Record<string, string>) => {
  const result = parseConfig(environment);
  return result.ok ? [] : result.problems;
};

describe('knowledge settings', () => {
  test('defaults: no folder, the index under ./data/knowledge, LanceDB, a pass every 30 s, keyword-only', () => {
    const result = parseConfig({});
    expect(result.ok && result.config.knowledge).toEqual({
      uri: 'data/knowledge',
      engine: 'lancedb',
      rescanSeconds: 30,
    });
  });

  test('KNOWLEDGE_DIR, DATA_DIR, KNOWLEDGE_URI on object storage, and the rescan interval', () => {
    const result = parseConfig({
      KNOWLEDGE_DIR: '/srv/handbook',
      DATA_DIR: '/var/lib/deskmate',
      KNOWLEDGE_RESCAN_SECONDS: '10',
    });
    expect(result.ok && result.config.knowledge).toMatchObject({
      folder: '/srv/handbook',
      uri: '/var/lib/deskmate/knowledge',
      rescanSeconds: 10,
    });
    const shared = parseConfig({ KNOWLEDGE_URI: 's3://bucket/deskmate', DATA_DIR: '/x' });
    expect(shared.ok && shared.config.knowledge.uri).toBe('s3://bucket/deskmate');
    expect(problemsOf({ KNOWLEDGE_URI: 'ftp://host/x' })[0]).toMatchObject({
      variable: 'KNOWLEDGE_URI',
      message: expect.stringMatching(/Fix: a folder .*s3:\/\//),
    });
    expect(problemsOf({ KNOWLEDGE_ENGINE: 'elastic' })[0].message).toMatch(
      /Fix: set KNOWLEDGE_ENGINE=lancedb/,
    );
    expect(problemsOf({ KNOWLEDGE_RESCAN_SECONDS: '0' })[0].variable).toBe('KNOWLEDGE_RESCAN_SECONDS');
  });

  test('Bedrock embeddings: inferred from the model id, need a region, and only the models Deskmate speaks', () => {
    const result = parseConfig({ EMBEDDING_MODEL: 'cohere.embed-multilingual-v3', AWS_REGION: 'us-east-1' });
    expect(result.ok && result.config.knowledge.embedding).toEqual({
      provider: 'bedrock',
      model: 'cohere.embed-multilingual-v3',
      region: 'us-east-1',
    });
    expect(problemsOf({ EMBEDDING_MODEL: 'amazon.titan-embed-text-v2:0' })[0]).toMatchObject({
      variable: 'AWS_REGION',
      message: expect.stringContaining('Fix: e.g. AWS_REGION=us-east-1'),
    });
    expect(
      problemsOf({ EMBEDDING_MODEL: 'amazon.titan-embed-text-v1', AWS_REGION: 'us-east-1' })[0].message,
    ).toMatch(/Fix: EMBEDDING_MODEL=amazon\.titan-embed-text-v2:0/);
  });

  test('RERANK_MODEL: a Bedrock rerank model, by id or ARN, needing a region; unset, no reranking', () => {
    const result = parseConfig({ RERANK_MODEL: 'cohere.rerank-v3-5:0', AWS_REGION: 'us-west-2' });
    expect(result.ok && result.config.knowledge.rerank).toEqual({
      model: 'cohere.rerank-v3-5:0',
      region: 'us-west-2',
    });
    const arn = 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0';
    const byArn = parseConfig({ RERANK_MODEL: arn, AWS_REGION: 'us-west-2' });
    expect(byArn.ok && byArn.config.knowledge.rerank?.model).toBe(arn);
    const unset = parseConfig({ AWS_REGION: 'us-west-2' });
    expect(unset.ok && unset.config.knowledge.rerank).toBeUndefined();
    expect(problemsOf({ RERANK_MODEL: 'amazon.rerank-v1:0' })).toEqual([
      expect.objectContaining({
        variable: 'AWS_REGION',
        message: expect.stringMatching(/RERANK_MODEL.*Fix: e\.g\. AWS_REGION=.*or unset RERANK_MODEL/),
      }),
    ]);
    expect(problemsOf({ RERANK_MODEL: 'rerank-english-v3.0', AWS_REGION: 'us-west-2' })).toEqual([
      expect.objectContaining({
        variable: 'RERANK_MODEL',
        message: expect.stringContaining(
          'Fix: RERANK_MODEL=cohere.rerank-v3-5:0 or RERANK_MODEL=amazon.rerank-v1:0',
        ),
      }),
    ]);
  });

  test('OpenAI-compatible embeddings: the chat endpoint and key unless overridden; another host gets only its own key', () => {
    const chat = {
      OPENAI_BASE_URL: 'https://dashscope.example/v1',
      OPENAI_API_KEY: 'sk-chat',
      OPENAI_MODEL: 'qwen-plus',
    };
    const same = parseConfig({ ...chat, EMBEDDING_MODEL: 'text-embedding-v3' });
    expect(same.ok && same.config.knowledge.embedding).toEqual({
      provider: 'openai',
      model: 'text-embedding-v3',
      baseUrl: 'https://dashscope.example/v1',
      apiKey: 'sk-chat',
    });
    const local = parseConfig({
      ...chat,
      EMBEDDING_MODEL: 'bge-m3',
      EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
    });
    expect(local.ok && local.config.knowledge.embedding).toEqual({
      provider: 'openai',
      model: 'bge-m3',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(problemsOf({ EMBEDDING_MODEL: 'bge-m3' })[0]).toMatchObject({
      variable: 'EMBEDDING_BASE_URL',
      message: expect.stringContaining('Fix: set EMBEDDING_BASE_URL'),
    });
    expect(problemsOf({ EMBEDDING_PROVIDER: 'openai' })[0]).toMatchObject({ variable: 'EMBEDDING_MODEL' });
  });

  test('EMBEDDING_MODEL=test is the test embedder, with a warning that it knows no meaning', () => {
    const result = parseConfig({ EMBEDDING_MODEL: 'test' });
    expect(result.ok && result.config.knowledge.embedding).toEqual({ provider: 'test', model: 'test' });
    expect(result.ok && result.warnings.map((warning) => warning.variable)).toEqual(['EMBEDDING_MODEL']);
  });
});
