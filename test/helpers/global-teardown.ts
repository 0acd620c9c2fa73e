import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RedisServerHandle } from './redis-server';
import { stopRecordedProcesses, testPidFileVariable } from './test-processes';

/**
 * Stop the redis-server the global setup started (its own child, by PID), then any process a test started and
 * left running (by the PIDs recorded in DESKMATE_TEST_PID_FILE), saying which: that is a leak to fix.
 */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { deskmateRedisServer?: RedisServerHandle; deskmateOwnPidFile?: string };
  await state.deskmateRedisServer?.stop();
  const file = process.env[testPidFileVariable];
  if (!file) return;
  const leftovers = stopRecordedProcesses(file);
  if (leftovers.length > 0) {
    process.stderr.write(
      `global teardown: stopped ${leftovers.length} test process(es) left running: ${leftovers}\n`,
    );
  }
  if (state.deskmateOwnPidFile) rmSync(dirname(state.deskmateOwnPidFile), { recursive: true, force: true });
}
