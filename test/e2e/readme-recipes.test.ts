import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/console-run';
import { freePort } from '../helpers/redis-server';

/** The README's commands under a heading line, from its first ```sh block: a fake, then Deskmate, per recipe. */
function recipes(introduction: string): Array<{ fake: string; deskmate: string }> {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(introduction);
  if (start < 0) throw new Error(`README has no "${introduction}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? '';
  const commands = block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  const pairs: Array<{ fake: string; deskmate: string }> = [];
  for (let index = 0; index + 1 < commands.length; index += 2) {
    pairs.push({ fake: commands[index], deskmate: commands[index + 1] });
  }
  return pairs;
}

/** A shell command run as its own process group, with what it printed. */
interface Running {
  child: ChildProcess;
  output(): string;
}

function run(command: string, environment: Record<string, string>): Running {
  const child = spawn('bash', ['-c', command], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

/** Stop a started command and everything it started (its process group), and wait for it. */
async function stop(running: Running): Promise<void> {
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

async function waitFor(check: () => boolean, what: string, running: Running[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(
        `no ${what} within ${timeoutMs} ms:\n${running.map((each) => each.output()).join('\n---\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Run one recipe as the README writes it. The only change: the fake's port and Deskmate's (4020 or 4030, and
 * 3000) are moved to free ones, in the commands and through FAKE_*_PORT and PORT, so runs never collide.
 */
async function tryRecipe(
  recipe: { fake: string; deskmate: string },
  fakePortVariable: string,
  expected: RegExp,
) {
  const fakePort = await freePort();
  const deskmatePort = await freePort();
  const moved = (command: string) =>
    command
      .replace(/127\.0\.0\.1:40[23]0/g, `127.0.0.1:${fakePort}`)
      .replace(/127\.0\.0\.1:3000/g, `127.0.0.1:${deskmatePort}`);
  expect(`${recipe.fake}\n${recipe.deskmate}`).not.toMatch(/…|<|>/);
  const environment = { [fakePortVariable]: String(fakePort), PORT: String(deskmatePort) };
  const fake = run(moved(recipe.fake), environment);
  const started: Running[] = [fake];
  try {
    // The fake prints the settings to start Deskmate with, then how to type more mentions: the README's
    // Deskmate line has each of the settings.
    await waitFor(() => /Type a line to mention/.test(fake.output()), 'fake ready', started);
    const printed = [...fake.output().matchAll(/^ {2}([A-Z_]+)=(\S+)$/gm)].map(
      (match) => `${match[1]}=${match[2]}`,
    );
    expect(printed.length).toBeGreaterThan(2);
    for (const setting of printed) {
      if (setting !== 'LARK_MODE=ws') expect(moved(recipe.deskmate)).toContain(setting);
    }
    const deskmate = run(moved(recipe.deskmate), environment);
    started.push(deskmate);
    await waitFor(() => expected.test(fake.output()), 'reply from Deskmate', started);
    expect(deskmate.child.exitCode).toBeNull();
  } finally {
    for (const running of started.reverse()) await stop(running);
  }
}

/** Two processes start per recipe, four recipes at once: generous on a loaded two-core machine. */
const recipeTimeoutMs = 90_000;

describe("the README's try-it recipes, copied as they are", () => {
  const slack = recipes('Try it locally against the fake Slack');
  const lark = recipes('Try it locally against the fake Lark');

  test('the README has a Socket Mode and an HTTP recipe for Slack, a long-connection and a webhook one for Lark', () => {
    expect(slack.map((recipe) => recipe.fake)).toEqual([
      expect.not.stringContaining('--to'),
      expect.stringContaining('--to http://127.0.0.1:3000/slack/events'),
    ]);
    expect(lark.map((recipe) => recipe.fake)).toEqual([
      expect.not.stringContaining('--to'),
      expect.stringContaining('--to http://127.0.0.1:3000/lark/events'),
    ]);
    for (const recipe of [...slack, ...lark]) expect(recipe.deskmate).toMatch(/ npm start$/);
  });

  // The four run side by side: each is two processes waiting on each other, mostly idle.
  test.concurrent(
    'Slack, Socket Mode: the fake prints the reply to "help"',
    async () => {
      await tryRecipe(
        slack[0],
        'FAKE_SLACK_PORT',
        /\[bot replied[^\n]*\]\n\*Deskmate\* is your office assistant/,
      );
    },
    recipeTimeoutMs,
  );

  test.concurrent(
    'Slack, HTTP mode: the fake prints the summary',
    async () => {
      await tryRecipe(
        slack[1],
        'FAKE_SLACK_PORT',
        /\[bot updated its reply[^\n]*\]\n\*Summary of this channel/,
      );
    },
    recipeTimeoutMs,
  );

  test.concurrent(
    'Lark, long connection: the fake prints the reply to "help"',
    async () => {
      await tryRecipe(
        lark[0],
        'FAKE_LARK_PORT',
        /\[bot (replied|finished its reply)[^\n]*\]\n[^\n]*Deskmate[^\n]* is your office assistant/,
      );
    },
    recipeTimeoutMs,
  );

  test.concurrent(
    'Lark, webhook: the fake prints the reply to "help"',
    async () => {
      await tryRecipe(
        lark[1],
        'FAKE_LARK_PORT',
        /\[bot (replied|finished its reply)[^\n]*\]\n[^\n]*Deskmate[^\n]* is your office assistant/,
      );
    },
    recipeTimeoutMs,
  );
});
