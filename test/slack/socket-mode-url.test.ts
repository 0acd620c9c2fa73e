import type { DeferredAckReceiver } from '../../adapters/slack/receiver';
import { createSocketModeConnection } from '../../adapters/slack/socket-mode';
import { FakeSlackServer } from '../fakes/slack-web-api';
import { createCaptureLogger } from '../helpers/capture-logger';
import { waitUntil } from './slack-harness';

describe('Socket Mode: which setting a failed apps.connections.open points at', () => {
  const fake = new FakeSlackServer({
    botToken: 'xoxb-1-socket-url-test',
    appToken: 'xapp-1-socket-url-test',
    signingSecret: 'unused',
  });
  let url: string;
  beforeAll(async () => {
    url = await fake.start(0);
  });
  afterAll(() => fake.stop());

  /** Try to connect with this API URL and app token; the error line logged. */
  async function failedConnection(apiUrl: string, appToken: string): Promise<Record<string, unknown>> {
    const capture = createCaptureLogger();
    const connection = createSocketModeConnection({
      appToken,
      apiUrl,
      receiver: {} as DeferredAckReceiver,
      logger: capture.logger,
      retryMs: 60_000,
    });
    connection.start();
    try {
      await waitUntil(
        () => capture.lines.some((line) => line.component === 'slack-socket-mode' && line.level === 50),
        'the error line',
        25_000,
      );
    } finally {
      await connection.stop();
    }
    return capture.lines.find(
      (line) => line.component === 'slack-socket-mode' && line.level === 50,
    ) as Record<string, unknown>;
  }

  test('SLACK_API_URL without /api/ (a 404) points at SLACK_API_URL, not at the app token', async () => {
    const line = await failedConnection(`${url}/`, 'xapp-1-socket-url-test');
    expect(line.msg).toBe(
      `cannot open the Slack Socket Mode connection: ${url}/ answered HTTP 404 for apps.connections.open. Fix: SLACK_API_URL must be the Web API base, ending in /api/ (e.g. http://127.0.0.1:4020/api/ for a fake), or unset it for Slack itself`,
    );
    expect(String(line.msg)).not.toContain('SLACK_APP_TOKEN');
  }, 40_000);

  test('an app token Slack refuses still points at SLACK_APP_TOKEN', async () => {
    const line = await failedConnection(`${url}/api/`, 'xapp-1-not-the-right-one');
    expect(String(line.msg)).toMatch(
      /^cannot open the Slack Socket Mode connection\. Fix: set SLACK_APP_TOKEN/,
    );
  }, 40_000);
});
