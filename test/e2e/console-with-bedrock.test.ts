import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeBedrockServer } from '../fakes/bedrock-server';

const root = resolve(__dirname, '../..');

describe('console assistant with Bedrock (real client, HTTP/2 fake via AWS_ENDPOINT_URL_BEDROCK_RUNTIME)', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());

  test('a chat message gets the fake model text; a free-text request runs the skill the model chose', async () => {
    fake.enqueue(
      { chunks: ['Bedrock ', 'says hello.'] },
      { toolUses: [{ toolUseId: 't1', name: 'help', input: {} }] },
    );
    const stdout = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn('npm', ['start', '--silent'], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LLM_PROVIDER: 'bedrock',
          BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-5',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint,
        },
      });
      let output = '';
      let errors = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        errors += chunk;
      });
      child.on('exit', (status) => done({ status, stdout: output, stderr: errors }));
      child.stdin.end('hello\nwhat can you do?\n');
    });
    expect(stdout.status).toBe(0);
    expect(stdout.stdout).toContain('Bedrock says hello.');
    expect(stdout.stdout).toMatch(/is your office assistant/);
    expect(fake.requests[0].modelId).toBe('us.anthropic.claude-sonnet-4-5');
    // The AWS SDK's notice about the Node versions of its future releases stays out of the console.
    expect(stdout.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
  });

  test('everything in .env, nothing in the environment: the AWS SDK finds its credentials and endpoint there too', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'deskmate-dotenv-'));
    try {
      writeFileSync(
        join(directory, '.env'),
        [
          'LLM_PROVIDER=bedrock',
          'BEDROCK_MODEL_ID=us.anthropic.claude-haiku-4-5',
          'AWS_REGION=us-east-1',
          'AWS_ACCESS_KEY_ID=from-dotenv',
          'AWS_SECRET_ACCESS_KEY=from-dotenv-secret',
          `AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${endpoint}`,
          '',
        ].join('\n'),
      );
      fake.enqueue({ chunks: ['Configured ', 'from .env.'] });
      const before = fake.requests.length;
      const result = await new Promise<{ status: number | null; stdout: string }>((done) => {
        const child = spawn(
          process.execPath,
          ['--import', join(root, 'node_modules/tsx/dist/loader.mjs'), join(root, 'src/main.ts')],
          { cwd: directory, env: { PATH: process.env.PATH, HOME: directory } },
        );
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += chunk;
        });
        child.on('exit', (status) => done({ status, stdout: output }));
        child.stdin.end('hello\n');
      });
      expect(result.stdout).toContain('Configured from .env.');
      expect(result.status).toBe(0);
      expect(fake.requests.slice(before)[0].modelId).toBe('us.anthropic.claude-haiku-4-5');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
