// Proves: a message left half-moved by a mover that died (taken from the intake, not yet confirmed in BullMQ)
// is run once, by the next process or by a running one's sweep, and a burst of messages goes through the
// intake in batches, each once.
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { InboundMessage } from '../../src/core/inbound-message';
import { createLogger } from '../../src/logger';
import { createBullQueue } from '../../src/pipeline/bull-queue';
import { intakeKeys } from '../../src/pipeline/intake';
import { inboundMessage } from '../helpers/messages';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const logger = createLogger({ level: 'silent' });
let run = 0;

describe('the intake in front of BullMQ', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(() => redis.disconnect());

  test('a message a dead mover left in "moving" runs once at the next start', async () => {
    const prefix = `intake-${process.pid}-${++run}:`;
    const keys = intakeKeys(prefix, 'deskmate-jobs');
    const message = inboundMessage('help', { eventId: 'EvHalfMoved', messageId: 'half-moved' });
    await redis.rpush(keys.moving, JSON.stringify(message));
    const queue = createBullQueue({ url: testRedisUrl(), prefix, logger });
    const handled: string[] = [];
    await queue.start(async (job) => {
      handled.push(job.eventId);
    });
    try {
      await waitUntil(() => handled.length > 0, 'the half-moved message to run', 10_000);
      await queue.drain();
      expect(handled).toEqual(['EvHalfMoved']);
      expect(await redis.llen(keys.moving)).toBe(0);
    } finally {
      await queue.stop(100);
    }
  });

  test('a message a mover in another, dead process left in "moving" runs once while this one keeps running', async () => {
    const prefix = `intake-${process.pid}-${++run}:`;
    const keys = intakeKeys(prefix, 'deskmate-jobs');
    const queue = createBullQueue({ url: testRedisUrl(), prefix, logger, intakeSweepMs: 200 });
    const handled: string[] = [];
    await queue.start(async (job) => {
      handled.push(job.eventId);
    });
    try {
      await queue.drain();
      const message = inboundMessage('help', { eventId: 'EvLeftBehind', messageId: 'left-behind' });
      await redis.rpush(keys.moving, JSON.stringify(message));
      await waitUntil(() => handled.length > 0, 'the left-behind message to run', 10_000);
      await queue.drain();
      expect(handled).toEqual(['EvLeftBehind']);
    } finally {
      await queue.stop(100);
    }
  });

  test('1,000 messages accepted while no mover runs are each run once, the duplicates not at all', async () => {
    const prefix = `intake-${process.pid}-${++run}:`;
    const queue = createBullQueue({ url: testRedisUrl(), prefix, logger, concurrency: 50 });
    const messages: InboundMessage[] = Array.from({ length: 1000 }, (_, index) =>
      inboundMessage('help', { eventId: `EvBurst${index}`, messageId: `burst-${index}` }),
    );
    try {
      const outcomes = await Promise.all(messages.map((message) => queue.enqueue(message)));
      const again = await Promise.all(messages.slice(0, 100).map((message) => queue.enqueue({ ...message })));
      expect(outcomes.every((outcome) => outcome === 'accepted')).toBe(true);
      expect(again.every((outcome) => outcome === 'duplicate')).toBe(true);
      expect(await queue.depth()).toBe(1000);
      const handled = new Map<string, number>();
      await queue.start(async (job) => {
        handled.set(job.eventId, (handled.get(job.eventId) ?? 0) + 1);
      });
      await waitUntil(() => handled.size === 1000, 'every message to run', 20_000);
      await queue.drain();
      expect([...handled.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await queue.stop(100);
    }
  });

  test('a burst waits in the intake: BullMQ holds at most twice the running jobs, and every message runs once', async () => {
    const prefix = `intake-${process.pid}-${++run}:`;
    const keys = intakeKeys(prefix, 'deskmate-jobs');
    const queue = createBullQueue({ url: testRedisUrl(), prefix, logger, concurrency: 2 });
    const bullConnection = new Redis(testRedisUrl());
    const bull = new Queue('deskmate-jobs', { connection: bullConnection, prefix: `${prefix}bull` });
    const messages = Array.from({ length: 200 }, (_, index) =>
      inboundMessage('help', { eventId: `EvWaits${index}`, messageId: `waits-${index}` }),
    );
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled = new Map<string, number>();
    let running = 0;
    try {
      await Promise.all(messages.map((message) => queue.enqueue(message)));
      await queue.start(async (job) => {
        running += 1;
        await released;
        handled.set(job.eventId, (handled.get(job.eventId) ?? 0) + 1);
      });
      await waitUntil(() => running === 2, 'two jobs to run', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = await bull.getJobCounts('waiting', 'active');
      expect(counts.active).toBe(2);
      expect(counts.waiting).toBeLessThanOrEqual(4);
      expect(await redis.llen(keys.intake)).toBeGreaterThanOrEqual(200 - 2 - 4);
      release();
      await waitUntil(() => handled.size === 200, 'every message to run', 20_000);
      await queue.drain();
      expect([...handled.values()].every((count) => count === 1)).toBe(true);
      expect(await redis.llen(keys.moving)).toBe(0);
    } finally {
      release();
      await bull.close();
      bullConnection.disconnect();
      await queue.stop(100);
    }
  });
});
