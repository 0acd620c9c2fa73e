import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/console-run';

/** `src/main.ts` through tsx (the code `npm start` runs compiled), with only these settings. */
function mainArguments(): string[] {
  return ['--import', 'tsx', join(repositoryRoot, 'src/main.ts')];
}

function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...settings };
}

/** Start Deskmate with the settings, return the first log line containing `marker` (parsed), then stop it. */
async function firstLogLine(
  settings: Record<string, string>,
  marker: string,
): Promise<Record<string, unknown> | undefined> {
  const child = spawn(process.execPath, mainArguments(), {
    cwd: repositoryRoot,
    env: environment(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise<Record<string, unknown> | undefined>((resolve) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.split('\n').find((each) => each.includes(marker));
      if (found) resolve(JSON.parse(found) as Record<string, unknown>);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => resolve(undefined));
  });
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  return line;
}

describe('start-up errors name their cause and fix', () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test('a port in use says which port and how to change it, and exits 2', () => {
    const result = spawnSync(process.execPath, mainArguments(), {
      cwd: repositoryRoot,
      env: environment({ PORT: String(busyPort), DESKMATE_CONSOLE: 'off', LOG_LEVEL: 'silent' }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toContain(
      `Deskmate cannot start: port ${busyPort} on 127.0.0.1 is already in use. Fix: stop what listens there, or set PORT to a free port`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(2);
  });

  test('with no platform and the console off, it warns that there is nothing to serve', async () => {
    const warning = await firstLogLine(
      { PORT: '0', DESKMATE_CONSOLE: 'off', LOG_LEVEL: 'warn' },
      '"variable":"DESKMATE_CONSOLE"',
    );
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning?.msg)).toMatch(
      /^DESKMATE_CONSOLE is off and no Slack or Lark is configured, so there is nothing to serve\. Fix:/,
    );
  });

  test('the Lark verification-token warning names LARK_VERIFICATION_TOKEN', async () => {
    const warning = await firstLogLine(
      {
        PORT: '0',
        DESKMATE_CONSOLE: 'off',
        LOG_LEVEL: 'warn',
        LARK_APP_ID: 'cli_a1b2c3d4e5f60718',
        LARK_APP_SECRET: 'fake-app-secret',
        LARK_ENCRYPT_KEY: 'fake-encrypt-key',
        LARK_MODE: 'webhook',
        LARK_DOMAIN: 'http://127.0.0.1:1',
      },
      '"variable":"LARK_VERIFICATION_TOKEN"',
    );
    expect(String(warning?.msg)).toMatch(/^LARK_VERIFICATION_TOKEN is not set: /);
    expect(String(warning?.msg)).toContain('Fix: set LARK_VERIFICATION_TOKEN');
  });
});
