// Knowledge folder ingestion as queue jobs, as a deployment runs it: the passes and the jobs on the Redis
// `knowledge` queue of a real redis-server, two `jobs` processes (two queue instances on one key prefix), a
// real LanceDB index in a temporary folder. What a person would notice: every file indexed once, one failing
// file does not stop the others, the last change of a file wins, the console's progress, and a restart in the
// middle of a pass loses nothing and repeats nothing.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobQueue } from '../../src/core/job-queue';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { type FolderJob, folderJobs } from '../../src/knowledge/folder-job';
import { readFolderSyncProgress, readFolderSyncRecord } from '../../src/knowledge/folder-sync-record';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../../src/logger';
import { createRedisQueue } from '../../src/pipeline/redis-queue';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { createCaptureLogger } from '../helpers/capture-logger';
import { startTestFolderIndexing, type TestFolderIndexing } from '../helpers/folder-indexing';
import { testRedisUrl } from '../helpers/test-redis';

jest.setTimeout(60_000);

const everyone = 'everyone';
const logger = createLogger({ level: 'silent' });

/** Poll an async condition (Redis reads; jobs run in their own time on a loaded machine). */
async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An upsert as the index saw it: which process wrote which source, and whether it changed anything. */
interface Upsert {
  process: string;
  source: string;
  outcome: 'indexed' | 'unchanged' | 'threw';
}

