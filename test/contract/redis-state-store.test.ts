import { createRedisStateStore } from '../../src/state/redis-state-store';
import { testRedisUrl } from '../helpers/test-redis';
import { describeStateStoreContract } from './state-store-contract';

describeStateStoreContract('redis', async (prefix) => {
  const store = createRedisStateStore({ url: testRedisUrl(), prefix });
  await store.ping();
  return store;
});

test('keys carry the prefix, so two deployments can share one Redis', async () => {
  const store = createRedisStateStore({ url: testRedisUrl(), prefix: 'tenant-a:' });
  await store.ping();
  await store.markSeen('event:x', 60);
  const keys = await store.client.call('KEYS', 'tenant-a:*');
  expect(keys).toEqual(['tenant-a:seen:event:x']);
  await store.client.call('DEL', 'tenant-a:seen:event:x');
  await store.close();
});

test('commands fail fast with a retryable error when Redis is unreachable', async () => {
  const store = createRedisStateStore({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
  await expect(store.markSeen('event:y', 60)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  await expect(store.ping()).rejects.toBeDefined();
  await store.close();
});
