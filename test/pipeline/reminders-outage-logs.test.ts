// Proves: while Redis is away the reminders' look for due reminders, retried every poll, writes one warning
// (with its error) instead of a stack trace per retry, and one line when Redis is back; reminders are then
// delivered again.

import { createRepeatedFailureLog } from '../../src/observability/repeated-failure';
import { createRedisReminderScheduler } from '../../src/pipeline/reminder-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { createCaptureLogger } from '../helpers/capture-logger';
import { startRedisServer } from '../helpers/redis-server';
import { waitUntil } from '../helpers/wait';

jest.setTimeout(60_000);

test('a Redis outage is one warning and one line when it ends, not a stack trace per retry', async () => {
  let redis = await startRedisServer();
  const capture = createCaptureLogger('info');
  const reminders = createRedisReminderScheduler({
    url: redis.url,
    prefix: `outage-logs-${process.pid}:`,
    store: createMemoryStateStore(),
    logger: capture.logger,
    pollMs: 100,
  });
  const delivered: string[] = [];
  await reminders.start(async (reminder) => {
    delivered.push(reminder.id);
  });
  try {
    const port = redis.port;
    await redis.stop();
    const messages = () => capture.lines.map((line) => String(line.msg));
    const count = (text: string) => messages().filter((message) => message === text).length;
    // Away for a while: many failed looks, one warning, with its error.
    await waitUntil(
      () => count('could not look for due reminders; retrying') === 1,
      'the first failure',
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(count('could not look for due reminders; retrying')).toBe(1);
    expect(
      capture.lines.find((line) => line.msg === 'could not look for due reminders; retrying')?.err,
    ).toBeDefined();

    redis = await startRedisServer(port);
    await waitUntil(() => count('could not look for due reminders: working again') === 1, 'back', 20_000);
    expect(
      capture.lines.find((line) => line.msg === 'could not look for due reminders: working again'),
    ).toMatchObject({ failures: expect.any(Number), failingMs: expect.any(Number) });
    await reminders.schedule({
      id: 'after-the-outage',
      dueAt: new Date().toISOString(),
      conversation: { platform: 'console', workspace: 'local', channel: 'room', kind: 'group' },
      text: 'Send the report',
    });
    await waitUntil(() => delivered.includes('after-the-outage'), 'a reminder after the outage', 20_000);
  } finally {
    await reminders.stop(500);
    await redis.stop();
  }
});

test('a failure that repeats is logged once with its error, again a minute later without it, and when it ends', () => {
  const capture = createCaptureLogger('info');
  let now = 0;
  const log = createRepeatedFailureLog(capture.logger, 'could not take jobs', () => now);
  const refused = Object.assign(new Error('Connection is closed.'), { code: 'ECONNREFUSED' });
  for (let retry = 0; retry < 150; retry += 1) {
    log.failed(refused);
    now += 500;
  }
  expect(capture.lines.map((line) => line.msg)).toEqual([
    'could not take jobs; retrying',
    'could not take jobs; still retrying',
  ]);
  expect(capture.lines[0].err).toBeDefined();
  expect(capture.lines[1]).toMatchObject({ failures: 121, failingMs: 60_000, code: 'ECONNREFUSED' });
  expect(capture.lines[1].err).toBeUndefined();
  log.succeeded();
  log.succeeded();
  expect(capture.lines.at(-1)).toMatchObject({ msg: 'could not take jobs: working again', failures: 150 });
  expect(capture.lines).toHaveLength(3);
});
