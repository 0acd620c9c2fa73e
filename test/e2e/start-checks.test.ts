import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../helpers/console-run';

/** `src/main.ts` through tsx (the code `npm start` runs compiled). */
const mainArguments = ['--import', 'tsx', join(repositoryRoot, 'src/main.ts')];

function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', ...settings };
}

/** Run Deskmate with only these settings until it exits (it should refuse to start). */
function refusedStart(settings: Record<string, string>) {
  return spawnSync(process.execPath, mainArguments, {
    cwd: repositoryRoot,
    env: environment({ DESKMATE_CONSOLE: 'off', ...settings }),
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Start Deskmate, collect its log lines until one contains `marker` (or it exits), then stop it. */
async function logUntil(
  settings: Record<string, string>,
  marker: string,
): Promise<Record<string, unknown>[]> {
  const child = spawn(process.execPath, mainArguments, {
    cwd: repositoryRoot,
    env: environment(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) resolve();
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => resolve());
  });
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('start-up checks that need no network', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'deskmate-start-checks-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('a KNOWLEDGE_DIR that does not exist, or a DATA_DIR under a file, stops the start with exit 2 and the fix', () => {
    writeFileSync(join(directory, 'a-file'), 'not a folder');
    const result = refusedStart({
      KNOWLEDGE_DIR: join(directory, 'handbok'),
      DATA_DIR: join(directory, 'a-file', 'data'),
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Deskmate cannot start: 2 configuration problems.');
    expect(result.stderr).toContain(
      `KNOWLEDGE_DIR: ${join(directory, 'handbok')} does not exist. Fix: create it, or point KNOWLEDGE_DIR at an existing folder`,
    );
    expect(result.stderr).toContain('In Docker, the path is the one inside the container');
    expect(result.stderr).toMatch(
      /DATA_DIR: the knowledge index would be at .*a-file\/data\/knowledge, but .*a-file is a file\. Fix:/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a KNOWLEDGE_DIR that is a file is refused; an empty folder (a fresh bind mount) starts', async () => {
    expect(refusedStart({ KNOWLEDGE_DIR: join(directory, 'a-file'), DATA_DIR: directory }).stderr).toContain(
      'is a file, not a folder',
    );
    const empty = join(directory, 'empty-mount');
    mkdirSync(empty, { recursive: true });
    const lines = await logUntil(
      { KNOWLEDGE_DIR: empty, DATA_DIR: join(directory, 'data'), DESKMATE_CONSOLE: 'off', LOG_LEVEL: 'info' },
      'deskmate started',
    );
    expect(lines.map((line) => line.msg)).toContain('deskmate started');
  }, 60_000);

  test('a user token in SLACK_BOT_TOKEN stops the start with exit 2, never reaching Slack', () => {
    const result = refusedStart({ SLACK_BOT_TOKEN: 'xoxp-1-user', SLACK_APP_TOKEN: 'xapp-1-app' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN: is a user token (xoxp-), not a bot token. Fix:');
    expect(result.stderr).not.toContain('xoxp-1-user');
  });

  test('DEFAULT_TIMEZONE=CST and AWS_REGION=cn-north-1 are refused in the same run', () => {
    const result = refusedStart({
      DEFAULT_TIMEZONE: 'CST',
      LLM_PROVIDER: 'bedrock',
      BEDROCK_MODEL_ID: 'anthropic.claude-sonnet-4-5',
      AWS_REGION: 'cn-north-1',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DEFAULT_TIMEZONE: "CST" is an abbreviation');
    expect(result.stderr).toContain('AWS_REGION: "cn-north-1": Bedrock is not offered in mainland China');
  });

  test('the start log says which Slack mode is active, and warns once about a misspelled setting name', async () => {
    const lines = await logUntil(
      {
        SLACK_BOT_TOKEN: 'xoxb-1-bot',
        SLACK_APP_TOKEN: 'xapp-1-app',
        SLACK_SIGNING_SECRET: 'a-signing-secret',
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        LLM_MODEL_SUMMARY: 'qwen-max',
        DATA_DIR: join(directory, 'data'),
        LOG_LEVEL: 'info',
      },
      'slack receives by',
    );
    const mode = lines.find((line) => String(line.msg).startsWith('slack receives by'));
    expect(mode).toMatchObject({ mode: 'Socket Mode and HTTP events (/slack/events)' });
    const misspelled = lines.filter((line) => line.variable === 'LLM_MODEL_SUMMARY');
    expect(misspelled).toHaveLength(1);
    expect(misspelled[0].msg).toBe(
      'LLM_MODEL_SUMMARY is not a Deskmate setting, so it does nothing. Fix: did you mean LLM_MODEL_SUMMARIZE? Rename it.',
    );
  }, 60_000);
});
