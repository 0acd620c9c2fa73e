// Proves: with METRICS_TOKEN set, /metrics answers only `Authorization: Bearer <token>` (401 without it or with a wrong one, each counted as a refusal); unset, /metrics stays open.
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-for-tests-0123456789';
  let served: ServedDeskmate;
  beforeAll(async () => {
    served = await startServedDeskmate({ METRICS_TOKEN: token });
  });
  afterAll(() => served?.deskmate.stop());

  const scrape = (authorization?: string) =>
    fetch(`${served.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });

  test('no token, a wrong token, another scheme, or a token that only starts right: 401', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      `Basic ${token}`,
      token,
    ]) {
      const response = await scrape(authorization);
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
      expect(await response.text()).toBe('');
    }
  });

  test('the right bearer token: the metrics, with the refused scrapes counted', async () => {
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE deskmate_events_total counter$/m);
    expect(text).toMatch(/^deskmate_http_rejected_total\{route="metrics",reason="bad_token"\} 6$/m);
  });

  test('health and readiness stay open', async () => {
    expect((await fetch(`${served.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${served.baseUrl}/readyz`)).status).toBe(200);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let served: ServedDeskmate;
  beforeAll(async () => {
    served = await startServedDeskmate({});
  });
  afterAll(() => served?.deskmate.stop());

  test('is open, as before', async () => {
    const response = await fetch(`${served.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# TYPE deskmate_events_total counter$/m);
  });
});
