import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './redis-server';
import { recordTestProcess } from './test-processes';

/** Deskmate running as its own `node` process (`src/main.ts` through tsx), as it runs in production. */
export interface DeskmateProcess {
  /** The child process (its pid is the node process itself, so a signal reaches Deskmate, not a wrapper). */
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Everything it wrote to stdout and stderr so far (its logs). */
  output(): string;
  /** Send a signal and wait for the process to exit. */
  signal(signal: NodeJS.Signals): Promise<void>;
}

const repositoryRoot = join(__dirname, '..', '..');

/** Every Deskmate process started from this test file that has not exited, ready or still starting. */
const started = new Set<ChildProcess>();

/**
 * Stop every Deskmate process this test file started and has not seen exit: SIGTERM, then SIGKILL after
 * `graceMs`. For `afterAll`: a `beforeAll` that timed out while processes were starting leaves none running
 * (they would keep the jest worker, and the machine, busy after the run).
 */
export async function stopDeskmateProcesses(graceMs = 5000): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * Start `node --import tsx src/main.ts` with only the given settings (and PATH), on a free port, and wait
 * until `/readyz` answers 200 (Redis reachable, adapters ready).
 */
export async function startDeskmateProcess(
  environment: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<DeskmateProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DESKMATE_CONSOLE: 'off',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordTestProcess(child.pid);
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const handle: DeskmateProcess = {
    child,
    baseUrl,
    output: () => output,
    async signal(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Deskmate exited before it was ready:\n${output}`);
    }
    const status = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return handle;
    if (Date.now() > deadline) {
      await handle.signal('SIGKILL');
      throw new Error(`Deskmate was not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
