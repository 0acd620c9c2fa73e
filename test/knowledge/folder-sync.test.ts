import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { StateStore } from '../../src/core/state-store';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { folderJobs } from '../../src/knowledge/folder-job';
import { folderSyncLockKey } from '../../src/knowledge/folder-sync';
import {
  countFolderJob,
  readFolderSyncProgress,
  readFolderSyncRecord,
  writeFolderPassPlan,
} from '../../src/knowledge/folder-sync-record';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { TestEmbedder } from '../../src/llm/test-embedder';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { createCaptureLogger } from '../helpers/capture-logger';
import { startTestFolderIndexing, type TestFolderIndexing } from '../helpers/folder-indexing';
import { testRedisUrl } from '../helpers/test-redis';

const everyone = 'everyone';
const finance = 'conversation:slack:T1:C_FINANCE';
const bob = 'user:lark:tenant1:ou_bob';

describe('knowledge folder sync (real LanceDB in a temp dir, lock and records in a real Redis, jobs on a memory queue)', () => {
  const base = mkdtempSync(join(tmpdir(), 'deskmate-folder-'));
  let folder: string;
  let index: KnowledgeIndex;
  let store: StateStore;
  let counter = 0;
  const capture = createCaptureLogger();

  const write = (path: string, text: string) => {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), text);
    // A later second, so a change within the same millisecond is still seen as one.
    const later = new Date(Date.now() + 1000 * ++counter);
    utimesSync(join(folder, path), later, later);
  };
  const found = async (text: string, principals = [everyone]) =>
    (await index.search({ text, principals, limit: 10 })).map((hit) => hit.source.id);
  const opened: TestFolderIndexing[] = [];
  const sync = async (overrides: Partial<Parameters<typeof startTestFolderIndexing>[0]> = {}) => {
    const indexing = await startTestFolderIndexing({
      folder,
      index,
      store,
      logger: capture.logger,
      limits: defaultDocumentLimits,
      rescanMilliseconds: 50,
      ...overrides,
    });
    opened.push(indexing);
    return indexing;
  };
  /** One pass and its jobs: what the console's last-sync line then says. */
  const counts = async (indexing: TestFolderIndexing) => {
    const synced = await indexing.syncAndWait();
    if (!synced) return undefined;
    const { indexed, unchanged, removed, failed } = synced.record;
    return { indexed, unchanged, removed, failed };
  };

  beforeEach(async () => {
    store = createRedisStateStore({
      url: testRedisUrl(),
      prefix: `folder-sync-${process.pid}-${Date.now()}-${++counter}:`,
    });
    // Connected before the first pass takes its lock (the store does not queue commands while connecting).
    await store.ping();
    folder = mkdtempSync(join(base, 'folder-'));
    index = await createLanceDbKnowledgeIndex({
      uri: join(base, `index-${++counter}`),
      logger: capture.logger,
    });
    capture.lines.length = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((indexing) => indexing.stop(1000)));
    await index.close();
    await store.close();
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('added, changed and deleted files: the index follows, by content hash', async () => {
    write(
      'handbook.md',
      '# Leave\n\nEmployees receive twenty days of paid vacation.\n\n# Travel\n\nBook trains early.',
    );
    write('制度/年假.md', '# 年假\n\n员工每年享有十天带薪年假。');
    write('photo.png', 'not a document');
    const folderSync = await sync();
    expect(await counts(folderSync)).toEqual({ indexed: 2, unchanged: 0, removed: 0, failed: 0 });
    expect(await found('paid vacation')).toEqual(['folder:handbook.md']);
    expect(await found('年假')).toEqual(['folder:制度/年假.md']);
    const [hit] = await index.search({ text: 'trains', principals: [everyone], limit: 1 });
    expect(hit.chunk).toMatchObject({ place: '§ Travel', headingPath: ['Travel'], language: 'en' });
    expect(hit.source).toMatchObject({ origin: 'folder', title: 'handbook.md', access: [everyone] });

    // Touched but not changed: the same content hash, nothing indexed again.
    write(
      'handbook.md',
      '# Leave\n\nEmployees receive twenty days of paid vacation.\n\n# Travel\n\nBook trains early.',
    );
    expect(await counts(folderSync)).toEqual({ indexed: 0, unchanged: 2, removed: 0, failed: 0 });

    write('handbook.md', '# Leave\n\nEmployees receive twenty-five days of holiday.');
    expect(await counts(folderSync)).toMatchObject({ indexed: 1, unchanged: 1 });
    expect(await found('trains')).toEqual([]);
    expect(await found('holiday')).toEqual(['folder:handbook.md']);

    unlinkSync(join(folder, '制度/年假.md'));
    expect(await counts(folderSync)).toMatchObject({ removed: 1 });
    expect(await found('年假')).toEqual([]);
    expect(await index.status()).toMatchObject({ sources: 1 });
  });

  test('a pass under way says how many of its files are done, for the console; the record is gone when it ends', async () => {
    write('a.md', 'The canteen opens at noon.');
    write('b.md', 'The library closes at six.');
    write('c.md', 'The gym is on the third floor.');
    const seenMidPass: Array<{ finished: number; jobs: number } | undefined> = [];
    const watched: KnowledgeIndex = {
      ...index,
      upsert: async (source, chunks) => {
        const progress = await readFolderSyncProgress(store);
        seenMidPass.push(progress && { finished: progress.finished, jobs: progress.jobs });
        return index.upsert(source, chunks);
      },
    };
    // One job at a time, so each sees the ones before it done.
    const queue = createMemoryQueue({ kind: folderJobs, store, logger: capture.logger, concurrency: 1 });
    expect(await counts(await sync({ index: watched, queue }))).toMatchObject({ indexed: 3 });
    expect(seenMidPass).toEqual([
      { finished: 0, jobs: 3 },
      { finished: 1, jobs: 3 },
      { finished: 2, jobs: 3 },
    ]);
    expect(await readFolderSyncProgress(store)).toBeUndefined();
  });

  test('an access.json narrows its folder and the folders under it; changing it re-indexes', async () => {
    write('open.md', 'The canteen opens at noon.');
    write('finance/budget.md', 'The travel budget for the canteen team is fixed.');
    write('finance/2026/plan.md', 'The canteen plan for 2026.');
    write('finance/access.json', JSON.stringify({ conversations: ['slack:T1:C_FINANCE'] }));
    const folderSync = await sync();
    await counts(folderSync);
    expect((await found('canteen')).sort()).toEqual(['folder:open.md']);
    expect((await found('canteen', [everyone, finance])).sort()).toEqual([
      'folder:finance/2026/plan.md',
      'folder:finance/budget.md',
      'folder:open.md',
    ]);

    write('finance/access.json', JSON.stringify({ users: ['lark:tenant1:ou_bob'] }));
    expect(await counts(folderSync)).toMatchObject({ indexed: 2, unchanged: 1 });
    expect(await found('canteen', [everyone, finance])).toEqual(['folder:open.md']);
    expect((await found('canteen', [bob])).sort()).toEqual([
      'folder:finance/2026/plan.md',
      'folder:finance/budget.md',
    ]);
  });

  test('a broken access.json: a config error naming the file and the fix, and its folder is not indexed', async () => {
    write('open.md', 'Parking is on level two.');
    write('secret/salaries.md', 'Parking allowances by salary band.');
    write('secret/access.json', JSON.stringify({ conversations: ['slack:T1:C_HR'] }));
    const folderSync = await sync();
    await counts(folderSync);
    expect(await found('parking', [everyone, 'conversation:slack:T1:C_HR'])).toHaveLength(2);

    write('secret/access.json', '{ "channels": ["C_HR"] }');
    expect(await counts(folderSync)).toMatchObject({ removed: 1 });
    expect(await found('parking', [everyone, 'conversation:slack:T1:C_HR'])).toEqual(['folder:open.md']);
    const errors = capture.lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'secret/access.json', code: 'not_configured' });
    expect(String(errors[0].msg)).toMatch(/access\.json .*Fix: write it as \{ "conversations"/);
    // Said once, not on every pass.
    await counts(folderSync);
    expect(capture.lines.filter((line) => line.level === 50)).toHaveLength(1);

    write('secret/access.json', 'not json');
    await counts(folderSync);
    expect(await found('parking', [everyone, 'conversation:slack:T1:C_HR'])).toEqual(['folder:open.md']);
  });

  test('an unreadable file is logged once and skipped; a missing folder leaves the index as it is', async () => {
    write('good.md', 'Security badges are issued at reception.');
    write('broken.docx', 'PK\u0003\u0004 cut short, not a real docx');
    const folderSync = await sync();
    expect(await counts(folderSync)).toMatchObject({ indexed: 1, failed: 1 });
    expect(capture.lines.find((line) => line.file === 'broken.docx')).toMatchObject({ level: 40 });
    expect(await counts(folderSync)).toMatchObject({ indexed: 0, unchanged: 1, failed: 0 });

    rmSync(folder, { recursive: true, force: true });
    expect(await counts(folderSync)).toBeUndefined();
    expect(await found('badges')).toEqual(['folder:good.md']);
    expect(capture.lines.find((line) => line.code === 'not_configured')?.msg).toMatch(
      /Fix: point KNOWLEDGE_DIR/,
    );
  });

  test('a pass whose jobs were never all counted (lost, or given up uncounted) is closed by the next pass, which then runs', async () => {
    write('a.md', 'Fire drills happen each quarter.');
    await writeFolderPassPlan(store, {
      passId: 'lost-pass',
      startedAt: new Date().toISOString(),
      files: 3,
      jobs: 3,
      unchanged: 0,
      accessProblems: 0,
    });
    await countFolderJob(
      store,
      { passId: 'lost-pass', sourceId: 'folder:a.md' },
      'indexed',
      () => new Date(),
    );
    expect(await readFolderSyncProgress(store)).toMatchObject({ jobs: 3, finished: 1 });
    const folderSync = await sync();
    expect(await counts(folderSync)).toEqual({ indexed: 1, unchanged: 0, removed: 0, failed: 0 });
    expect(capture.lines.find((line) => line.passId === 'lost-pass')).toMatchObject({
      level: 40,
      jobs: 3,
      indexed: 1,
    });
    expect(await found('fire drills')).toEqual(['folder:a.md']);
  });

  test('a job run again after its process died (counted, but the queue never heard) counts once: the pass does not end early', async () => {
    await writeFolderPassPlan(store, {
      passId: 'rerun-pass',
      startedAt: new Date().toISOString(),
      files: 2,
      jobs: 2,
      unchanged: 0,
      accessProblems: 0,
    });
    const first = { passId: 'rerun-pass', sourceId: 'folder:a.md' };
    expect(await countFolderJob(store, first, 'indexed', () => new Date())).toBeUndefined();
    expect(await countFolderJob(store, first, 'unchanged', () => new Date())).toBeUndefined();
    expect(await readFolderSyncProgress(store)).toMatchObject({ jobs: 2, finished: 1 });
    const closed = await countFolderJob(
      store,
      { passId: 'rerun-pass', sourceId: 'folder:b.md' },
      'indexed',
      () => new Date(),
    );
    expect(closed).toMatchObject({ files: 2, indexed: 2, unchanged: 0 });
    expect(await readFolderSyncProgress(store)).toBeUndefined();
    expect(await readFolderSyncRecord(store)).toMatchObject({ indexed: 2, unchanged: 0 });
  });

  test('one replica at a time: while another holds the lock, a pass does nothing', async () => {
    write('a.md', 'Fire drills happen each quarter.');
    const lock = await store.acquireLock(folderSyncLockKey, 10_000);
    expect(lock).not.toBeNull();
    expect(await (await sync()).syncAndWait()).toBeUndefined();
    expect(await found('fire drills')).toEqual([]);
    await lock?.release();
    expect(await counts(await sync())).toMatchObject({ indexed: 1 });
  });

  test('started, it keeps syncing every rescan interval, with embeddings when a model is set', async () => {
    const embedder = new TestEmbedder();
    await index.close();
    index = await createLanceDbKnowledgeIndex({
      uri: join(base, `index-vectors-${++counter}`),
      embeddingModel: embedder.model,
      logger: capture.logger,
    });
    const folderSync = await sync({ embedder, rescanMilliseconds: 50 });
    write('first.md', '# Onboarding\n\nLaptops are handed out on the first day.');
    await folderSync.start();
    try {
      await waitFor(async () => (await found('laptops')).length === 1, 'the first file indexed');
      expect(embedder.embedded[0]).toBe(
        'first.md\nOnboarding\n# Onboarding\n\nLaptops are handed out on the first day.',
      );
      expect(await index.status()).toMatchObject({ vectors: true, sources: 1 });
      write('second.md', 'Visitors sign in at the front desk.');
      await waitFor(async () => (await found('visitors')).length === 1, 'a new file indexed');
      unlinkSync(join(folder, 'first.md'));
      await waitFor(async () => (await found('laptops')).length === 0, 'a deleted file removed');
    } finally {
      await folderSync.stop(1000);
    }
  });
});

/** Poll an async condition (each pass takes its own time on a loaded machine). */
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
