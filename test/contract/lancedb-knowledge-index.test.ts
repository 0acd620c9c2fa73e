import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Field, List, Schema, Utf8 } from 'apache-arrow';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { sourcesSchema } from '../../src/knowledge/lancedb/lancedb-rows';
import { sourceRecord } from '../../src/knowledge/stored-records';
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
    // Past the small-table size (a small table is folded in at once), so the settle is what is seen.
    await index.upsert(
      source('a'),
      Array.from({ length: 30 }, (_, place) => ({
        ...chunk('a', `Floor ${place} has a fire exit behind the kitchen.`),
        id: `a#${place}`,
      })),
    );
    await index.upsert(source('b'), [chunk('b', 'Visitors sign in at the front desk.')]);
    const connection = await lancedb.connect(uri);
    const table = await connection.openTable('chunks');
    const unindexed = async () => {
      await table.checkoutLatest();
      const [text] = (await table.listIndices()).filter((entry) => entry.indexType === 'FTS');
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

  test('a chunks table from before search_text is rewritten in place: what was added stays, found by its heading too', async () => {
    const uri = join(directory, 'old-layout');
    // The layout of the chunks table before the title and heading path were searched (text indexed alone).
    const connection = await lancedb.connect(uri);
    const strings = () => new List(new Field('item', new Utf8(), true));
    const oldChunks = new Schema([
      new Field('id', new Utf8(), false),
      new Field('source_id', new Utf8(), false),
      new Field('write_id', new Utf8(), false),
      new Field('text', new Utf8(), false),
      new Field('heading_path', strings(), false),
      new Field('place', new Utf8(), false),
      new Field('language', new Utf8(), false),
      new Field('access', strings(), false),
    ]);
    const sources = await connection.createEmptyTable('sources', sourcesSchema);
    await sources.add([sourceRecord(source('a'))]);
    const chunks = await connection.createEmptyTable('chunks', oldChunks);
    const oldRow = (id: string, sourceId: string, text: string) => ({
      id,
      source_id: sourceId,
      write_id: 'w',
      text,
      heading_path: ['Facilities'],
      place: '§ Facilities',
      language: 'en',
      access: ['everyone'],
    });
    await chunks.add([
      oldRow('a#0', 'a', 'Desks are booked a day ahead.'),
      // A chunk whose source is gone: left out of the rewrite.
      oldRow('gone#0', 'gone', 'Parking permits renew in March.'),
    ]);
    connection.close();
    const index = await createLanceDbKnowledgeIndex({ uri, logger });
    expect(await index.status()).toMatchObject({ sources: 1, chunks: 1 });
    const byText = await index.search({ text: 'desks booked', principals: ['everyone'], limit: 3 });
    expect(byText.map((hit) => hit.chunk)).toEqual([
      expect.objectContaining({ id: 'a#0', place: '§ Facilities', headingPath: ['Facilities'] }),
    ]);
    // Its heading is searched now, as for chunks written after the change.
    const byHeading = await index.search({ text: 'facilities', principals: ['everyone'], limit: 3 });
    expect(byHeading.map((hit) => hit.chunk.id)).toEqual(['a#0']);
    expect(await index.search({ text: 'parking permits', principals: ['everyone'], limit: 3 })).toEqual([]);
    // The same version again changes nothing: it is already there.
    expect(await index.upsert(source('a'), [chunk('a', 'Desks are booked a day ahead.')])).toBe('unchanged');
    await index.close();
  });
});
