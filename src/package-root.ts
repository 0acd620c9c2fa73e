import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

let found: string | undefined;

/** The folder holding Deskmate's package.json, from `src/` or from the compiled `dist/src/` alike. */
export function packageRoot(): string {
  if (found) return found;
  let directory = __dirname;
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(directory, 'package.json'))) {
      found = directory;
      return directory;
    }
    directory = resolve(directory, '..');
  }
  throw new Error('package.json not found above src/');
}

/** Deskmate's version, from package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}
