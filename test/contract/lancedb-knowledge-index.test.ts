import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../../src/logger';
import { describeKnowledgeIndexContract } from './knowledge-index-contract';

const directory = mkdtempSync(join(tmpdir(), 'deskmate-lancedb-'));
let counter = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeKnowledgeIndexContract('lancedb', ({ embedder }) =>
  createLanceDbKnowledgeIndex({
    uri: join(directory, `index-${++counter}`),
    embeddingModel: embedder?.model,
    logger: createLogger({ level: 'silent' }),
  }),
);

describe('lancedb engine specifics', () => {
  const logger = createLogger({ level: 'silent' });
  const source = (id: string) => ({
    id,
    version: 'v1',
    origin: 'folder' as const,
    title: `${id}.md`,
    access: ['everyone'],
    indexedAt: new Date().toISOString(),
  });
  const chunk = (sourceId: string, text: string, vector?: number[]) => ({
    id: `${sourceId}#0`,
    sourceId,
    text,
    headingPath: [],
    place: '§ start',
    language: 'en' as const,
    ...(vector ? { vector } : {}),
  });

  test('two processes on one index: what one writes, the other finds (shared replicas)', async () => {
    const uri = join(directory, 'shared');
    const reader = await createLanceDbKnowledgeIndex({ uri, readConsistencySeconds: 0, logger });
    const writer = await createLanceDbKnowledgeIndex({ uri, readConsistencySeconds: 0, logger });
    await writer.upsert(source('a'), [chunk('a', 'The fire exit is behind the kitchen.')]);
    const hits = await reader.search({ text: 'fire exit', principals: ['everyone'], limit: 3 });
    expect(hits.map((hit) => hit.source.id)).toEqual(['a']);
    expect(await reader.status()).toMatchObject({ sources: 1, chunks: 1 });
    await Promise.all([reader.close(), writer.close()]);
  });

  test('rows written join the full-text index once writes settle, so searches stop scanning them', async () => {
    const uri = join(directory, 'settle');
    const index = await createLanceDbKnowledgeIndex({ uri, settleMilliseconds: 200, logger });
    await index.upsert(source('a'), [chunk('a', 'The fire exit is behind the kitchen.')]);
    await index.upsert(source('b'), [chunk('b', 'Visitors sign in at the front desk.')]);
    const connection = await lancedb.connect(uri);
    const table = await connection.openTable('chunks');
    const unindexed = async () => {
      await table.checkoutLatest();
      const [text] = (await table.listIndices()).filter((entry) => entry.columns.includes('text'));
      return (await table.indexStats(text.name))?.numUnindexedRows;
    };
    expect(await unindexed()).toBe(1);
    const deadline = Date.now() + 10_000;
    while ((await unindexed()) !== 0 && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 100));
    expect(await unindexed()).toBe(0);
    expect((await index.search({ text: 'front desk', principals: ['everyone'], limit: 3 })).length).toBe(1);
    table.close();
    connection.close();
    await index.close();
  });

  test('another embedding model: the index starts over, so every source is indexed again with it', async () => {
    const uri = join(directory, 'model-change');
    const first = await createLanceDbKnowledgeIndex({ uri, embeddingModel: 'model-a', logger });
    await first.upsert(source('a'), [chunk('a', 'Desks are booked a day ahead.', [1, 0, 0])]);
    await first.close();
    const same = await createLanceDbKnowledgeIndex({ uri, embeddingModel: 'model-a', logger });
    expect(await same.status()).toMatchObject({ sources: 1, chunks: 1, vectors: true });
    await same.close();
    const other = await createLanceDbKnowledgeIndex({ uri, embeddingModel: 'model-b', logger });
    expect(await other.status()).toMatchObject({ sources: 0, chunks: 0, vectors: true });
    await expect(other.upsert(source('b'), [chunk('b', 'No vector here.')])).rejects.toMatchObject({
      code: 'bad_input',
    });
    await other.close();
  });
});
