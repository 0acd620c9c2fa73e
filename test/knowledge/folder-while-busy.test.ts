// While a long folder pass runs (a first index of thousands of files), what must not wait for it does not: a
// deleted file and a file some of whose readers were taken away leave the index at the next rescan, and a
// queued job whose folder was narrowed meanwhile does not index the file with its old readers. Real LanceDB in
// a temp dir, the lock and records in a real Redis, the jobs on a memory queue held at their upserts.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { StateStore } from '../../src/core/state-store';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { readFolderSyncProgress } from '../../src/knowledge/folder-sync-record';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { createCaptureLogger } from '../helpers/capture-logger';
import { startTestFolderIndexing, type TestFolderIndexing } from '../helpers/folder-indexing';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const everyone = 'everyone';
const ann = 'user:slack:T1:UANN';
const ben = 'user:slack:T1:UBEN';

describe('knowledge folder: deletions and narrowed readers do not wait for a running pass', () => {
  const base = mkdtempSync(join(tmpdir(), 'deskmate-folder-busy-'));
  const capture = createCaptureLogger();
  let folder: string;
  let index: KnowledgeIndex;
  let store: StateStore;
  let indexing: TestFolderIndexing;
  let counter = 0;
  let release: () => void = () => {};

  const write = (path: string, text: string) => {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), text);
    const later = new Date(Date.now() + 1000 * ++counter);
    utimesSync(join(folder, path), later, later);
  };
  const readers = (...users: string[]) =>
    JSON.stringify({ users: users.map((user) => user.replace(/^user:/, '')) });
  const found = async (text: string, principals = [everyone]) =>
    (await index.search({ text, principals, limit: 10 })).map((hit) => hit.source.id);

  beforeAll(async () => {
    store = createRedisStateStore({
      url: testRedisUrl(),
      prefix: `folder-busy-${process.pid}-${Date.now()}:`,
    });
    await store.ping();
    folder = mkdtempSync(join(base, 'folder-'));
    index = await createLanceDbKnowledgeIndex({ uri: join(base, 'index'), logger: capture.logger });
  });
  afterAll(async () => {
    release();
    await indexing?.stop(2000);
    await index.close();
    await store.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('deleted and narrowed go at once, widened waits, and a queued job does not index with old readers', async () => {
    write('public.md', 'The canteen opens at noon.');
    write('gone.md', 'The old parking rules apply until May.');
    write('hr/access.json', readers(ann, ben));
    write('hr/salaries.md', 'Salary bands are reviewed in March.');
    write('team/access.json', readers(ann));
    write('team/roster.md', 'The on-call roster rotates weekly.');
    let held: Promise<void> | undefined;
    let holding = (sourceId: string) => sourceId.startsWith('folder:new-');
    const watched: KnowledgeIndex = {
      ...index,
      upsert: async (source, chunks) => {
        if (holding(source.id)) await held;
        return index.upsert(source, chunks);
      },
    };
    indexing = await startTestFolderIndexing({
      folder,
      index: watched,
      store,
      logger: capture.logger,
      limits: defaultDocumentLimits,
    });
    expect(await indexing.syncAndWait()).toMatchObject({ record: { indexed: 4 } });
    expect(await found('salary', [ben])).toEqual(['folder:hr/salaries.md']);

    // A long pass: two jobs held at their upserts (the queue runs two at a time), a third waiting behind them.
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    write('new-a.md', 'Badges are issued at reception.');
    write('new-b.md', 'The printer is on floor two.');
    write('ops/plan.md', 'The migration plan starts in June.');
    expect(await indexing.sync.syncOnce()).toMatchObject({ indexing: 3 });

    unlinkSync(join(folder, 'gone.md'));
    write('hr/access.json', readers(ann));
    write('team/access.json', readers(ann, ben));
    write('ops/access.json', readers(ann));
    // The next rescan finds the pass still running: it queues nothing, but takes out what must not wait.
    expect(await indexing.sync.syncOnce()).toBeUndefined();
    expect(await found('parking')).toEqual([]);
    expect(await found('salary', [ben])).toEqual([]);
    expect(await found('roster', [ann])).toEqual(['folder:team/roster.md']);
    expect(await found('canteen')).toEqual(['folder:public.md']);
    expect(
      capture.lines.find((line) => String(line.msg).includes('removed while a pass runs')),
    ).toMatchObject({
      removed: 2,
    });

    release();
    await waitUntil(async () => (await readFolderSyncProgress(store)) === undefined, 'the pass to end');
    // Its job ran after ops/ was narrowed: skipped, not indexed for everyone.
    expect(await found('migration')).toEqual([]);
    expect(await found('badges')).toEqual(['folder:new-a.md']);

    // The next pass indexes what waited, with the readers of now.
    await indexing.syncAndWait();
    expect(await found('migration', [ann])).toEqual(['folder:ops/plan.md']);
    expect(await found('migration')).toEqual([]);
    expect(await found('salary', [ann])).toEqual(['folder:hr/salaries.md']);
    expect(await found('salary', [ben])).toEqual([]);
    expect(await found('roster', [ben])).toEqual(['folder:team/roster.md']);

    // Narrowed when no pass runs: the pass that queues its job takes the old readers' passages out at once.
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    holding = (sourceId) => sourceId === 'folder:team/roster.md';
    write('team/access.json', readers(ann));
    expect(await indexing.sync.syncOnce()).toMatchObject({ indexing: 1 });
    expect(await found('roster', [ben])).toEqual([]);
    release();
    await waitUntil(
      async () => (await readFolderSyncProgress(store)) === undefined,
      'the roster to be indexed',
    );
    expect(await found('roster', [ann])).toEqual(['folder:team/roster.md']);
    expect(await found('roster', [ben])).toEqual([]);
  });
});
