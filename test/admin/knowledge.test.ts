// The console's knowledge page over a real LanceDB index in a temporary folder: two folder files synced by the
// real folder sync (one open to everyone, one for a Slack channel through access.json) and two sources added
// as kb add adds them. The page shows the engine, counts, the last sync, who may read each source and the
// feedback; Forget removes a shared source through the index, refuses a folder file and a post without the
// CSRF token; a web-only console reads but does not forget; with no knowledge base the page says how to start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../../src/audit/audit-log';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import {
  countFolderJob,
  folderSyncProgressKey,
  writeFolderPassPlan,
} from '../../src/knowledge/folder-sync-record';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { openLanceDbKnowledgeReader } from '../../src/knowledge/lancedb/lancedb-knowledge-reader';
import { createLogger } from '../../src/logger';
import { feedbackTotalsKey } from '../../src/skills/knowledge/feedback';
import { ConsoleClient } from './console-client';
import {
  type KnowledgeConsole,
  type KnowledgeFixture,
  startKnowledgeConsole,
  startKnowledgeFixture,
} from './knowledge-console';

jest.setTimeout(60_000);

const password = 'knowledge page password';

async function signedIn(baseUrl: string, language?: string): Promise<ConsoleClient> {
  const client = new ConsoleClient(baseUrl, language);
  expect((await client.signIn(password)).status).toBe(303);
  return client;
}

