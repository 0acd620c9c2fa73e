import { createSlackAdapter } from '../../adapters/slack';
import { DeskmateError } from '../../src/core/errors';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { createCaptureLogger } from '../helpers/capture-logger';
import { freePort } from '../helpers/redis-server';
import { startSlackHarness, waitUntil } from './slack-harness';

describe('starting the Slack adapter', () => {
  test('without a signing secret or an app token it refuses to be created, naming both settings', () => {
    const store = createMemoryStateStore();
    const logger = createLogger({ level: 'silent' });
    const create = () =>
      createSlackAdapter({ botToken: 'xoxb-1', queue: createMemoryQueue({ store, logger }), store, logger });
    expect(create).toThrow(DeskmateError);
    expect(create).toThrow(/SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/);
  });

  test('a failing auth.test does not stop it: it logs the fix, is not ready, and recovers by itself', async () => {
    const capture = createCaptureLogger();
    const harness = await startSlackHarness({
      logger: capture.logger,
      prepare: (fake) => fake.fail({ method: 'auth.test', times: 1, error: 'invalid_auth' }),
      adapter: { identityRetryMs: 20 },
    });
    try {
      const failure = capture.lines.find((line) => String(line.msg).includes('auth.test'));
      expect(failure?.level).toBe(50);
      expect(String(failure?.msg)).toContain('SLACK_BOT_TOKEN');
      expect(JSON.stringify(capture.lines)).not.toContain(harness.fake.botToken);
      await waitUntil(() => harness.adapter.ready(), 'auth.test to succeed on its retry');
    } finally {
      await harness.stop();
    }
  });

  test('a Slack it cannot reach is named by its URL and SLACK_API_URL, not blamed on the token', async () => {
    const capture = createCaptureLogger();
    const store = createMemoryStateStore();
    // A port nothing listens on: the connection is refused, as when the fake is not started yet.
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`;
    const adapter = createSlackAdapter({
      botToken: 'xoxb-0000000000-fake',
      signingSecret: 'secret',
      apiUrl,
      queue: createMemoryQueue({ store, logger: capture.logger }),
      store,
      logger: capture.logger,
      sleep: async () => {},
    });
    await adapter.start();
    await adapter.stop();
    const failure = capture.lines.find((line) => line.level === 50);
    expect(failure).toMatchObject({ url: apiUrl, code: 'unavailable' });
    expect(String(failure?.msg)).toContain(`cannot reach the Slack Web API at ${apiUrl}`);
    expect(String(failure?.msg)).toContain('SLACK_API_URL');
    expect(JSON.stringify(capture.lines)).not.toMatch(/SLACK_BOT_TOKEN|"stack"/);
    expect(adapter.ready()).toBe(false);
  });

  test('a wrong app token keeps Socket Mode not ready and logs the fix; nothing crashes', async () => {
    const capture = createCaptureLogger();
    const harness = await startSlackHarness({
      logger: capture.logger,
      adapter: { appToken: 'xapp-1-not-the-token', signingSecret: undefined },
    });
    try {
      await waitUntil(
        () => capture.lines.some((line) => String(line.msg).includes('SLACK_APP_TOKEN')),
        'the Socket Mode failure to be logged',
      );
      expect(harness.adapter.ready()).toBe(false);
      expect(JSON.stringify(capture.lines)).not.toContain('xapp-1-not-the-token');
    } finally {
      await harness.stop();
    }
  });
});
