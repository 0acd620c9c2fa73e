import { spawn } from 'node:child_process';
import type { RedisServerHandle } from './redis-server';
import { freePort } from './redis-server';

/**
 * Start a redis-server that keeps its data in `directory` with an append-only file fsynced on every write
 * (`appendonly yes`, `appendfsync always`), so a kill -9 loses nothing it acknowledged, and a restart on
 * the same port and directory comes back with the same data.
 */
export async function startPersistentRedisServer(
  directory: string,
  port?: number,
): Promise<RedisServerHandle> {
  const chosenPort = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(chosenPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      directory,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
    child.once('error', (error) => reject(new Error(`Cannot start redis-server (${error.message}).`)));
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
