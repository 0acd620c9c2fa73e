import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from './redis-server';
import { testPidFileVariable } from './test-processes';

/**
 * Start one real redis-server for the whole jest run; tests read DESKMATE_TEST_REDIS_URL. Every process the
 * tests start is recorded by PID in DESKMATE_TEST_PID_FILE (a file of this run's own unless the caller, such
 * as .ci/run, names one), which the workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env[testPidFileVariable]) {
    process.env[testPidFileVariable] = join(mkdtempSync(join(tmpdir(), 'deskmate-test-')), 'pids');
    (globalThis as { deskmateOwnPidFile?: string }).deskmateOwnPidFile = process.env[testPidFileVariable];
  }
  const server = await startRedisServer();
  process.env.DESKMATE_TEST_REDIS_URL = server.url;
  (globalThis as { deskmateRedisServer?: unknown }).deskmateRedisServer = server;
}
