import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { describeJobQueueContract } from './job-queue-contract';

describeJobQueueContract('memory', {
  durable: false,
  create: (_space, options) =>
    createMemoryQueue({
      store: createMemoryStateStore(),
      logger: createLogger({ level: 'silent' }),
      attempts: options?.attempts,
    }),
});
