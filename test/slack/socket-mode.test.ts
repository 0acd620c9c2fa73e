import type { EnqueueOutcome, JobQueue } from '../../src/core/job-queue';
import { mentionEvent, slashCommand } from '../fakes/slack-events';
import { createCaptureLogger } from '../helpers/capture-logger';
import { generalChannel, people, type SlackHarness, startSlackHarness, waitUntil } from './slack-harness';

describe('Slack over Socket Mode, end to end through Bolt and the SDK client', () => {
  let harness: SlackHarness;
  let queueDown = false;
  const capture = createCaptureLogger();

  beforeAll(async () => {
    harness = await startSlackHarness({
      mode: 'socket',
      logger: capture.logger,
      // A short ping timeout keeps the SDK's pause before reconnecting short.
      adapter: { socketPingTimeoutMs: 300 },
      wrapQueue: (queue): JobQueue => ({
        ...queue,
        enqueue: (message): Promise<EnqueueOutcome> =>
          queueDown ? Promise.reject(new Error('Redis is unreachable')) : queue.enqueue(message),
      }),
    });
  });
  afterAll(() => harness.stop());

  test('without a signing secret there is no HTTP route, and the adapter is ready once connected', () => {
    expect(harness.adapter.routes).toHaveLength(0);
    expect(harness.adapter.ready()).toBe(true);
    expect(harness.fake.callsTo('apps.connections.open')).toHaveLength(1);
  });

  test('a mention is acknowledged and answered in its thread', async () => {
    const root = harness.fake.state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: 'plan?',
    });
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
      threadTs: root.ts,
    });
    const delivery = harness.fake.socketMode.deliver('events_api', envelope);
    await delivery.acknowledged;
    expect(harness.fake.socketMode.acknowledged.has(delivery.envelopeId)).toBe(true);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].threadTs).toBe(root.ts);
    expect(harness.fake.state.visibleText(replies[0])).toContain('Deskmate');
  });

  test('a redelivered envelope is answered once', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    await harness.fake.socketMode.deliver('events_api', envelope).acknowledged;
    await harness.fake.socketMode.deliver('events_api', envelope, { retryAttempt: 1, retryReason: 'timeout' })
      .acknowledged;
    await harness.pipeline.drain();
    expect(harness.fake.state.botMessages().slice(before)).toHaveLength(1);
  });

  test('a slash command is acknowledged, then answered', async () => {
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: 'help',
      user: people.alice.id,
      channel: generalChannel,
    });
    await harness.fake.socketMode.deliver('slash_commands', fields).acknowledged;
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    expect(harness.fake.state.visibleText(replies[0])).toContain('Deskmate');
  });

  test('after Slack asks it to reconnect, it reconnects and keeps answering', async () => {
    const connections = harness.fake.socketMode.connections;
    harness.fake.socketMode.askToReconnect();
    await waitUntil(
      () => harness.fake.socketMode.connections > connections && harness.adapter.ready(),
      'a new connection',
    );
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    await harness.fake.socketMode.deliver('events_api', envelope).acknowledged;
    await harness.pipeline.drain();
    expect(harness.fake.state.botMessages().slice(before)).toHaveLength(1);
  });

  test('an envelope that could not be queued is left unacknowledged, and its redelivery is answered', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    queueDown = true;
    const refused = harness.fake.socketMode.deliver('events_api', envelope);
    const notQueued = () =>
      capture.lines.filter(
        (line) => line.msg === 'slack envelope not queued; leaving it unacknowledged so Slack sends it again',
      );
    try {
      await waitUntil(() => notQueued().length > 0, 'the envelope to be refused');
    } finally {
      queueDown = false;
    }
    expect(harness.fake.socketMode.acknowledged.has(refused.envelopeId)).toBe(false);
    expect(notQueued()[0].envelopeId).toBe(refused.envelopeId);
    await harness.fake.socketMode.deliver('events_api', envelope, { retryAttempt: 1, retryReason: 'timeout' })
      .acknowledged;
    await harness.pipeline.drain();
    expect(harness.fake.state.botMessages().slice(before)).toHaveLength(1);
  });

  test('log lines carry ids and sizes, never the text people wrote', async () => {
    const secret = 'zebra-cabbage-4217';
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: `{bot} ${secret}`,
    });
    await harness.fake.socketMode.deliver('events_api', envelope).acknowledged;
    await harness.pipeline.drain();
    expect(
      capture.lines.some((line) => line.msg === 'slack event queued' && line.eventId === envelope.event_id),
    ).toBe(true);
    expect(capture.lines.filter((line) => JSON.stringify(line).includes(secret))).toEqual([]);
  });
});
