// Proves: a Redis error logged as Deskmate logs it never shows the password a failed command carried (ioredis
// puts the command's arguments on its errors: `HELLO 3 AUTH user password`), nor a secret field.
import Redis from 'ioredis';
import { createCaptureLogger } from '../helpers/capture-logger';
import { type RedisServerHandle, startRedisServer } from '../helpers/redis-server';

describe('log lines and secrets', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer(undefined, ['--appendonly', 'no', '--requirepass', 'the-right-one']);
  });
  afterAll(() => redis.stop());

  test('a wrong Redis password, logged as the queue logs it, shows no password', async () => {
    const client = new Redis(`redis://someone:s3cret-but-wrong@127.0.0.1:${redis.port}`, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const failed = new Promise<unknown>((resolve) => client.once('error', resolve));
    client.connect().catch(() => undefined);
    const failure = await failed;
    client.on('error', () => {});
    client.disconnect();
    expect(failure).toBeDefined();
    const capture = createCaptureLogger();
    capture.logger.warn({ err: failure }, 'could not take jobs; retrying');
    capture.logger.warn({ err: new Error('wrapped', { cause: failure }) }, 'wrapped');
    const written = JSON.stringify(capture.lines);
    expect(written).toContain('WRONGPASS');
    expect(written).not.toContain('s3cret-but-wrong');
  });
});
