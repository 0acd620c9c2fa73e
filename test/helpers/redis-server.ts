import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { recordTestProcess } from './test-processes';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server child process started for tests. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The child process. */
  process: ChildProcess;
  /** Kill it and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Start a redis-server on a free port (or the given one). By default it keeps nothing (`--appendonly no`);
 * `persistence` arguments replace that (an fsynced append-only file in a directory, say).
 */
export async function startRedisServer(
  port?: number,
  persistence: string[] = ['--appendonly', 'no'],
): Promise<RedisServerHandle> {
  const chosenPort = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosenPort), '--bind', '127.0.0.1', '--save', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  recordTestProcess(child.pid);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server exited with code ${code}: ${output}`));
    child.stdout?.on('data', onData);
    child.once('error', (error) =>
      reject(
        new Error(
          `Cannot start redis-server (${error.message}). Install it: apt-get install -y redis-server (Debian/Ubuntu) or brew install redis.`,
        ),
      ),
    );
    child.once('exit', onExit);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${chosenPort}`,
    port: chosenPort,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
