// Proves, with a `web` and a `jobs` Deskmate on one Redis: the overview of the web process shows Slack
// connected, Redis answering, the queue depth, both processes with their roles and version, and the error
// codes of the last day in its table and chart; the playground of a process that runs no jobs still runs the
// skills with the configured model (built on first use) and queues nothing; the settings page shows the
// effective values, never a secret, and what each unset setting would turn on; the knowledge page of the web
// process reads the index the jobs process wrote from the knowledge folder (same DATA_DIR) and the folder's
// last sync from Redis, and forgets nothing; the jobs process serves no console.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../../src/audit/audit-log';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { ConsoleClient } from './console-client';

const password = 'pages test password';

describe('console pages of a split deployment', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  const prefix = `admin-pages-${process.pid}-${Date.now()}:`;
  let web: ServedDeskmate;
  let jobs: ServedDeskmate;
  let client: ConsoleClient;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'deskmate-pages-'));
  const knowledgeFolder = join(dataDirectory, 'knowledge-folder');

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    model.fallback = { chunks: ['Thursday, if the iPad crash is fixed [4].'] };
    mkdirSync(knowledgeFolder);
    writeFileSync(join(knowledgeFolder, 'handbook.md'), '# Handbook\n\nAnnual leave is 15 days a year.\n');
    const common = {
      DATA_DIR: join(dataDirectory, 'data'),
      KNOWLEDGE_DIR: knowledgeFolder,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-pages-model',
      OPENAI_API_KEY: 'sk-pages-secret-value',
    };
    web = await startServedDeskmate({
      ...common,
      ...slackEnvironment(slack),
      DESKMATE_ROLE: 'web',
      ADMIN_PASSWORD: password,
      METRICS_TOKEN: 'metrics-secret-value',
    });
    jobs = await startServedDeskmate({
      ...common,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      DESKMATE_ROLE: 'jobs',
      ADMIN_PASSWORD: password,
    });
    client = new ConsoleClient(web.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
  });
  afterAll(async () => {
    await web.deskmate.stop();
    await jobs.deskmate.stop();
    await model.stop();
    await slack.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  test('knowledge: the web process shows what the jobs process indexed from the folder, and forgets nothing', async () => {
    let page = '';
    // The source reaches the index a moment before the job that finished the pass writes its record.
    const indexedAndRecorded = (html: string) =>
      html.includes('data-source="folder:handbook.md"') && html.includes('1 file found: 1 indexed');
    for (let tries = 0; tries < 100 && !indexedAndRecorded(page); tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      page = await (await client.get('/admin/knowledge')).text();
    }
    expect(page).toContain(
      '<tr data-source="folder:handbook.md"><td>handbook.md</td><td>Knowledge folder</td>',
    );
    expect(page).toMatch(/id="knowledge-sources">1</);
    expect(page).toMatch(/1 file found: 1 indexed, 0 unchanged, 0 removed, 0 unreadable/);
    expect(page).toContain('id="knowledge-web-role"');
    expect(page).not.toContain('action="/admin/knowledge/forget"');
    const token = await client.tokenOf('/admin/knowledge');
    const refused = await client.post('/admin/knowledge/forget', {
      _csrf: token,
      source: 'folder:handbook.md',
    });
    expect(refused.status).toBe(409);
  });

  test('the overview: Slack, Redis, the queue, both processes, the errors of the last day', async () => {
    await createAuditLog(web.deskmate.store).write({
      at: new Date().toISOString(),
      jobId: 'slow-1',
      platform: 'slack',
      workspace: slack.state.teamId,
      conversation: { channel: 'C1', kind: 'group' },
      requester: 'U1',
      skill: 'summarize',
      models: ['fake-pages-model'],
      tokens: { input: 1, output: 0 },
      outcome: 'timeout',
      durationMs: 30_000,
      effects: [],
    });
    // Each process writes its heartbeat as it starts; allow it a moment to land.
    let page = '';
    for (let tries = 0; tries < 50 && !/<td>jobs<\/td>/.test(page); tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      page = await (await client.get('/admin')).text();
    }
    expect(page).toMatch(/<li data-adapter="slack">slack: <span class="good">connected<\/span><\/li>/);
    expect(page).toContain('Redis: answering');
    expect(page).toMatch(/<span id="queue-depth">0 jobs waiting or running<\/span>/);
    expect(page).toMatch(/<td>web<\/td><td>0\.1\.0<\/td><td>slack<\/td>/);
    expect(page).toMatch(/<td>jobs<\/td><td>0\.1\.0<\/td><td>slack<\/td>/);
    expect(page).toMatch(/<td>timed out <code>timeout<\/code><\/td><td class="number">1<\/td>/);
    expect(page).toMatch(/<polyline class="line series-error"[^>]*data-series="Errors" data-total="1">/);
    expect(page).toContain('Last hour: 1 job, 1 error.');
    // The jobs process receives nothing and serves no console.
    expect((await fetch(`${jobs.baseUrl}/admin/login`)).status).toBe(404);
  });

  test('the playground of a web process runs the skills with the configured model and queues nothing', async () => {
    const token = await client.tokenOf('/admin/playground');
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'launch-en',
      skill: 'chat',
      request: 'When do we ship?',
      model: 'configured',
    });
    expect(posted.status).toBe(303);
    const page = await (await client.get(posted.headers.get('location') ?? '')).text();
    expect(page).toContain('Thursday, if the iPad crash is fixed');
    expect(page).toMatch(/<dd id="run-skill">chat<\/dd>/);
    expect(page).toMatch(/<dd id="run-models">fake-pages-model<\/dd>/);
    expect(JSON.stringify(model.requests.at(-1))).toContain('When do we ship?');
    expect(await web.deskmate.queue.depth()).toBe(0);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  test('settings: effective values, secrets never, what each unset setting would turn on', async () => {
    const page = await (await client.get('/admin/settings')).text();
    expect(page).toMatch(
      /<tr data-variable="DESKMATE_ROLE"><td><code>DESKMATE_ROLE<\/code><\/td><td><code>web<\/code>/,
    );
    expect(page).toMatch(/<tr data-variable="OPENAI_MODEL">[^\n]*<code>fake-pages-model<\/code>/);
    expect(page).toMatch(/<tr data-variable="REDIS_URL">[^\n]*<code>redis:\/\/127\.0\.0\.1:\d+<\/code>/);
    expect(page).toMatch(/<tr data-variable="OPENAI_API_KEY">[^\n]*set \(hidden\)/);
    for (const secret of [
      'sk-pages-secret-value',
      'metrics-secret-value',
      password,
      slack.botToken,
      slack.signingSecret,
    ]) {
      expect(page).not.toContain(secret);
    }
    const missing = /<ul id="missing">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';
    expect(missing).toContain(
      '<code>LARK_APP_ID</code>: Lark/Feishu: group mentions, direct chats, tasks and calendar.',
    );
    expect(missing).toContain('<code>BEDROCK_GUARDRAIL_ID</code>');
    expect(missing).not.toContain('<code>SLACK_BOT_TOKEN</code>');
    expect(missing).not.toContain('<code>REDIS_URL</code>');
  });

  test('settings list where data lives and how long it is kept, in English and Chinese', async () => {
    const page = await (await client.get('/admin/settings')).text();
    expect(page).toContain(
      `<tr data-variable="DATA_DIR"><td><code>DATA_DIR</code></td><td><code>${join(dataDirectory, 'data')}</code>`,
    );
    expect(page).toMatch(/<tr data-variable="MEMORY_RETENTION_HOURS">[^\n]*<code>24<\/code>/);
    expect(page).toMatch(/<tr data-variable="USAGE_RETENTION_DAYS">[^\n]*<code>40<\/code>/);
    expect(page).toMatch(/<tr data-variable="DOCUMENT_TIMEOUT_MS">[^\n]*<code>60000<\/code>/);
    const chinese = new ConsoleClient(web.baseUrl, 'zh-CN');
    expect((await chinese.signIn(password)).status).toBe(303);
    const zh = await (await chinese.get('/admin/settings')).text();
    expect(zh).toMatch(/<tr data-variable="SUMMARY_RETENTION_DAYS">[^\n]*缓存的摘要/);
  });
});
