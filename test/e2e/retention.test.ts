// Proves: how long Deskmate keeps what it stores is set per kind, and RETENTION_DAYS caps them all, in the
// TTLs Redis really holds: conversation memory, usage records, audit records, done todos, and records with a
// lifetime of their own (a cancelled reminder's mark).
import Redis from 'ioredis';
import { parseConfig } from '../../src/config';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackAuthor,
  slackChannel,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const hour = 3600;
const day = 24 * hour;

describe('retention', () => {
  test('defaults per kind, and RETENTION_DAYS as a cap on every one', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.retention).toEqual({
      memorySeconds: day,
      summarySeconds: 7 * day,
      doneTodoSeconds: 30 * day,
      usageDays: 40,
    });
    expect(defaults.ok && defaults.config.auditRetentionDays).toBe(90);
    const capped = parseConfig({ RETENTION_DAYS: '5', MEMORY_RETENTION_HOURS: '200' });
    expect(capped.ok && capped.config.retention).toEqual({
      memorySeconds: 5 * day,
      summarySeconds: 5 * day,
      doneTodoSeconds: 5 * day,
      usageDays: 5,
    });
    expect(capped.ok && capped.config.auditRetentionDays).toBe(5);
  });

  describe('in Redis', () => {
    const slack = new FakeSlackServer();
    const model = new FakeOpenAIServer();
    const prefix = `retention-${process.pid}-${Date.now()}:`;
    let served: ServedDeskmate;
    const redis = new Redis(testRedisUrl(), { lazyConnect: true });

    beforeAll(async () => {
      await slack.start();
      prepareSlackWorkspace(slack);
      const modelUrl = await model.start();
      served = await startServedDeskmate({
        ...slackEnvironment(slack),
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: modelUrl,
        OPENAI_MODEL: 'retention-model',
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
        MEMORY_RETENTION_HOURS: '2',
        RETENTION_DAYS: '3',
      });
      await redis.connect();
    });
    afterAll(async () => {
      redis.disconnect();
      await served.deskmate.stop();
      await model.stop();
      await slack.stop();
    });

    const ttlOf = async (pattern: string) => {
      const keys = await redis.keys(`${prefix}${pattern}`);
      expect(keys.length).toBeGreaterThan(0);
      return Math.max(...(await Promise.all(keys.map((key) => redis.ttl(key)))));
    };

    test('memory, usage, audit records and done todos expire when the settings say', async () => {
      const url = `${served.baseUrl}/slack/events`;
      for (const text of ['how are you?', 'todo add Water the plants', 'todo done 1']) {
        const { envelope } = mentionEvent(slack, {
          channel: slackChannel,
          user: slackAuthor.id,
          text: `{bot} ${text}`,
        });
        await deliverEvent(url, envelope, slack.signingSecret);
        await served.deskmate.queue.drain();
      }
      await waitUntil(() => slack.callsTo('chat.postMessage').length >= 3, 'the answers');
      const memory = await ttlOf('turns:*');
      expect(memory).toBeGreaterThan(hour);
      expect(memory).toBeLessThanOrEqual(2 * hour);
      // A closed todo's reminder is marked cancelled for 30 days, a lifetime of its own: the cap holds it too.
      for (const pattern of [
        'counters:usage:*',
        'json:audit:record:*',
        'json:todo:*:item:1',
        'json:reminder-cancelled:*',
      ]) {
        const ttl = await ttlOf(pattern);
        expect(ttl).toBeGreaterThan(2 * day);
        expect(ttl).toBeLessThanOrEqual(3 * day);
      }
    });
  });
});
