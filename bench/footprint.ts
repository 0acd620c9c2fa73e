/**
 * Footprint (`npm run bench -- footprint`): time from process start to `/readyz` answering 200, and RSS 1 s
 * after ready and idle (12 s after ready, once V8's memory reducer has run), for Deskmate compiled (as the
 * Docker image's CMD runs it, its Node flags included) in each role, under `npm start` (npm, then the launcher
 * that checks the build is current and runs it), and under tsx (`npm run dev`, what `npm start` ran before).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { freePort } from '../test/helpers/redis-server';
import { cpuSeconds } from './cpu-shares';
import { deskmateSettings, dockerNodeFlags, type FakePlatforms, root } from './processes';

/** When RSS is read as idle: after V8's memory reducer has run (it starts about 8 s after the start). */
export const idleAfterMs = Number(process.env.BENCH_IDLE_MS ?? 12_000);

/** One start's figures. */
export interface FootprintFigures {
  readyMs: number;
  /** CPU time the processes started (npm, tsx, Deskmate) had used when Deskmate was ready (ms). */
  readyCpuMs: number;
  startRssMb: number;
  idleRssMb: number;
}

/**
 * How Deskmate is started: compiled as the Docker image's CMD runs it, `npm start`, or `npm run dev` (npm,
 * then tsx compiling as it loads: what `npm start` was before it ran the build).
 */
export type Entry = 'compiled' | 'npm start' | 'npm run dev';

/** A process and its descendants (`npm run dev` → sh → tsx → node), depth first: Deskmate is the last node. */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return [pid, ...children.filter(Boolean).flatMap((child) => processTree(Number(child)))];
  } catch {
    return [pid];
  }
}

/** Whether a process runs node (not npm's shell). */
function isNode(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`) === realpathSync(process.execPath);
  } catch {
    return false;
  }
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** Start Deskmate with the given settings (and nothing else but PATH and HOME), measure, and stop it. */
export async function footprint(entry: Entry, settings: Record<string, string>): Promise<FootprintFigures> {
  const port = await freePort();
  const started = performance.now();
  const command = entry === 'npm start' || entry === 'npm run dev' ? 'npm' : process.execPath;
  const argv = {
    compiled: [...dockerNodeFlags(), 'dist/src/main.js'],
    'npm start': ['start', '--silent'],
    'npm run dev': ['run', 'dev', '--silent'],
  }[entry];
  const child: ChildProcess = spawn(command, argv, {
    cwd: root,
    // Its own process group, so stopping `npm start` stops the whole tree it started.
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DESKMATE_CONSOLE: 'off',
      LOG_LEVEL: 'silent',
      ...settings,
    },
    stdio: 'ignore',
  });
  const exited = new Promise((done) => child.once('exit', done));
  let readyMs = Number.NaN;
  let readyCpuMs = Number.NaN;
  try {
    for (let tries = 0; tries < 1000 && child.exitCode === null; tries += 1) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) {
        readyMs = performance.now() - started;
        const tree = processTree(child.pid ?? 0);
        readyCpuMs = tree.reduce((total, pid) => total + cpuSeconds(pid), 0) * 1000;
        break;
      }
      await sleep(10);
    }
    const deskmate = processTree(child.pid ?? 0).findLast(isNode) ?? 0;
    await sleep(1000);
    const startRssMb = rssMb(deskmate);
    await sleep(idleAfterMs - 1000);
    return { readyMs, readyCpuMs, startRssMb, idleRssMb: rssMb(deskmate) };
  } finally {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

/**
 * The setups measured: a key (BENCH_FOOTPRINT_ROWS=all,web runs only those), a label, how Deskmate is started,
 * and its settings.
 */
export function footprintSetups(
  fakes: FakePlatforms,
  redisUrl: string,
): Array<{ key: string; label: string; entry: Entry; settings: Record<string, string> }> {
  const redis = (prefix: string) => ({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `footprint-${prefix}:` });
  const slack = deskmateSettings('slack', fakes);
  return [
    { key: 'memory', label: 'compiled, no Redis, no chat adapter', entry: 'compiled', settings: {} },
    {
      key: 'bare',
      label: 'compiled, Redis, `all`, no chat adapter',
      entry: 'compiled',
      settings: redis('bare'),
    },
    {
      key: 'all',
      label: 'compiled, Redis, `all`, Slack and the model',
      entry: 'compiled',
      settings: { ...redis('all'), ...slack },
    },
    {
      key: 'web',
      label: 'compiled, Redis, `web`, Slack',
      entry: 'compiled',
      settings: { ...redis('split'), ...slack, DESKMATE_ROLE: 'web' },
    },
    {
      key: 'jobs',
      label: 'compiled, Redis, `jobs`, Slack and the model',
      entry: 'compiled',
      settings: { ...redis('split'), ...slack, DESKMATE_ROLE: 'jobs' },
    },
    {
      key: 'npm-start',
      label: '`npm start` (launcher, build current), Redis, `all`, Slack and the model',
      entry: 'npm start',
      settings: { ...redis('all'), ...slack },
    },
    {
      key: 'npm-dev',
      label: '`npm run dev` (tsx; `npm start` before this change), Redis, `all`, Slack and the model',
      entry: 'npm run dev',
      settings: { ...redis('all'), ...slack },
    },
  ];
}
