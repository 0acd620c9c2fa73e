// Upgrading from a Deskmate that kept reminders in BullMQ: the reminders it scheduled are still delivered, once,
// and BullMQ's keys are gone. The keys are a recording of BullMQ 6.7 (test/fixtures/reminders).
import Redis from 'ioredis';
import type { Reminder } from '../../src/core/reminder';
import { createLogger } from '../../src/logger';
import { createRedisReminderScheduler } from '../../src/pipeline/reminder-queue';
import type { ReminderService } from '../../src/pipeline/reminder-service';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import recording from '../fixtures/reminders/bullmq-6.7-reminders.json';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const logger = createLogger({ level: 'silent' });

/** A key as recorded: its type and its contents (a zset as member, score pairs). */
interface RecordedKey {
  type: 'hash' | 'list' | 'zset' | 'string';
  value: Record<string, string> | string[] | string;
}

/** Write the recorded BullMQ keys under a prefix, as an older Deskmate left them. */
async function restoreRecording(redis: Redis, prefix: string): Promise<void> {
  for (const [key, recorded] of Object.entries(recording.keys as Record<string, RecordedKey>)) {
    const name = `${prefix}${key}`;
    if (recorded.type === 'hash') await redis.hset(name, recorded.value as Record<string, string>);
    else if (recorded.type === 'list') await redis.rpush(name, ...(recorded.value as string[]));
    else if (recorded.type === 'zset') {
      const pairs = recorded.value as string[];
      for (let index = 0; index < pairs.length; index += 2)
        await redis.zadd(name, pairs[index + 1], pairs[index]);
    } else await redis.set(name, recorded.value as string);
  }
}

describe('reminders scheduled by a Deskmate that used BullMQ', () => {
  const prefix = `deskmate-test:${process.pid}:${Date.now()}:reminders-upgrade:`;
  const redis = new Redis(testRedisUrl());
  const store = createRedisStateStore({ url: testRedisUrl(), prefix });
  const services: ReminderService[] = [];
  const handedOver: Reminder[] = [];
  const startScheduler = async () => {
    const service = createRedisReminderScheduler({ url: testRedisUrl(), prefix, store, logger });
    await service.start(async (reminder) => {
      handedOver.push(reminder);
    });
    services.push(service);
    return service;
  };

  afterAll(async () => {
    for (const service of services) await service.stop(500);
    await store.close();
    redis.disconnect();
  });

  test('are delivered at their time after the upgrade, once, and the old keys are removed', async () => {
    await restoreRecording(redis, prefix);
    expect(await redis.keys(`${prefix}bull:*`)).not.toHaveLength(0);
    await startScheduler();
    // The meeting reminder was waiting (due already): delivered at once, in its own language.
    await waitUntil(() => handedOver.length === 1, 'the reminder that was due', 10_000);
    expect(handedOver[0]).toMatchObject({
      id: 'meeting:lark:t1:om_9',
      conversation: { platform: 'lark', channel: 'oc_1' },
      text: '⏰ 会议提醒：周会 10 分钟后开始',
    });
    // The todo reminder was delayed to 2027: still scheduled for its own time, not delivered now.
    expect(await redis.zscore(`${prefix}reminders:due`, 'todo:slack:T1:7')).toBe(
      String(Date.parse('2027-01-04T09:00:00.000Z')),
    );
    expect(await redis.keys(`${prefix}bull:*`)).toEqual([]);

    // A second process starting later moves nothing again and delivers nothing twice.
    await startScheduler();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handedOver.map((reminder) => reminder.id)).toEqual(['meeting:lark:t1:om_9']);
    expect(await redis.zcard(`${prefix}reminders:due`)).toBe(1);
  });
});
