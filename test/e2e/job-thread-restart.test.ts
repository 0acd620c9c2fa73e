// Proves: a job thread that dies after it started is started again, and /metrics (which asks the thread) has
// nothing from it while it is down and its figures again once it is back; the crash is logged once, with the
// exit code and the delay. A thread that never got ready stops the start instead (it is not restarted).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config';
import { startJobThread } from '../../src/job-thread';
import { createCaptureLogger } from '../helpers/capture-logger';
import { crashMarker } from '../helpers/crashing-job-thread';
import { waitUntil } from '../helpers/wait';

const standIn = join(__dirname, '..', 'helpers', 'crashing-job-thread.ts');

function config() {
  const parsed = parseConfig({ DESKMATE_CONSOLE: 'off' });
  if (!parsed.ok) throw new Error('test configuration rejected');
  return parsed.config;
}

describe('the job thread supervisor', () => {
  beforeEach(() => rmSync(crashMarker(), { force: true }));
  afterEach(() => rmSync(crashMarker(), { force: true }));

  test('a thread that crashes after it was ready is started again and answers again', async () => {
    const { logger, lines } = createCaptureLogger();
    const thread = startJobThread(config(), logger, { entryFile: standIn, restartDelayMs: 300 });
    try {
      await thread.ready;
      await waitUntil(() => !thread.running(), 'the thread to crash', 10_000);
      expect(await thread.metrics()).toEqual([]);
      await waitUntil(() => thread.running(), 'the thread to be started again', 10_000);
      const snapshots = await thread.metrics();
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]).toEqual([expect.objectContaining({ name: 'stand_in_up' })]);
      const restarts = lines.filter((line) => line.msg === 'job thread exited; starting it again');
      expect(restarts).toEqual([expect.objectContaining({ code: 1, restartInMs: 300 })]);
      expect(lines.filter((line) => line.msg === 'job thread ready')).toHaveLength(2);
    } finally {
      await thread.stop(1000);
    }
    expect(thread.running()).toBe(false);
  });

  test('a thread that dies before it is ready fails the start and is not started again', async () => {
    const { logger, lines } = createCaptureLogger();
    const missing = join(__dirname, '..', 'helpers', 'no-such-job-thread-entry.js');
    const thread = startJobThread(config(), logger, { entryFile: missing, restartDelayMs: 100 });
    await expect(thread.ready).rejects.toThrow(/exited with code 1 before it was ready/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(thread.running()).toBe(false);
    expect(lines.filter((line) => line.msg === 'job thread exited; starting it again')).toEqual([]);
    await thread.stop(100);
  });
});
