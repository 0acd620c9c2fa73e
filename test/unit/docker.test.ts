import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const read = (name: string) => readFileSync(join(root, name), 'utf8');

/** The patterns of `.dockerignore` (comments and blank lines left out). */
function ignorePatterns(): string[] {
  return read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** Whether a path of the build context is left out by a pattern (names, `*` wildcards, folders). */
function ignored(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const expression = new RegExp(
      `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`,
    );
    return expression.test(path);
  });
}

describe('the Docker build context', () => {
  test('.dockerignore keeps dependencies, history, secrets and build output out', () => {
    const patterns = ignorePatterns();
    for (const path of [
      'node_modules',
      'node_modules/zod/package.json',
      '.git',
      '.env',
      '.env.local',
      'dist',
    ]) {
      expect([path, ignored(path, patterns)]).toEqual([path, true]);
    }
  });

  test('the image is built and run on Node 22 LTS; the package supports Node 20, 22 and 24', () => {
    const images = [...read('Dockerfile').matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);
    expect(images).toEqual(['node:22-bookworm-slim', 'node:22-bookworm-slim']);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines.split('||').map((range) => range.trim().replace(/^\^(\d+).*$/, '$1'))).toEqual([
      '20',
      '22',
      '24',
    ]);
    expect(JSON.parse(read('package-lock.json')).packages[''].engines.node).toBe(engines);
  });

  test('everything the Dockerfile copies from the context is still in it', () => {
    const patterns = ignorePatterns();
    const copied = read('Dockerfile')
      .split('\n')
      .filter((line) => /^COPY\s/.test(line) && !/--from=/.test(line))
      .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'src', 'adapters', 'prompts']));
    for (const path of copied) expect([path, ignored(path, patterns)]).toEqual([path, false]);
  });
});

/** The lines of one service of docker-compose.yml (up to the next service or top-level key). */
function composeService(name: string): string {
  const lines = read('docker-compose.yml').split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect([name, start >= 0]).toEqual([name, true]);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^ {0,2}\S/.test(line));
  return rest.slice(0, end === -1 ? undefined : end).join('\n');
}

describe('docker-compose.yml', () => {
  test('web and jobs open the same knowledge index (jobs write it, the web console reads it)', () => {
    for (const service of ['web', 'jobs']) {
      const block = composeService(service);
      expect([service, /^\s+DATA_DIR: \/app\/data$/m.test(block)]).toEqual([service, true]);
      expect([service, /^\s+- knowledge-data:\/app\/data$/m.test(block)]).toEqual([service, true]);
    }
    expect(read('docker-compose.yml')).toMatch(/^volumes:\n(?: {2}\S.*\n)*? {2}knowledge-data:$/m);
  });
});