describe('knowledge folder jobs on the Redis queue, two jobs processes', () => {
  const base = mkdtempSync(join(tmpdir(), 'deskmate-folder-jobs-'));
  let counter = 0;
  let folder: string;
  let prefix: string;
  let index: KnowledgeIndex;
  const stores: StateStore[] = [];
  const processes: TestFolderIndexing[] = [];
  let upserts: Upsert[];

  const write = (path: string, text: string) => {
    writeFileSync(join(folder, path), text);
    // A later second each time, so a rewrite within the same millisecond is still seen as a change.
    const later = new Date(Date.now() + 1000 * ++counter);
    utimesSync(join(folder, path), later, later);
  };
  const found = async (text: string) =>
    (await index.search({ text, principals: [everyone], limit: 10 })).map((hit) => hit.source.id);
  const newStore = async () => {
    const store = createRedisStateStore({ url: testRedisUrl(), prefix });
    await store.ping();
    stores.push(store);
    return store;
  };
  const newQueue = (attempts = 3, queueLogger: Logger = logger): JobQueue<FolderJob> =>
    createRedisQueue({
      kind: folderJobs,
      name: 'knowledge',
      url: testRedisUrl(),
      prefix,
      logger: queueLogger,
      concurrency: 1,
      attempts,
      sweepIntervalMs: 100,
    });

  /**
   * A `jobs` process: its own store connection and queue, the shared index seen through `before`, which runs
   * ahead of each upsert (to slow it, fail it, or hold it) and records it.
   */
  const startProcess = async (
    name: string,
    options: {
      before?: (source: string) => Promise<void>;
      attempts?: number;
      runJobs?: boolean;
      logger?: Logger;
    } = {},
  ) => {
    const watched: KnowledgeIndex = {
      ...index,
      upsert: async (source, chunks) => {
        try {
          await options.before?.(source.id);
        } catch (error) {
          upserts.push({ process: name, source: source.id, outcome: 'threw' });
          throw error;
        }
        const outcome = await index.upsert(source, chunks);
        upserts.push({ process: name, source: source.id, outcome });
        return outcome;
      },
    };
    const store = await newStore();
    const queue = newQueue(options.attempts, options.logger);
    const indexing = await startTestFolderIndexing({
      folder,
      index: watched,
      store,
      logger: options.logger ?? logger,
      limits: defaultDocumentLimits,
      queue,
      runJobs: options.runJobs,
    });
    processes.push(indexing);
    return { indexing, store };
  };
  const indexedBy = (source: string) =>
    upserts.filter((upsert) => upsert.source === source && upsert.outcome === 'indexed');

  beforeEach(async () => {
    counter += 1;
    folder = mkdtempSync(join(base, 'folder-'));
    prefix = `folder-jobs-${process.pid}-${Date.now()}-${counter}:`;
    index = await createLanceDbKnowledgeIndex({ uri: join(base, `index-${counter}`), logger });
    upserts = [];
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((indexing) => indexing.stop(2000)));
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await index.close();
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('a folder of eight files: every file indexed once, the jobs spread over both processes, passes meanwhile queue nothing again', async () => {
    const names = Array.from({ length: 8 }, (_, number) => `policy-${number}.md`);
    for (const [number, name] of names.entries())
      write(name, `# Policy ${number}\n\nRule number w${number}x.`);
    const slow = async () => new Promise<void>((resolve) => setTimeout(resolve, 80));
    const first = await startProcess('first', { before: slow });
    const second = await startProcess('second', { before: slow });
    const pass = await first.indexing.sync.syncOnce();
    expect(pass).toMatchObject({ files: 8, indexing: 8, removing: 0 });
    // Passes while the jobs run (a short rescan interval, another replica) wait for them instead of queueing again.
    expect(await second.indexing.sync.syncOnce()).toBeUndefined();
    expect(await first.indexing.sync.syncOnce()).toBeUndefined();
    await waitUntil(async () => (await readFolderSyncProgress(first.store)) === undefined, 'the pass to end');
    expect(await readFolderSyncRecord(second.store)).toMatchObject({ files: 8, indexed: 8, failed: 0 });
    for (const name of names) expect(indexedBy(`folder:${name}`)).toHaveLength(1);
    expect(upserts).toHaveLength(8);
    expect(new Set(upserts.map((upsert) => upsert.process))).toEqual(new Set(['first', 'second']));
    expect(await found('w5x')).toEqual(['folder:policy-5.md']);
    // The next pass finds everything current and queues nothing.
    expect(await second.indexing.syncAndWait()).toMatchObject({
      pass: { indexing: 0, unchanged: 8 },
      record: { indexed: 0, unchanged: 8 },
    });
  });

  test('a file whose indexing fails is retried, one that always fails is given up, and the others are indexed', async () => {
    write('flaky.md', 'The printer is on floor two.');
    write('broken.md', 'The canteen opens at noon.');
    write('fine.md', 'Badges are issued at reception.');
    let flakyFailures = 0;
    const capture = createCaptureLogger();
    const { indexing, store } = await startProcess('only', {
      attempts: 2,
      logger: capture.logger,
      before: async (source) => {
        if (source === 'folder:broken.md') throw new Error('the index refused the write');
        if (source === 'folder:flaky.md' && flakyFailures++ === 0)
          throw new Error('embedding call timed out');
      },
    });
    expect(await indexing.syncAndWait()).toMatchObject({ record: { files: 3, indexed: 2, failed: 1 } });
    expect(
      upserts.filter((upsert) => upsert.source === 'folder:flaky.md').map((upsert) => upsert.outcome),
    ).toEqual(['threw', 'indexed']);
    expect(upserts.filter((upsert) => upsert.source === 'folder:broken.md')).toHaveLength(2);
    expect((await found('printer')).concat(await found('badges'))).toEqual([
      'folder:flaky.md',
      'folder:fine.md',
    ]);
    expect(await found('canteen')).toEqual([]);
    expect(await readFolderSyncProgress(store)).toBeUndefined();
    // Logged by the queue with a stable code and the cause; ids and paths, never the documents' text.
    const givenUp = capture.lines.find((line) => line.msg === 'job failed for good');
    expect(givenUp?.err).toMatchObject({
      code: 'internal',
      message: expect.stringContaining('could not be indexed'),
    });
    expect(JSON.stringify(givenUp)).toContain('the index refused the write');
    const logged = JSON.stringify(capture.lines);
    for (const text of ['printer is on floor two', 'canteen opens', 'Badges are issued']) {
      expect(logged).not.toContain(text);
    }
  });

  test('a file changed A → B → A ends indexed as A, also when it changes back before its job runs', async () => {
    const a = '# Leave\n\nAnnual leave is twenty days.';
    const b = '# Leave\n\nAnnual leave is sabbatical based.';
    write('leave.md', a);
    const { indexing } = await startProcess('only');
    await indexing.syncAndWait();
    write('leave.md', b);
    await indexing.syncAndWait();
    expect(await found('sabbatical')).toEqual(['folder:leave.md']);
    write('leave.md', a);
    expect(await indexing.syncAndWait()).toMatchObject({ record: { indexed: 1 } });
    expect(await found('twenty')).toEqual(['folder:leave.md']);
    expect(await found('sabbatical')).toEqual([]);

    // B queued while no process runs jobs, and the file is A again before one does: B's job is skipped (it
    // indexes the version it was queued for or nothing), and the index keeps A.
    await indexing.stop(2000);
    write('leave.md', b);
    const passing = await startProcess('passing only', { runJobs: false });
    expect(await passing.indexing.sync.syncOnce()).toMatchObject({ indexing: 1 });
    write('leave.md', a);
    const worker = await startProcess('worker');
    await waitUntil(
      async () => (await readFolderSyncProgress(worker.store)) === undefined,
      'B to be skipped',
    );
    expect(upserts.filter((upsert) => upsert.process === 'worker')).toEqual([]);
    expect(await found('twenty')).toEqual(['folder:leave.md']);
    expect(await found('sabbatical')).toEqual([]);
    expect(await worker.indexing.syncAndWait()).toMatchObject({ pass: { indexing: 0, unchanged: 1 } });
  });

  test('progress is readable from another process mid-way, and clears when the last job is done', async () => {
    for (const name of ['a.md', 'b.md', 'c.md']) write(name, `The ${name} office is open.`);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { indexing } = await startProcess('jobs', {
      before: async (source) => {
        if (source === 'folder:c.md') await held;
      },
    });
    const web = await newStore();
    expect(await indexing.sync.syncOnce()).toMatchObject({ indexing: 3 });
    await waitUntil(async () => (await readFolderSyncProgress(web))?.finished === 2, 'two files done');
    expect(await readFolderSyncProgress(web)).toMatchObject({ files: 3, jobs: 3, finished: 2 });
    release();
    await waitUntil(async () => (await readFolderSyncProgress(web)) === undefined, 'the pass to end');
    expect(await readFolderSyncRecord(web)).toMatchObject({ files: 3, indexed: 3, unchanged: 0 });
  });

  test('a process stopped mid-pass: the next runs the remaining jobs once, and the pass ends', async () => {
    const names = Array.from({ length: 6 }, (_, number) => `guide-${number}.md`);
    for (const [number, name] of names.entries()) write(name, `Guide number g${number}q.`);
    const slow = async () => new Promise<void>((resolve) => setTimeout(resolve, 150));
    const stopping = await startProcess('stopping', { before: slow });
    expect(await stopping.indexing.sync.syncOnce()).toMatchObject({ indexing: 6 });
    await waitUntil(() => upserts.length >= 2, 'two files indexed');
    await stopping.indexing.stop(2000);
    const left = 6 - upserts.length;
    expect(left).toBeGreaterThan(0);
    expect(await readFolderSyncProgress(stopping.store)).toMatchObject({ jobs: 6, finished: 6 - left });

    const next = await startProcess('next');
    await waitUntil(async () => (await readFolderSyncProgress(next.store)) === undefined, 'the pass to end');
    for (const name of names) expect(indexedBy(`folder:${name}`)).toHaveLength(1);
    expect(upserts.filter((upsert) => upsert.process === 'next')).toHaveLength(left);
    expect(await readFolderSyncRecord(next.store)).toMatchObject({ files: 6, indexed: 6 });
  });
});
