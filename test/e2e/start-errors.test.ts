import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/console-run';
import { startRedisServer } from '../helpers/redis-server';

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

  test('a Redis that refuses the password stops the start with the fix, exit 2, and never shows a password', async () => {
    const redis = await startRedisServer(undefined, ['--appendonly', 'no', '--requirepass', 'the-right-one']);
    try {
      for (const url of [
        `redis://:wrong-secret-9@127.0.0.1:${redis.port}`,
        `redis://127.0.0.1:${redis.port}`,
      ]) {
        const result = spawnSync(process.execPath, mainArguments(), {
          cwd: repositoryRoot,
          env: environment({ PORT: '0', REDIS_URL: url, DESKMATE_CONSOLE: 'off', LOG_LEVEL: 'silent' }),
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect({ url, status: result.status }).toEqual({ url, status: 2 });
        expect(result.stderr).toMatch(
          /Deskmate cannot start: Redis refused the password in REDIS_URL \((WRONGPASS|NOAUTH)\)\. Fix:/,
        );
        expect(result.stderr + result.stdout).not.toContain('wrong-secret-9');
      }
    } finally {
      await redis.stop();
    }
  });

  test('a HOST that is not this machine says which setting and how to fix it, and exits 2', () => {
    for (const host of ['10.99.99.99', 'no-such-host.invalid']) {
      const result = spawnSync(process.execPath, mainArguments(), {
        cwd: repositoryRoot,
        env: environment({ PORT: '0', HOST: host, DESKMATE_CONSOLE: 'off', LOG_LEVEL: 'silent' }),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stderr).toContain(
        `Deskmate cannot start: HOST ${host} is not an address of this machine`,
      );
      expect(result.stderr).toContain('Fix: set HOST to 0.0.0.0');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.status).toBe(2);
    }
  });

  test('a # in an unquoted .env value is refused with the fix, never cut short silently; a blank variable lets .env fill it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'deskmate-dotenv-hash-'));
    try {
      writeFileSync(
        join(directory, '.env'),
        [
          'REDIS_URL=redis://:p#ss@10.0.0.5:6379',
          'ADMIN_PASSWORD="quoted#is fine here"',
          'PORT=not-a-port # a comment after a space',
          '',
        ].join('\n'),
      );
      const run = (settings: Record<string, string>) =>
        spawnSync(
          process.execPath,
          [
            '--import',
            join(repositoryRoot, 'node_modules/tsx/dist/loader.mjs'),
            join(repositoryRoot, 'src/main.ts'),
          ],
          {
            cwd: directory,
            env: environment({ DESKMATE_CONSOLE: 'off', ...settings }),
            encoding: 'utf8',
            timeout: 30_000,
          },
        );
      const refused = run({});
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('REDIS_URL: in .env has a # inside its unquoted value');
      expect(refused.stderr).toContain('Fix: put the value in quotes (REDIS_URL="…")');
      expect(refused.stderr).not.toContain('p#ss');
      expect(refused.stderr).not.toContain('ADMIN_PASSWORD');
      // The real environment wins: with REDIS_URL set there, the .env line is not used and not refused. A blank
      // PORT in the environment counts as unset, so .env fills it (its bad value is then named).
      const filled = run({ REDIS_URL: 'redis://127.0.0.1:1', PORT: '' });
      expect(filled.status).toBe(2);
      expect(filled.stderr).not.toContain('# inside');
      expect(filled.stderr).toContain('PORT: "not-a-port"');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
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
