// MASK_PERSONAL_DATA covers the knowledge model calls too: with it on, what goes to the embedding endpoint (an
// OpenAI-compatible fake over HTTP) and to Bedrock Rerank (the real client against the HTTP/2 fake) carries
// placeholders instead of the email address and phone number in a passage and a question; with it off, the
// values go as written (so the test can fail). The knowledge base is built as the job runner builds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { createKnowledge } from '../../src/knowledge/create-knowledge';
import { createLogger } from '../../src/logger';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { FakeOpenAIServer } from '../fakes/openai-server';

const passage = 'Expense questions go to Wang Fang, fang.wang@example.com, +86 138 0013 8000.';
const question = 'Who is fang.wang@example.com?';

describe('personal data masking of embedding and rerank calls', () => {
  const openai = new FakeOpenAIServer();
  const bedrock = new FakeBedrockServer();
  const saved = { ...process.env };
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-masked-knowledge-'));
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await openai.start();
    process.env.AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME = await bedrock.start();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  });
  afterAll(async () => {
    process.env = saved;
    await openai.stop();
    await bedrock.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  /** What the two endpoints received for one passage and one question. */
  async function sentWith(maskPersonalData: boolean): Promise<string> {
    openai.embeddingRequests.length = 0;
    bedrock.requests.length = 0;
    const knowledge = createKnowledge(
      {
        uri: join(directory, `index-${maskPersonalData}`),
        engine: 'lancedb',
        rescanSeconds: 30,
        embedding: { provider: 'openai', model: 'bge-m3', baseUrl, apiKey: 'sk-test' },
        rerank: { model: 'cohere.rerank-v3-5:0', region: 'us-west-2' },
      },
      {
        store: createMemoryStateStore(),
        logger: createLogger({ level: 'silent' }),
        documents: defaultDocumentLimits,
        maskPersonalData,
      },
    );
    try {
      await knowledge.embed?.embed([passage], 'document');
      await knowledge.embed?.embed([question], 'query');
      expect(await knowledge.rerank?.rerank(question, ['Meals are covered.', passage], 1)).toHaveLength(1);
      return JSON.stringify([openai.embeddingRequests, bedrock.requests]);
    } finally {
      await knowledge.stop();
    }
  }

  test('on: placeholders go out, the same address the same placeholder in question and passage', async () => {
    const sent = await sentWith(true);
    expect(sent).not.toContain('fang.wang@example.com');
    expect(sent).not.toContain('138 0013 8000');
    expect(sent).toContain('Expense questions go to Wang Fang, <EMAIL_1>, <PHONE_1>.');
    expect(sent).toContain('Who is <EMAIL_1>?');
  });

  test('off: the text goes as written', async () => {
    const sent = await sentWith(false);
    expect(sent).toContain('fang.wang@example.com');
  });
});
