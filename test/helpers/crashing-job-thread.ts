/**
 * A stand-in for src/job-thread-entry.ts that speaks its messages (ready, metrics, stop) without running jobs,
 * and crashes with an uncaught error once after it said it was ready: the first thread started while the file
 * `crashMarker()` does not exist creates it and crashes; the next ones keep running.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { JobThreadCommand, JobThreadMessage } from '../../src/job-thread';

/** The file that says the stand-in crashed already (per process: the test and its threads share the pid). */
export function crashMarker(): string {
  return join(tmpdir(), `deskmate-stand-in-crashed-${process.pid}`);
}

// Only as the thread's entry; the test imports this file for `crashMarker`.
if (require.main === module) runStandIn();

function runStandIn(): void {
  const port = parentPort;
  if (!port) return;
  const send = (message: JobThreadMessage) => port.postMessage(message);
  const marker = crashMarker();
  const crashes = !existsSync(marker);

  port.on('message', (command: JobThreadCommand) => {
    if (command.type === 'metrics') {
      send({
        type: 'metrics',
        id: command.id,
        snapshot: [
          {
            name: 'stand_in_up',
            help: 'the stand-in runs',
            type: 'gauge',
            values: [{ value: 1, labels: {} }],
            aggregator: 'sum',
          },
        ],
      } as unknown as JobThreadMessage);
    } else if (command.type === 'stop') {
      send({ type: 'stopped' });
    }
  });
  send({ type: 'ready' });
  if (crashes) {
    writeFileSync(marker, 'crashed');
    setTimeout(() => {
      throw new Error('the stand-in job thread crashes, as a job thread with a bug would');
    }, 100);
  }
}
