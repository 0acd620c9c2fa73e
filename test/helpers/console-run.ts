import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository the tests run from. */
export const repositoryRoot = resolve(__dirname, '../..');

/**
 * Pipe `input` into the console assistant (`src/main.ts` through tsx: the code `npm start` runs compiled),
 * with only PATH, HOME and the given settings, in `directory` (its `.env` is read, files are saved there).
 */
export function runConsoleIn(
  directory: string,
  input: string,
  environment: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      '--import',
      join(repositoryRoot, 'node_modules/tsx/dist/loader.mjs'),
      join(repositoryRoot, 'src/main.ts'),
    ],
    {
      cwd: directory,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
      input,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
}

/** A fresh empty directory, removed by the returned function. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'deskmate-console-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
