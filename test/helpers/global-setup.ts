import { startRedisServer } from './redis-server';

/** Start one real redis-server for the whole jest run; tests read DESKMATE_TEST_REDIS_URL. */
export default async function globalSetup(): Promise<void> {
  const server = await startRedisServer();
  process.env.DESKMATE_TEST_REDIS_URL = server.url;
  (globalThis as { deskmateRedisServer?: unknown }).deskmateRedisServer = server;
}