/** The text of the element with this id (tags dropped, spaces squeezed). */
function textOf(page: string, id: string): string {
  const match = new RegExp(`<(\\w+)[^>]* id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
  if (!match) throw new Error(`no #${id} in the page`);
  return match[2]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The row of a source, as text. */
function rowOf(page: string, sourceId: string): string {
  const match = new RegExp(`<tr data-source="${sourceId}">([\\s\\S]*?)</tr>`).exec(page);
  if (!match) throw new Error(`no row for ${sourceId}`);
  return match[1];
}

describe('the knowledge page over a real LanceDB index', () => {
  let fixture: KnowledgeFixture;
  let console: KnowledgeConsole;

  beforeEach(async () => {
    fixture = await startKnowledgeFixture();
    await fixture.store.incrementCounters(feedbackTotalsKey, {
      'up:slack:T1:file:F1': 2,
      'down:slack:T1:file:F1': 1,
      'up:folder:handbook.md': 1,
    });
    console = await startKnowledgeConsole(
      password,
      { index: fixture.index, canForget: true, folderConfigured: true },
      fixture.store,
      { DAILY_TOKEN_BUDGET_PER_WORKSPACE: '5000' },
    );
  });
  afterEach(async () => {
    await console.stop();
    await fixture.stop();
  });

  test('engine, search, counts, last sync, feedback, and every source with its origin and readers', async () => {
    const client = await signedIn(console.baseUrl);
    const response = await client.get('/admin/knowledge');
    expect(response.status).toBe(200);
    const page = await response.text();
    const status = await fixture.index.status();
    // More chunks than sources: the handbook has two sections.
    expect(status.chunks).toBeGreaterThan(4);
    expect(textOf(page, 'knowledge-engine')).toBe('lancedb');
    expect(textOf(page, 'knowledge-search')).toBe('keyword only');
    expect(textOf(page, 'knowledge-sources')).toBe('4');
    expect(textOf(page, 'knowledge-chunks')).toBe(String(status.chunks));
    expect(textOf(page, 'knowledge-last-sync')).toMatch(
      /^synced \d{4}-\d\d-\d\d \d\d:\d\d UTC 2 files found: 2 indexed, 0 unchanged, 0 removed, 0 unreadable$/,
    );
    expect(textOf(page, 'knowledge-feedback')).toBe('3 helpful · 1 not helpful');

    const travel = rowOf(page, 'slack:T1:file:F1');
    expect(travel).toContain('<a href="https://files.example/F1" rel="noopener noreferrer">travel.md</a>');
    expect(travel).toContain('Shared file');
    expect(travel).toContain('added by Slack user UALICE');
    expect(travel).toContain('members of Slack conversation CPRIV');
    expect(travel).toContain('2 helpful · 1 not helpful');
    expect(travel).toMatch(
      /<form method="post" action="\/admin\/knowledge\/forget"[^>]*><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="source" value="slack:T1:file:F1">/,
    );
    const rules = rowOf(page, 'lark:L1:doc:D1');
    expect(rules).toContain('报销制度');
    expect(rules).toContain('Linked document');
    expect(rules).toContain('only Lark user ou_bob');
    expect(rules).toContain('no votes yet');
    const handbook = rowOf(page, 'folder:handbook.md');
    expect(handbook).toContain('Knowledge folder');
    expect(handbook).toContain('everyone who may use Deskmate');
    expect(handbook).toContain('Remove the file from the folder to forget it.');
    expect(handbook).not.toContain('<form');
    expect(rowOf(page, 'folder:hr/salaries.md')).toContain('members of Slack conversation CHR');
    expect(page).not.toContain('knowledge-web-role');

    const chinese = await (
      await (await signedIn(console.baseUrl, 'zh-CN,zh;q=0.9')).get('/admin/knowledge')
    ).text();
    expect(textOf(chinese, 'knowledge-search')).toBe('仅关键词');
    expect(textOf(chinese, 'knowledge-last-sync')).toContain('发现 2 个文件：新建索引 2 个');
    expect(rowOf(chinese, 'lark:L1:doc:D1')).toContain('仅飞书用户 ou_bob');
    // Chinese words are not spaced apart (“由控制台用户”), Latin words and numbers are (“Slack 会话 CPRIV”).
    expect(chinese).not.toMatch(/\p{Script=Han} \p{Script=Han}/u);
    expect(rowOf(chinese, 'slack:T1:file:F1')).toContain('Slack 会话 CPRIV 的成员');
    expect(rowOf(chinese, 'folder:handbook.md')).toContain('请从文件夹中移除该文件来删除它。');
  });

  test('a folder pass under way: the page says how many of its files are done, above the last pass', async () => {
    await writeFolderPassPlan(fixture.store, {
      passId: 'pass-1',
      startedAt: '2026-12-05T23:50:00.000Z',
      files: 45,
      jobs: 40,
      unchanged: 5,
      accessProblems: 0,
    });
    // Twelve jobs done, on whichever processes ran them.
    for (let done = 0; done < 12; done += 1) {
      await countFolderJob(
        fixture.store,
        { passId: 'pass-1', sourceId: `folder:${done}.md` },
        'indexed',
        () => new Date(),
      );
    }
    try {
      const page = await (await (await signedIn(console.baseUrl)).get('/admin/knowledge')).text();
      expect(textOf(page, 'knowledge-syncing')).toBe(
        'indexing: 12 of 40 files (pass started 2026-12-05 23:50 UTC; reload to follow)',
      );
      expect(textOf(page, 'knowledge-last-sync')).toContain('2 files found: 2 indexed');
      const chinese = await (
        await (await signedIn(console.baseUrl, 'zh-CN,zh;q=0.9')).get('/admin/knowledge')
      ).text();
      expect(textOf(chinese, 'knowledge-syncing')).toContain('已完成 12 / 40 个文件');
    } finally {
      await fixture.store.delete(folderSyncProgressKey);
    }
  });

  test('Forget removes a shared source from the index; without the CSRF token, or for a folder file, nothing changes', async () => {
    const client = await signedIn(console.baseUrl);
    const ids = async () => (await fixture.index.sources()).map((source) => source.id).sort();
    const before = await ids();
    expect(before).toEqual([
      'folder:handbook.md',
      'folder:hr/salaries.md',
      'lark:L1:doc:D1',
      'slack:T1:file:F1',
    ]);

    expect((await client.post('/admin/knowledge/forget', { source: 'slack:T1:file:F1' })).status).toBe(403);
    const wrongToken = await client.post('/admin/knowledge/forget', {
      _csrf: 'forged',
      source: 'slack:T1:file:F1',
    });
    expect(wrongToken.status).toBe(403);
    expect(await ids()).toEqual(before);

    const token = await client.tokenOf('/admin/knowledge');
    const folderFile = await client.post('/admin/knowledge/forget', {
      _csrf: token,
      source: 'folder:handbook.md',
    });
    expect(folderFile.status).toBe(400);
    expect(await folderFile.text()).toContain('remove the file from the folder');
    expect(await ids()).toEqual(before);

    // The table's button asks first, on a page of its own (GET: Back never resends a form): what will happen,
    // and a way back; nothing is removed yet.
    const asked = await client.post('/admin/knowledge/forget', { _csrf: token, source: 'slack:T1:file:F1' });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/admin/knowledge/forget?source=slack%3AT1%3Afile%3AF1');
    const question = await (await client.get(asked.headers.get('location') ?? '')).text();
    expect(textOf(question, 'knowledge-forget-confirm')).toContain('Forget “travel.md”?');
    expect(question).toContain('<input type="hidden" name="confirm" value="yes">');
    expect(question).toContain('<a href="/admin/knowledge">Keep it</a>');
    expect(await ids()).toEqual(before);

    const forgotten = await client.post('/admin/knowledge/forget', {
      _csrf: token,
      source: 'slack:T1:file:F1',
      confirm: 'yes',
    });
    expect(forgotten.status).toBe(303);
    const notice = forgotten.headers.get('location') ?? '';
    expect(notice).toMatch(/^\/admin\/knowledge\?forgot=[\w-]{22}$/);
    expect(await ids()).toEqual(['folder:handbook.md', 'folder:hr/salaries.md', 'lark:L1:doc:D1']);
    const search = await fixture.index.search({
      text: 'trains',
      principals: ['conversation:slack:T1:CPRIV'],
      limit: 5,
    });
    expect(search).toEqual([]);
    const page = await (await client.get(notice)).text();
    // The notice names what went, once: a reload of the same address shows the page without it.
    expect(textOf(page, 'knowledge-notice')).toBe(
      '“travel.md” was forgotten: its passages no longer appear in answers.',
    );
    expect(await (await client.get(notice)).text()).not.toContain('knowledge-notice');
    expect(textOf(page, 'knowledge-sources')).toBe('3');
    expect(page.replace(/<p id="knowledge-notice"[\s\S]*?<\/p>/, '')).not.toContain('travel.md');
    // On the audit trail, as a kb forget in chat is: the source's id, no text.
    const today = new Date();
    const audited = (await createAuditLog(fixture.store).read(today, today)).filter(
      (record) => record.platform === 'console',
    );
    expect(audited).toEqual([
      expect.objectContaining({
        skill: 'kb',
        outcome: 'ok',
        effects: [{ action: 'deleted', kind: 'knowledge_source', id: 'slack:T1:file:F1' }],
      }),
    ]);

    const again = await client.post('/admin/knowledge/forget', { _csrf: token, source: 'slack:T1:file:F1' });
    expect(again.headers.get('location')).toBe('/admin/knowledge?done=gone');
    // An admin action is on the audit trail only: no usage workspace, no Budgets row.
    const usage = await (await client.get('/admin/usage')).text();
    expect(usage).toContain('<table id="budgets">');
    expect(usage).not.toContain('console:console');
  });

  test('a web-only console reads the index another process wrote, says it cannot forget, and refuses a forget', async () => {
    await console.stop();
    // The web process opens the same URI to read only: it sees what the jobs process wrote, and never writes.
    const reader = await openLanceDbKnowledgeReader({ uri: fixture.uri, readConsistencySeconds: 0 });
    expect(await reader.status()).toEqual(await fixture.index.status());
    await expect(reader.remove('slack:T1:file:F1')).rejects.toThrow('read only');
    console = await startKnowledgeConsole(
      password,
      { index: reader, canForget: false, folderConfigured: true },
      fixture.store,
    );
    const client = await signedIn(console.baseUrl);
    const page = await (await client.get('/admin/knowledge')).text();
    expect(textOf(page, 'knowledge-sources')).toBe('4');
    expect(textOf(page, 'knowledge-web-role')).toContain('It cannot forget sources');
    expect(page).not.toContain('action="/admin/knowledge/forget"');
    const token = await client.tokenOf('/admin/knowledge');
    const refused = await client.post('/admin/knowledge/forget', {
      _csrf: token,
      source: 'slack:T1:file:F1',
    });
    expect(refused.status).toBe(409);
    expect((await fixture.index.sources()).map((source) => source.id)).toContain('slack:T1:file:F1');
    // What the jobs process writes next shows up on the web console's next load.
    await fixture.index.remove('lark:L1:doc:D1');
    expect(textOf(await (await client.get('/admin/knowledge')).text(), 'knowledge-sources')).toBe('3');
    await reader.close();
  });

  test('a reader opened before anything was written reads an empty index, then what is written', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'deskmate-knowledge-reader-'));
    const uri = join(directory, 'index');
    try {
      const reader = await openLanceDbKnowledgeReader({ uri, readConsistencySeconds: 0 });
      expect(await reader.status()).toEqual({ engine: 'lancedb', sources: 0, chunks: 0, vectors: false });
      expect(await reader.sources()).toEqual([]);
      const writer = await createLanceDbKnowledgeIndex({ uri, logger: createLogger({ level: 'silent' }) });
      const [source] = await fixture.index.sources();
      await writer.upsert(source, [
        {
          id: `${source.id}#0`,
          sourceId: source.id,
          text: 'Leave',
          headingPath: [],
          place: '',
          language: 'en',
        },
      ]);
      expect(await reader.status()).toEqual({ engine: 'lancedb', sources: 1, chunks: 1, vectors: false });
      expect((await reader.sources()).map((found) => found.id)).toEqual([source.id]);
      await writer.close();
      await reader.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the knowledge page when the index cannot be read', () => {
  test('says so with a 503 and what to check, instead of failing the request', async () => {
    const unreadable = Promise.reject(new Error('bucket gone'));
    unreadable.catch(() => undefined);
    const index = {
      status: () => unreadable,
      sources: () => unreadable,
    } as unknown as KnowledgeIndex;
    const console = await startKnowledgeConsole(password, {
      index,
      canForget: false,
      folderConfigured: false,
    });
    try {
      const response = await (await signedIn(console.baseUrl)).get('/admin/knowledge');
      expect(response.status).toBe(503);
      expect(textOf(await response.text(), 'knowledge-error')).toContain(
        'Check KNOWLEDGE_URI or OPENSEARCH_URL',
      );
    } finally {
      await console.stop();
    }
  });
});

describe('the knowledge page with no knowledge base', () => {
  test('says none is configured and how to turn it on, in English and Chinese', async () => {
    const console = await startKnowledgeConsole(password, undefined);
    try {
      const english = await (await (await signedIn(console.baseUrl)).get('/admin/knowledge')).text();
      const empty = textOf(english, 'knowledge-empty');
      expect(empty).toContain('No knowledge base is configured');
      expect(empty).toContain('set KNOWLEDGE_DIR to a folder of documents');
      expect(empty).toContain('“kb add”');
      expect(english).not.toContain('knowledge-status');
      const chinese = await (await (await signedIn(console.baseUrl, 'zh-CN')).get('/admin/knowledge')).text();
      expect(textOf(chinese, 'knowledge-empty')).toContain('将 KNOWLEDGE_DIR 设为存放文档');
    } finally {
      await console.stop();
    }
  });
});
