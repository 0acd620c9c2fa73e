import type { RedisServerHandle } from './redis-server';

/** Stop the redis-server the global setup started. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { deskmateRedisServer?: RedisServerHandle }).deskmateRedisServer;
  await server?.stop();
}
