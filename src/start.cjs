/**
 * `npm start`: run the compiled Deskmate (`dist/src/main.js`, what the Docker image runs), rebuilding it
 * first when a source is newer than the build, so an edited file never runs stale. Plain JavaScript, so it
 * runs before anything is compiled. `npm ci` builds once (the `prepare` script); `npm run dev` runs the
 * TypeScript through tsx instead.
 */
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const built = join(root, 'dist', 'src', 'main.js');
/** What the build reads: the sources (and the JSON they import) under these folders, and its settings. */
const sourceFolders = ['src', 'adapters'];
const settingsFiles = ['tsconfig.json', 'tsconfig.build.json'];

/** The newest file tsc compiles from `folder` (TypeScript and the JSON it imports), and its time. */
function newestSource(folder, newest) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      newest = newestSource(path, newest);
    } else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
      const time = statSync(path).mtimeMs;
      if (time > newest.time) newest = { path, time };
    }
  }
  return newest;
}

/** Why the build is out of date (a file newer than it, or no build), or undefined when it is current. */
function staleBecause() {
  let builtTime;
  try {
    builtTime = statSync(built).mtimeMs;
  } catch {
    return 'no build yet';
  }
  let newest = { path: '', time: 0 };
  for (const file of settingsFiles) {
    const time = statSync(join(root, file)).mtimeMs;
    if (time > newest.time) newest = { path: join(root, file), time };
  }
  for (const folder of sourceFolders) newest = newestSource(join(root, folder), newest);
  return newest.time > builtTime ? `${relative(root, newest.path)} changed since the last build` : undefined;
}

/** Compile with `tsc -p tsconfig.build.json` (no output on a type error); its messages go to stderr. */
function build(reason) {
  let compiler;
  try {
    compiler = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write(
      `Deskmate cannot start: ${reason}, and TypeScript is not installed to build it. Fix: run \`npm ci\` (with dev dependencies), or \`npm run build\` where it is installed.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`Building Deskmate (${reason})…\n`);
  const result = spawnSync(process.execPath, [compiler, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    process.stderr.write(
      'Deskmate cannot start: the build failed (the errors are above). Fix them, or run `npm run dev` to run the TypeScript as it is.\n',
    );
    process.exit(1);
  }
}

const reason = staleBecause();
if (reason) build(reason);
require(built).runMain();
