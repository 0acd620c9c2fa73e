import { Client } from '@opensearch-project/opensearch';
import { createOpenSearchKnowledgeIndex } from '../../src/knowledge/opensearch/opensearch-knowledge-index';
import { createLogger } from '../../src/logger';
import { describeKnowledgeIndexContract } from './knowledge-index-contract';

/** The cluster to run against; no OpenSearch runs in CI here, so the suite is skipped without one. */
const url = process.env.OPENSEARCH_URL;
const prefix = `deskmate-test-${process.pid}-${Date.now()}`;
let counter = 0;

if (url) {
  afterAll(async () => {
    const client = new Client({ node: url });
    await client.indices.delete({ index: `${prefix}-*` });
    await client.close();
  });
  describeKnowledgeIndexContract('opensearch', ({ embedder }) =>
    createOpenSearchKnowledgeIndex({
      url,
      indexPrefix: `${prefix}-${++counter}`,
      embeddingModel: embedder?.model,
      logger: createLogger({ level: 'silent' }),
    }),
  );
} else {
  test.skip('opensearch knowledge index contract (set OPENSEARCH_URL to run it against a cluster)', () => {});
}
