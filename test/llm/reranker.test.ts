import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/logger';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { createKnowledge } from '../../src/knowledge/create-knowledge';
import { createBedrockReranker } from '../../src/llm/bedrock-reranker';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { MemoryKnowledgeIndex } from '../fakes/memory-knowledge-index';
import type { ScriptedLlm } from '../fakes/scripted-llm';
import {
  citingModel,
  KnowledgePlatform,
  privateChannel,
  say,
  sharedFile,
} from '../helpers/knowledge-pipeline';
import { startTestPipeline } from '../helpers/pipeline';

const policy = { maxRetries: 1, timeoutMs: 5000, sleep: async () => {} };

/** Twelve sections that all match the question, numbered so a scripted reranker can prefer the later ones. */
const rules = Buffer.from(
  Array.from(
    { length: 12 },
    (_, index) =>
      `# Rule ${index + 1}\n\nLeave rule number ${index + 1}: annual leave is planned with the team.`,
  ).join('\n\n'),
);

/** Log lines, object first, as the pipeline wrote them. */
interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message?: string;
}

function recordingLogger(lines: LogLine[], bound: object = {}): Logger {
  const write = (level: string) => (fields: object, message?: string) => {
    lines.push({ level, fields: { ...bound, ...fields }, message });
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => recordingLogger(lines, { ...bound, ...fields }),
  };
}

/** The rule numbers of the excerpts the model was given for the last question, in the order given. */
function excerptOrder(llm: ScriptedLlm): number[] {
  const asked = llm.requests.filter((request) => request.purpose === 'ask').at(-1);
  const text = JSON.stringify(asked?.messages ?? []);
  return [...text.matchAll(/Leave rule number (\d+)/g)].map((match) => Number(match[1]));
}

