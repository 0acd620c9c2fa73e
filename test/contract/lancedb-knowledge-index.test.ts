import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
