import { type FolderJob, folderJobs } from '../../src/knowledge/folder-job';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createRedisQueue } from '../../src/pipeline/redis-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { testRedisUrl } from '../helpers/test-redis';
import { describeJobQueueContract, type TestJobs } from './job-queue-contract';

const logger = createLogger({ level: 'silent' });

/** Knowledge folder jobs: one pass per name (so each is its own job), one source per place (its order). */
const folderTestJobs: TestJobs<FolderJob> = {
  make: (text, place) => ({
    kind: 'index',
    passId: text,
    sourceId: `folder:${place}.md`,
    relativePath: `${place}.md`,
    version: text,
    access: ['everyone'],
  }),
  textOf: (job) => job.passId,
};

describeJobQueueContract('memory knowledge-folder', {
  durable: false,
  jobs: folderTestJobs,
  create: (_space, options) =>
    createMemoryQueue({
      kind: folderJobs,
      store: createMemoryStateStore(),
      logger,
      attempts: options?.attempts,
    }),
});

describeJobQueueContract('redis knowledge-folder', {
  durable: true,
  jobs: folderTestJobs,
  create: (space, options) =>
    createRedisQueue({
      kind: folderJobs,
      name: 'knowledge',
      url: testRedisUrl(),
      prefix: space,
      logger,
      attempts: options?.attempts,
      sweepIntervalMs: 100,
    }),
});
