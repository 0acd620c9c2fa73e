// Proves: `npm start` (src/start.cjs) runs the compiled build as it is when no source is newer, rebuilds
// first when one is (or when there is no build), and refuses to run when the build fails. Run in a copy of
// the layout with a stand-in compiler, so no real build is needed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositoryRoot } from '../helpers/console-run';

/** A stand-in `tsc`: records that it ran, then writes the build, or fails when FAKE_TSC_FAIL is set. */
const fakeCompiler = `
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
appendFileSync(join(process.cwd(), 'compiled.log'), process.argv.slice(2).join(' ') + '\\n');
if (process.env.FAKE_TSC_FAIL) { console.log('src/a.ts(1,1): error TS2322: broken'); process.exit(2); }
mkdirSync(join(process.cwd(), 'dist/src'), { recursive: true });
writeFileSync(join(process.cwd(), 'dist/src/main.js'), "exports.runMain = () => process.stdout.write('deskmate ran\\\\n');");
`;

let root: string;

function write(path: string, text: string, secondsAgo?: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (secondsAgo !== undefined) {
    const time = Date.now() / 1000 - secondsAgo;
    utimesSync(file, time, time);
  }
}

function start(environment: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(root, 'src/start.cjs')], {
    cwd: root,
    env: { PATH: process.env.PATH, ...environment },
    encoding: 'utf8',
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'deskmate-launcher-'));
  mkdirSync(join(root, 'src'));
  copyFileSync(join(repositoryRoot, 'src/start.cjs'), join(root, 'src/start.cjs'));
  write('node_modules/typescript/bin/tsc', fakeCompiler);
  write('node_modules/typescript/package.json', '{"name":"typescript"}');
  write('tsconfig.json', '{}', 60);
  write('tsconfig.build.json', '{}', 60);
  write('src/main.ts', 'export {};', 60);
  write('adapters/slack/index.ts', 'export {};', 60);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

test('with no build it builds (tsc -p tsconfig.build.json), then runs the build', () => {
  const result = start();
  expect(result.stderr).toContain('Building Deskmate (no build yet)');
  expect(result.stdout).toBe('deskmate ran\n');
  expect(result.status).toBe(0);
  expect(existsSync(join(root, 'compiled.log'))).toBe(true);
});

test('with a current build it runs it without building', () => {
  write('dist/src/main.js', "exports.runMain = () => process.stdout.write('deskmate ran\\n');", 10);
  const result = start();
  expect(result.stdout).toBe('deskmate ran\n');
  expect(result.stderr).toBe('');
  expect(existsSync(join(root, 'compiled.log'))).toBe(false);
});

test.each(['src/main.ts', 'adapters/slack/index.ts', 'src/admin/samples/thread.json', 'tsconfig.build.json'])(
  'a newer %s rebuilds before running',
  (changed) => {
    write('dist/src/main.js', "exports.runMain = () => process.stdout.write('stale build ran\\n');", 10);
    write(changed, '{}', 1);
    const result = start();
    expect(result.stderr).toContain(`Building Deskmate (${changed} changed since the last build)`);
    expect(result.stdout).toBe('deskmate ran\n');
  },
);

test('a newer file that is not compiled (an asset) does not rebuild', () => {
  write('dist/src/main.js', "exports.runMain = () => process.stdout.write('deskmate ran\\n');", 10);
  write('src/admin/assets/admin.css', 'body {}', 1);
  const result = start();
  expect(result.stderr).toBe('');
  expect(existsSync(join(root, 'compiled.log'))).toBe(false);
});

test('a failed build stops it with exit 1, the errors on stderr and the fix, and nothing on stdout', () => {
  write('dist/src/main.js', "exports.runMain = () => process.stdout.write('stale build ran\\n');", 10);
  write('src/main.ts', 'export const broken: number = "x";', 1);
  const result = start({ FAKE_TSC_FAIL: '1' });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('error TS2322');
  expect(result.stderr).toContain('Deskmate cannot start: the build failed');
  expect(result.stderr).toContain('npm run dev');
});

test('without TypeScript installed and a stale build it says how to fix it', () => {
  rmSync(join(root, 'node_modules'), { recursive: true });
  const result = start();
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('TypeScript is not installed');
});
