import { type RedisServerHandle, startRedisServer } from './redis-server';

/**
 * Start a redis-server that keeps its data in `directory` with an append-only file fsynced on every write
 * (`appendonly yes`, `appendfsync always`), so a kill -9 loses nothing it acknowledged, and a restart on
 * the same port and directory comes back with the same data.
 */
export function startPersistentRedisServer(directory: string, port?: number): Promise<RedisServerHandle> {
  return startRedisServer(port, ['--dir', directory, '--appendonly', 'yes', '--appendfsync', 'always']);
}