describe('Bedrock reranking through the real client (Rerank) against the HTTP/2 fake', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  const saved = { ...process.env };
  const defaultScores = fake.rerankScores;
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
    fake.rerankFaults.length = 0;
    fake.rerankScores = defaultScores;
  });

  test('the request: model ARN, the question as a text query, passages as inline text documents, numberOfResults', async () => {
    const reranker = createBedrockReranker({
      model: 'cohere.rerank-v3-5:0',
      region: 'us-west-2',
      endpoint,
      ...policy,
    });
    const order = await reranker.rerank(
      'annual leave days',
      ['meals are covered', 'annual leave is ten days', 'leave requests go to the lead'],
      2,
    );
    expect(order).toEqual([1, 2]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toEqual({
      modelId: 'arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0',
      operation: 'rerank',
      body: {
        queries: [{ type: 'TEXT', textQuery: { text: 'annual leave days' } }],
        sources: ['meals are covered', 'annual leave is ten days', 'leave requests go to the lead'].map(
          (text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } }),
        ),
        rerankingConfiguration: {
          type: 'BEDROCK_RERANKING_MODEL',
          bedrockRerankingConfiguration: {
            numberOfResults: 2,
            modelConfiguration: {
              modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0',
            },
          },
        },
      },
    });
  });

  test('AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME redirects the client; never more results than passages', async () => {
    process.env.AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME = endpoint;
    try {
      const reranker = createBedrockReranker({
        model: 'amazon.rerank-v1:0',
        region: 'eu-central-1',
        ...policy,
      });
      expect(await reranker.rerank('年假', ['报销规定', '年假十天'], 8)).toEqual([1, 0]);
      expect(fake.requests[0].modelId).toBe(
        'arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0',
      );
      expect(fake.requests[0].body).toMatchObject({
        rerankingConfiguration: { bedrockRerankingConfiguration: { numberOfResults: 2 } },
      });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME;
    }
  });

  test('throttling is retried once; a model the region lacks is a configuration error with a stable code', async () => {
    const reranker = createBedrockReranker({
      model: 'cohere.rerank-v3-5:0',
      region: 'us-west-2',
      endpoint,
      ...policy,
    });
    fake.rerankFaults.push({ status: 429, errorType: 'ThrottlingException' });
    expect(await reranker.rerank('leave', ['leave', 'meals'], 1)).toEqual([0]);
    expect(fake.requests).toHaveLength(2);
    fake.rerankFaults.push({ status: 503, errorType: 'ServiceUnavailableException' });
    fake.rerankFaults.push({ status: 503, errorType: 'ServiceUnavailableException' });
    await expect(reranker.rerank('leave', ['leave', 'meals'], 1)).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
    expect(fake.requests).toHaveLength(4);
    fake.rerankFaults.push({ status: 403, errorType: 'AccessDeniedException' });
    await expect(reranker.rerank('leave', ['leave', 'meals'], 1)).rejects.toMatchObject({
      code: 'not_configured',
      retryable: false,
      cause: expect.objectContaining({ name: 'AccessDeniedException' }),
    });
    expect(fake.requests).toHaveLength(5);
  });

  describe('knowledge answers', () => {
    async function ask(rerank: ReturnType<typeof createBedrockReranker> | undefined, lines: LogLine[] = []) {
      const platform = new KnowledgePlatform({ F1: rules });
      platform.channelMembers.set('CPRIV', new Set(['alice']));
      const index = new MemoryKnowledgeIndex();
      const llm = citingModel();
      const pipeline = await startTestPipeline({
        platforms: { slack: platform },
        llm,
        store: createMemoryStateStore(),
        logger: recordingLogger(lines),
        knowledge: { index, ...(rerank ? { rerank } : {}) },
      });
      for (const message of [
        say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'rules.md', privateChannel)] }),
        say('ask how is annual leave planned?', privateChannel, 'alice'),
      ]) {
        await pipeline.queue.enqueue(message);
        await pipeline.drain();
      }
      await pipeline.stop();
      return { platform, index, llm };
    }

    /** The scripted reranker prefers higher rule numbers: the reverse of the index's order. */
    const byRuleNumber = (_query: string, texts: string[]) =>
      texts.map((text) => Number(/Leave rule number (\d+)/.exec(text)?.[1] ?? 0));

    test('without RERANK_MODEL: eight candidates in the index order, no rerank call', async () => {
      const { index, llm, platform } = await ask(undefined);
      expect(index.searches.at(-1)?.limit).toBe(8);
      expect(excerptOrder(llm)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(fake.requests.filter((request) => request.operation === 'rerank')).toHaveLength(0);
      expect(platform.visibleMessages().at(-1)).toContain('[rules.md § Rule 1](https://files.example/F1)');
    });

    test('with a reranker: three times the candidates, access-filtered, and the excerpts follow its order', async () => {
      fake.rerankScores = byRuleNumber;
      const reranker = createBedrockReranker({
        model: 'cohere.rerank-v3-5:0',
        region: 'us-west-2',
        endpoint,
        ...policy,
      });
      const { index, llm, platform } = await ask(reranker);
      const search = index.searches.at(-1);
      expect(search?.limit).toBe(24);
      expect(search?.principals.length).toBeGreaterThan(0);
      const [request] = fake.requests.filter((recorded) => recorded.operation === 'rerank');
      expect((request.body.sources as unknown[]).length).toBe(12);
      expect(request.body).toMatchObject({
        queries: [{ textQuery: { text: 'how is annual leave planned?' } }],
        rerankingConfiguration: { bedrockRerankingConfiguration: { numberOfResults: 8 } },
      });
      expect(excerptOrder(llm)).toEqual([12, 11, 10, 9, 8, 7, 6, 5]);
      // The model cites [1]: the reranker's first choice.
      expect(platform.visibleMessages().at(-1)).toContain('[rules.md § Rule 12](https://files.example/F1)');
    });

    test('a reranker failure keeps the index order, logs once without text, and the answer still comes', async () => {
      fake.rerankScores = byRuleNumber;
      fake.rerankFaults.push({ status: 400, errorType: 'ValidationException', errorMessage: 'bad input' });
      const reranker = createBedrockReranker({
        model: 'cohere.rerank-v3-5:0',
        region: 'us-west-2',
        endpoint,
        ...policy,
      });
      const lines: LogLine[] = [];
      const { llm, platform } = await ask(reranker, lines);
      expect(fake.requests.filter((request) => request.operation === 'rerank')).toHaveLength(1);
      expect(excerptOrder(llm)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(platform.visibleMessages().at(-1)).toContain('[rules.md § Rule 1](https://files.example/F1)');
      const failures = lines.filter((line) => line.message?.startsWith('knowledge rerank failed'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        level: 'warn',
        fields: { model: 'cohere.rerank-v3-5:0', code: 'invalid_request', candidates: 12 },
      });
      expect(JSON.stringify(failures[0])).not.toMatch(/annual leave|bad input/);
    });
  });
});

test('RERANK_MODEL is wired where the embedder is: the knowledge base carries the reranker', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-rerank-'));
  const lines: LogLine[] = [];
  try {
    const knowledge = createKnowledge(
      {
        uri: join(directory, 'knowledge'),
        engine: 'lancedb',
        rescanSeconds: 30,
        rerank: { model: 'amazon.rerank-v1:0', region: 'us-west-2' },
      },
      { store: createMemoryStateStore(), logger: recordingLogger(lines), documents: defaultDocumentLimits },
    );
    expect(knowledge.rerank?.model).toBe('amazon.rerank-v1:0');
    expect(lines).toContainEqual(expect.objectContaining({ message: 'rerank model ready' }));
    await knowledge.stop();
    const plain = createKnowledge(
      { uri: join(directory, 'knowledge'), engine: 'lancedb', rescanSeconds: 30 },
      { store: createMemoryStateStore(), logger: recordingLogger([]), documents: defaultDocumentLimits },
    );
    expect(plain.rerank).toBeUndefined();
    await plain.stop();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
