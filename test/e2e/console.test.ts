import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function runConsole(input: string, environment: Record<string, string> = {}) {
  return spawnSync('npm', ['start', '--silent'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
    input,
    encoding: 'utf8',
    timeout: 30000,
  });
}

describe('console assistant (npm start with piped input)', () => {
  test('prints the help in English, then in Chinese, and exits 0', () => {
    const result = runConsole('help\n帮助\n');
    expect(result.status).toBe(0);
    const english = result.stdout.indexOf('is your office assistant');
    const chinese = result.stdout.indexOf('是你的办公助手');
    expect(english).toBeGreaterThanOrEqual(0);
    expect(chinese).toBeGreaterThan(english);
    // The offline notice is said in the reply, and the startup warning goes to stderr, not into replies.
    expect(result.stdout).toMatch(/No language model is configured yet/);
    expect(result.stderr).toMatch(/no language model configured/);
  });

  test('free text without a model gets an honest answer with how to configure one', () => {
    const result = runConsole('what is on my plate today?\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/No language model is configured/);
    expect(result.stdout).toMatch(/LLM_PROVIDER=bedrock/);
  });

  test('empty input exits 0 with nothing printed on stdout', () => {
    const result = runConsole('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('');
  });
});
