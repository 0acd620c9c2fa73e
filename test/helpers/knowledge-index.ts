import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../../src/logger';

/** The real knowledge engine (embedded LanceDB, keyword search) in a temporary folder, for end-to-end tests. */
export async function startLanceDbIndex(): Promise<{ index: KnowledgeIndex; stop(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-knowledge-'));
  const index = await createLanceDbKnowledgeIndex({
    uri: join(directory, 'index'),
    logger: createLogger({ level: 'silent' }),
  });
  return {
    index,
    async stop() {
      await index.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
