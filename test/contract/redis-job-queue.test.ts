import { createLogger } from '../../src/logger';
import { createRedisQueue } from '../../src/pipeline/redis-queue';
import { inboundMessage } from '../helpers/messages';
import { startRedisServer } from '../helpers/redis-server';
import { testRedisUrl } from '../helpers/test-redis';
import { describeJobQueueContract } from './job-queue-contract';

const logger = createLogger({ level: 'silent' });

describeJobQueueContract('redis', {
  durable: true,
  create: (space, options) =>
    createRedisQueue({
      url: testRedisUrl(),
      prefix: space,
      logger,
      attempts: options?.attempts,
      sweepIntervalMs: 100,
    }),
});

test('while Redis is down a message is refused at once (a 503 upstream); the platform’s retry is accepted once it is back', async () => {
  const server = await startRedisServer();
  const queue = createRedisQueue({ url: server.url, prefix: `down-${Date.now()}:`, logger });
  const message = inboundMessage('during the outage');
  try {
    expect(await queue.enqueue(inboundMessage('before'))).toBe('accepted');
    await server.stop();
    const refusedAt = Date.now();
    await expect(queue.enqueue(message)).rejects.toBeDefined();
    expect(Date.now() - refusedAt).toBeLessThan(5000);
    const restarted = await startRedisServer(server.port);
    try {
      let outcome: string | undefined;
      for (let tries = 0; tries < 50 && !outcome; tries += 1) {
        outcome = await queue.enqueue(message).catch(() => undefined);
        if (!outcome) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(outcome).toBe('accepted');
      expect(await queue.enqueue(message)).toBe('duplicate');
    } finally {
      await queue.stop(100);
      await restarted.stop();
    }
  } finally {
    await server.stop();
  }
});
