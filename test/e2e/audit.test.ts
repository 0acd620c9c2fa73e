// Proves: every request leaves one audit record (who, where, skill, model, tokens, outcome, what was
// created) with no message text, kept for AUDIT_RETENTION_DAYS, and `npm run audit -- --since …` prints them
// as JSON lines; the console's Audit page lists them, with no text either, and downloads the same lines.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ConsoleClient } from '../admin/console-client';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackAuthor,
  slackChannel,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const repositoryRoot = join(__dirname, '..', '..');
const consolePassword = 'audit e2e console password';

describe('the audit trail', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  const prefix = `audit-${process.pid}-${Date.now()}:`;
  let served: ServedDeskmate;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    model.fallback = { chunks: ['The quarterly numbers look fine.'] };
    served = await startServedDeskmate({
      ...slackEnvironment(slack),
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'audit-model',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      AUDIT_RETENTION_DAYS: '30',
      ADMIN_PASSWORD: consolePassword,
    });
  });
  afterAll(async () => {
    await served.deskmate.stop();
    await model.stop();
    await slack.stop();
  });

  test('one record per request, no text, exported as JSON lines', async () => {
    const url = `${served.baseUrl}/slack/events`;
    for (const text of ['how are the secret quarterly numbers?', 'todo add Send the secret report']) {
      const { envelope } = mentionEvent(slack, {
        channel: slackChannel,
        user: slackAuthor.id,
        text: `{bot} ${text}`,
      });
      await deliverEvent(url, envelope, slack.signingSecret);
    }
    await waitUntil(() => slack.callsTo('chat.postMessage').length >= 2, 'both answers', 15_000);
    await served.deskmate.queue.drain();
    const today = new Date().toISOString().slice(0, 10);
    const exported = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/audit/export.ts', '--since', today],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH ?? '', REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(exported.status).toBe(0);
    expect(exported.stdout).not.toMatch(/secret|quarterly|report/i);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(2);
    const chat = records.find((record) => record.skill === 'chat');
    expect(chat).toMatchObject({
      platform: 'slack',
      workspace: slack.state.teamId,
      conversation: { channel: slackChannel, kind: 'group' },
      requester: slackAuthor.id,
      routedBy: 'conversation',
      models: ['audit-model'],
      outcome: 'ok',
      effects: [],
    });
    expect(chat.tokens.input).toBeGreaterThan(0);
    const todo = records.find((record) => record.skill === 'todo');
    expect(todo).toMatchObject({ routedBy: 'command_word', models: [], outcome: 'ok' });
    expect(todo.effects).toEqual([{ action: 'created', kind: 'todo', id: '#1' }]);

    // The console's Audit page shows both requests, and no text of them either; its download is the export.
    const operator = new ConsoleClient(served.baseUrl);
    expect((await operator.signIn(consolePassword)).status).toBe(303);
    const page = await (await operator.get('/admin/audit')).text();
    expect([...page.matchAll(/<tr data-job="([^"]+)"/g)].map((match) => match[1]).sort()).toEqual(
      records.map((record) => record.jobId).sort(),
    );
    expect(page).not.toMatch(/secret|quarterly|report/i);
    const download = await operator.get(`/admin/audit.jsonl?from=${today}&to=${today}`);
    expect(await download.text()).toBe(exported.stdout);

    // Each record expires after AUDIT_RETENTION_DAYS.
    const redis = new Redis(testRedisUrl());
    try {
      const ttl = await redis.ttl(`${prefix}json:audit:record:${today}:${todo.jobId}`);
      expect(ttl).toBeGreaterThan(29 * 24 * 3600);
      expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
    } finally {
      redis.disconnect();
    }
  });

  test('a wrong date says how to write it', () => {
    const exported = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/audit/export.ts', '--since', 'last week'],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH ?? '', REDIS_URL: testRedisUrl() },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(exported.status).toBe(2);
    expect(exported.stderr).toContain('write it as yyyy-mm-dd');
  });
});
