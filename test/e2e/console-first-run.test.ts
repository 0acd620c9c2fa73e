import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type ConsoleOutcome, createConsoleAdapter } from '../../adapters/console';
import type { JobQueue } from '../../src/core/job-queue';
import { createLogger } from '../../src/logger';
import { repositoryRoot, runConsoleIn, temporaryDirectory } from '../helpers/console-run';

describe('first run of the console', () => {
  test('`cp .env.example .env` then the console: it answers, exits 0, and logs nothing but the model notice', () => {
    const directory = temporaryDirectory();
    try {
      copyFileSync(join(repositoryRoot, '.env.example'), join(directory.path, '.env'));
      const result = runConsoleIn(directory.path, 'help\ntodo add Send the report\n');
      expect(result.stdout).toMatch(/is your office assistant/);
      expect(result.stdout).toMatch(/Added todo #1: Send the report/);
      expect(result.status).toBe(0);
      // LOG_LEVEL as shipped keeps the terminal quiet: one line saying no model is configured.
      const logLines = result.stderr.split('\n').filter((line) => line.trim().length > 0);
      expect(logLines).toHaveLength(1);
      expect(logLines[0]).toMatch(/no language model configured/);
    } finally {
      directory.remove();
    }
  });

  test('with a Redis that is not there, the console says so, names REDIS_URL and exits non-zero', () => {
    const directory = temporaryDirectory();
    try {
      const result = runConsoleIn(directory.path, 'help\n', { REDIS_URL: 'redis://:secret@127.0.0.1:1' });
      expect(result.status).toBe(1);
      const screen = `${result.stdout}${result.stderr}`;
      expect(screen).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(REDIS_URL\) is not reachable/);
      expect(screen).toMatch(/unset REDIS_URL/);
      expect(screen).not.toContain('secret');
      expect(result.stdout).not.toMatch(/office assistant/);
    } finally {
      directory.remove();
    }
  });

  test('a message that cannot be queued mid-session is said on screen and ends the session failed', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk) => {
      shown += chunk;
    });
    const broken: JobQueue = {
      async enqueue() {
        throw new Error('Redis is not reachable (connection reconnecting)');
      },
      async start() {},
      async drain() {},
      async depth() {
        return 0;
      },
      async stop() {},
    };
    const ended = new Promise<ConsoleOutcome>((resolve) => {
      const adapter = createConsoleAdapter({
        input,
        output,
        queue: broken,
        logger: createLogger({ level: 'silent' }),
        interactive: false,
        unavailableHint: { en: 'Fix: start Redis (REDIS_URL).', zh: '解决：启动 Redis（REDIS_URL）。' },
        onEnd: resolve,
      });
      void adapter.start();
    });
    input.end('帮助\nhelp\n');
    expect(await ended).toBe('failed');
    expect(shown).toBe('Deskmate 无法接收这条消息：队列不可用。\n解决：启动 Redis（REDIS_URL）。\n');
  });
});
