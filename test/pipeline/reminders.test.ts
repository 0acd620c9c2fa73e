// Reminders are delivered once at their time: with Redis (a sorted set of due times) also across a restart of the
// scheduler, never twice for the same id, not at all once cancelled, and again after a failed post.
import type { ConversationRef } from '../../src/core/conversation';
import type { Reminder } from '../../src/core/reminder';
import { createLogger } from '../../src/logger';
import { createMemoryReminderScheduler } from '../../src/pipeline/memory-reminders';
import { createReminderDelivery } from '../../src/pipeline/reminder-delivery';
import { createRedisReminderScheduler } from '../../src/pipeline/reminder-queue';
import type { ReminderService } from '../../src/pipeline/reminder-service';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const logger = createLogger({ level: 'silent' });
const conversation: ConversationRef = {
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  thread: '1.2',
  kind: 'group',
};

let counter = 0;
function reminderIn(milliseconds: number): Reminder {
  counter += 1;
  return {
    id: `todo-slack-T1-${process.pid}-${Date.now()}-${counter}`,
    dueAt: new Date(Date.now() + milliseconds).toISOString(),
    conversation,
    userId: 'U1',
    text: `⏰ Reminder ${counter}`,
  };
}

/** Posts (with the time each was made) of a reminder's text. */
function deliveriesOf(platform: RecordingPlatform, reminder: Reminder) {
  return platform.sends.filter((send) => send.kind === 'post' && send.reply.markdown === reminder.text);
}

describe.each([
  ['Redis', true],
  ['in-process timers', false],
])('reminders (%s)', (_name, durable) => {
  const prefix = `deskmate-test:${process.pid}:${Date.now()}:reminders:${durable}:`;
  const store = createRedisStateStore({ url: testRedisUrl(), prefix });
  const platform = new RecordingPlatform('slack');
  const postedAt = new Map<string, number>();
  const originalPost = platform.post.bind(platform);
  platform.post = async (target, reply, options) => {
    const ref = await originalPost(target, reply, options);
    postedAt.set(reply.markdown, Date.now());
    return ref;
  };
  const deliverToPlatform = createReminderDelivery({ platforms: { slack: platform }, store, logger });
  /** How many times a scheduler handed each reminder to delivery (the delivery itself skips a sent one). */
  const handedOver = new Map<string, number>();
  const deliver = async (reminder: Reminder) => {
    handedOver.set(reminder.id, (handedOver.get(reminder.id) ?? 0) + 1);
    await deliverToPlatform(reminder);
  };
  const services: ReminderService[] = [];
  const startScheduler = async () => {
    const service = durable
      ? createRedisReminderScheduler({ url: testRedisUrl(), prefix, store, logger, retryDelayMs: 100 })
      : createMemoryReminderScheduler({ store, retryDelayMs: 100 });
    await service.start(deliver);
    services.push(service);
    return service;
  };
  let scheduler: ReminderService;

  beforeAll(async () => {
    await store.ping();
    scheduler = await startScheduler();
  });
  afterAll(async () => {
    for (const service of services) await service.stop(500);
    await store.close();
  });

  test('delivered once at its time, to its owner', async () => {
    const reminder = reminderIn(400);
    await scheduler.schedule(reminder);
    await scheduler.schedule(reminder); // the same id again changes nothing
    await waitUntil(() => deliveriesOf(platform, reminder).length === 1, 'the reminder', 10_000);
    expect(postedAt.get(reminder.text)).toBeGreaterThanOrEqual(Date.parse(reminder.dueAt) - 5);
    const [sent] = deliveriesOf(platform, reminder);
    expect(sent.kind === 'post' && sent.reply.notify).toEqual(['U1']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(deliveriesOf(platform, reminder)).toHaveLength(1);
  });

  test('a cancelled reminder is not delivered', async () => {
    const reminder = reminderIn(300);
    await scheduler.schedule(reminder);
    await scheduler.cancel(reminder.id);
    const witness = reminderIn(500);
    await scheduler.schedule(witness);
    await waitUntil(() => deliveriesOf(platform, witness).length === 1, 'a later reminder', 10_000);
    expect(deliveriesOf(platform, reminder)).toHaveLength(0);
  });

  test('a reminder without a valid due time is refused, not delivered at once', async () => {
    const reminder = { ...reminderIn(0), dueAt: 'next tuesday' };
    await expect(scheduler.schedule(reminder)).rejects.toMatchObject({ code: 'bad_input' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deliveriesOf(platform, reminder)).toHaveLength(0);
  });

  test('a failed post is tried again, and the reminder arrives once', async () => {
    const reminder = reminderIn(200);
    platform.failPosts = 1;
    await scheduler.schedule(reminder);
    await waitUntil(() => deliveriesOf(platform, reminder).length === 1, 'the retried reminder', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveriesOf(platform, reminder)).toHaveLength(1);
  });

  if (durable) {
    test('a reminder scheduled before a restart is delivered once by the next process', async () => {
      const reminder = reminderIn(1200);
      await scheduler.schedule(reminder);
      await scheduler.stop(500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(deliveriesOf(platform, reminder)).toHaveLength(0);
      scheduler = await startScheduler();
      await waitUntil(
        () => deliveriesOf(platform, reminder).length === 1,
        'the reminder after restart',
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(deliveriesOf(platform, reminder)).toHaveLength(1);
    });

    test('with two processes running, each due reminder is taken by one of them and delivered once', async () => {
      const second = await startScheduler();
      const reminders = [reminderIn(300), reminderIn(300), reminderIn(350), reminderIn(400)];
      for (const [index, reminder] of reminders.entries())
        await (index % 2 === 0 ? scheduler : second).schedule(reminder);
      await waitUntil(
        () => reminders.every((reminder) => deliveriesOf(platform, reminder).length >= 1),
        'the reminders',
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(reminders.map((reminder) => deliveriesOf(platform, reminder).length)).toEqual([1, 1, 1, 1]);
      // Taken by one process each, not only deduplicated by the delivery.
      expect(reminders.map((reminder) => handedOver.get(reminder.id))).toEqual([1, 1, 1, 1]);
    });

    test('a delivery that ran again after a crash between post and mark does not post twice', async () => {
      const reminder = reminderIn(0);
      platform.findPosted = async (_conversation, key) =>
        platform.sends.some((send) => send.kind === 'post' && send.options?.idempotencyKey === key)
          ? { id: 'found', channel: 'C1' }
          : undefined;
      await deliver(reminder);
      await store.delete(`reminder-sent:${reminder.id}`); // the crash lost the mark
      await deliver(reminder);
      expect(deliveriesOf(platform, reminder)).toHaveLength(1);
    });
  }
});
