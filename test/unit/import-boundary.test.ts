import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** Every import/require specifier in a TypeScript source. */
function importsOf(source: string): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4]);
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Imports that break the boundary: any package (SDKs included) other than Node built-ins, or adapters/. */
function forbiddenImports(directory: string, allowedPackages: string[] = []): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(directory)) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const isRelative = specifier.startsWith('.');
      const isBuiltin = specifier.startsWith('node:');
      const target = isRelative ? resolve(file, '..', specifier) : '';
      const intoAdapters = isRelative && relative(root, target).split(/[\\/]/)[0] === 'adapters';
      const packageName = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0];
      if (intoAdapters || (!isRelative && !isBuiltin && !allowedPackages.includes(packageName))) {
        problems.push(`${relative(root, file)} imports ${specifier}`);
      }
    }
  }
  return problems;
}

describe('import boundary', () => {
  test('src/core imports no package at all and nothing from adapters/', () => {
    expect(forbiddenImports(join(root, 'src/core'))).toEqual([]);
  });

  test('src/skills imports no SDK and nothing from adapters/ (only small pure libraries)', () => {
    expect(forbiddenImports(join(root, 'src/skills'), ['chrono-node', 'ics', 'zod'])).toEqual([]);
  });

  test('src/knowledge imports no chat SDK and nothing from adapters/ (its engines and zod only)', () => {
    expect(
      forbiddenImports(join(root, 'src/knowledge'), [
        '@lancedb/lancedb',
        '@opensearch-project/opensearch',
        'apache-arrow',
        'zod',
      ]),
    ).toEqual([]);
  });

  test('the check catches an SDK import and an adapters/ import', () => {
    const directory = mkdtempSync(join(tmpdir(), 'boundary-'));
    writeFileSync(
      join(directory, 'bad.ts'),
      "import { App } from '@slack/bolt';\nimport * as lark from '@larksuiteoapi/node-sdk';\n",
    );
    const intoAdapters = relative(directory, join(root, 'adapters/console/index')).replace(/\\/g, '/');
    writeFileSync(
      join(directory, 'worse.ts'),
      `import { x } from '${intoAdapters}';\nconst y = require('ioredis');\n`,
    );
    const problems = forbiddenImports(directory);
    expect(problems.some((problem) => problem.endsWith('@slack/bolt'))).toBe(true);
    expect(problems.some((problem) => problem.endsWith('@larksuiteoapi/node-sdk'))).toBe(true);
    expect(problems.some((problem) => problem.endsWith('ioredis'))).toBe(true);
    expect(problems.some((problem) => problem.includes('adapters/console/index'))).toBe(true);
    expect(problems).toHaveLength(4);
    rmSync(directory, { recursive: true, force: true });
  });
});
