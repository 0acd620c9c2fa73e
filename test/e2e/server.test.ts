import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type Deskmate, startDeskmate } from '../../src/main';
import { type RedisServerHandle, startRedisServer } from '../helpers/redis-server';

function configFor(environment: Record<string, string>) {
  const result = parseConfig({ DESKMATE_CONSOLE: 'off', HOST: '127.0.0.1', PORT: '0', ...environment });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

describe('server mode', () => {
  let redis: RedisServerHandle;
  let deskmate: Deskmate;
  let base: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    deskmate = await startDeskmate(
      configFor({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'server-test:', LOG_LEVEL: 'silent' }),
      createLogger({ level: 'silent' }),
    );
    base = `http://127.0.0.1:${deskmate.port}`;
  });
  afterAll(async () => {
    await deskmate.stop();
    await redis.stop();
  });

  test('health, readiness and metrics answer', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { redis: true },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    // The job thread's figures are served with the main thread's, each metric once.
    expect(metrics.match(/^# TYPE deskmate_jobs_total counter$/gm)).toHaveLength(1);
    expect(metrics).toMatch(/deskmate_queue_depth 0/);
    expect(metrics).toMatch(/deskmate_process_resident_memory_bytes/);
  });

  test('when Redis goes away /readyz fails and the process stays up; when it is back, ready again', async () => {
    await redis.stop();
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    redis = await startRedisServer(redis.port);
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 15000);
  });
});
