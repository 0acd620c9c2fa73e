// Proves: requests refused before they were authenticated (forged, stale, unsigned, malformed, bad token) are logged as one summary line per interval, by route and reason, never one line each; what is left is logged when the server closes; every refusal is counted in /metrics.
import { createLarkWebhookRoute } from '../../adapters/lark/webhook';
import { createSlackEventsRoute } from '../../adapters/slack/http-route';
import { DeferredAckReceiver } from '../../adapters/slack/receiver';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { createMetrics, type Metrics, metricsRoute } from '../../src/observability/metrics';
import { encryptPayload, postRaw, signatureHeaders } from '../fakes/lark-events';
import { signedHeaders } from '../fakes/slack-events';
import { createCaptureLogger } from '../helpers/capture-logger';
import { waitUntil } from '../helpers/wait';

const signingSecret = 'slack-signing-secret-for-tests';
const encryptKey = 'lark-encrypt-key-for-tests';
const metricsToken = 'metrics-token-for-tests';

/** The shared server with the real Slack, Lark and metrics routes, logging to `capture`. */
function serveRoutes(
  capture: ReturnType<typeof createCaptureLogger>,
  metrics: Metrics,
  rejectionLogIntervalMs?: number,
): HttpServer {
  return createHttpServer({
    logger: capture.logger,
    readiness: async () => ({ ready: true, checks: {} }),
    rejectionLogIntervalMs,
    onRefused: (route, reason) => metrics.rejectedRequests.inc({ route, reason }),
    routes: [
      createSlackEventsRoute({
        path: '/slack/events',
        signingSecret,
        receiver: new DeferredAckReceiver(),
        logger: capture.logger,
        now: () => new Date(),
      }),
      createLarkWebhookRoute({
        path: '/lark/events',
        encryptKey,
        verificationToken: 'lark-verification-token',
        dispatcher: { invoke: async () => ({}) },
        logger: capture.logger,
        now: () => new Date(),
      }),
      metricsRoute(metrics, metricsToken),
    ],
  });
}

const summariesIn = (lines: Array<Record<string, unknown>>) =>
  lines.filter((line) => line.msg === 'unauthenticated requests rejected');

const slackBody = JSON.stringify({ type: 'event_callback', event_id: 'Ev0FORGED', team_id: 'T0TEAM' });
const forgedSlack = (base: string) =>
  postRaw(`${base}/slack/events`, slackBody, signedHeaders(slackBody, 'not-the-signing-secret'));

describe('refused unauthenticated requests are summarized', () => {
  test('50 forged Slack requests and a mix of other refusals make one line with their counts, not one each', async () => {
    const intervalMs = 1500;
    const capture = createCaptureLogger();
    const metrics = createMetrics(async () => 0);
    // The window starts with the server: everything below is sent well within its first interval.
    const server = serveRoutes(capture, metrics, intervalMs);
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      const now = Math.floor(Date.now() / 1000);
      const larkBody = encryptPayload({ schema: '2.0', header: { event_id: 'ev_forged' } }, encryptKey);
      const larkForged = { ...signatureHeaders(larkBody, encryptKey), 'x-lark-signature': 'f'.repeat(64) };
      const sent: Array<Promise<{ status: number }>> = [];
      const repeat = (times: number, send: () => Promise<{ status: number }>) => {
        for (let index = 0; index < times; index += 1) sent.push(send());
      };
      repeat(50, () => forgedSlack(base));
      repeat(5, () =>
        postRaw(`${base}/slack/events`, slackBody, signedHeaders(slackBody, signingSecret, now - 600)),
      );
      repeat(3, () => postRaw(`${base}/slack/events`, slackBody));
      repeat(20, () => postRaw(`${base}/lark/events`, larkBody, larkForged));
      repeat(4, () => postRaw(`${base}/lark/events`, '{not json'));
      repeat(2, () =>
        fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } }).then((response) => ({
          status: response.status,
        })),
      );
      const statuses = (await Promise.all(sent)).map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(80);
      expect(statuses.filter((status) => status === 400)).toHaveLength(4);

      await waitUntil(() => summariesIn(capture.lines).length > 0, 'the summary line', intervalMs * 3);
      // A window with nothing refused writes nothing.
      const written = summariesIn(capture.lines).length;
      await new Promise((resolve) => setTimeout(resolve, intervalMs + 300));
      const summaries = summariesIn(capture.lines);
      expect(summaries).toHaveLength(written);
      // One line a window: on a busy machine the 84 requests may straddle two windows, never one line each.
      expect(summaries.length).toBeLessThanOrEqual(2);
      for (const summary of summaries) {
        expect(summary).toMatchObject({ level: 40, windowSeconds: expect.any(Number) });
      }
      const totals: Record<string, Record<string, number>> = {};
      for (const summary of summaries) {
        for (const [route, reasons] of Object.entries(
          summary.rejected as Record<string, Record<string, number>>,
        )) {
          for (const [reason, count] of Object.entries(reasons)) {
            totals[route] = { ...totals[route], [reason]: (totals[route]?.[reason] ?? 0) + count };
          }
        }
      }
      expect(totals).toEqual({
        slack: { bad_signature: 50, stale: 5, unsigned: 3 },
        lark: { bad_signature: 20, malformed: 4 },
        metrics: { bad_token: 2 },
      });
      // No line for each refused request: the summaries are the only warnings.
      expect(capture.lines.filter((line) => Number(line.level) >= 40)).toHaveLength(summaries.length);

      // Each refusal is counted in /metrics too.
      const scrape = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const text = await scrape.text();
      for (const [route, reason, count] of [
        ['slack', 'bad_signature', 50],
        ['slack', 'stale', 5],
        ['slack', 'unsigned', 3],
        ['lark', 'bad_signature', 20],
        ['lark', 'malformed', 4],
        ['metrics', 'bad_token', 2],
      ]) {
        expect(text).toContain(
          `deskmate_http_rejected_total{route="${route}",reason="${reason}"} ${count}\n`,
        );
      }
    } finally {
      await server.close();
    }
  });

  test('what was refused since the last line is logged when the server closes', async () => {
    const capture = createCaptureLogger();
    // The default interval (a minute): only the close can write this line.
    const server = serveRoutes(
      capture,
      createMetrics(async () => 0),
    );
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    const statuses = await Promise.all(Array.from({ length: 7 }, () => forgedSlack(base)));
    expect(statuses.map((answer) => answer.status)).toEqual(Array(7).fill(401));
    expect(summariesIn(capture.lines)).toHaveLength(0);
    await server.close();
    const summaries = summariesIn(capture.lines);
    expect(summaries).toHaveLength(1);
    expect(summaries[0].rejected).toEqual({ slack: { bad_signature: 7 } });
  });
});
