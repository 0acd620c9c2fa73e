import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { KnowledgeBase, Skill, SkillKnowledge } from '../../src/core/skill';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createOfflineProvider } from '../../src/llm/offline-provider';
import { TestEmbedder } from '../../src/llm/test-embedder';
import { createLogger } from '../../src/logger';
import { createMemoryQueue } from '../../src/pipeline/memory-queue';
import { createJobHandler } from '../../src/pipeline/worker';
import { createSkills } from '../../src/skills';
import { noArguments } from '../../src/skills/arguments';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { startDeskmateProcess, stopDeskmateProcesses } from '../helpers/deskmate-process';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const base = mkdtempSync(join(tmpdir(), 'deskmate-knowledge-wiring-'));
afterAll(async () => {
  await stopDeskmateProcesses();
  rmSync(base, { recursive: true, force: true });
});

/** Whether a process has LanceDB's native module mapped (Linux: /proc/<pid>/maps). */
const hasLanceDb = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('lancedb');

const describeOnLinux = existsSync('/proc/self/maps') ? describe : describe.skip;

describeOnLinux('a Deskmate process (npm start) and the knowledge folder', () => {
  test('without a knowledge folder LanceDB is never loaded; with one, its files are indexed at start', async () => {
    const plain = await startDeskmateProcess({ DATA_DIR: join(base, 'plain-data') });
    expect(plain.child.pid).toBeDefined();
    expect(hasLanceDb(plain.child.pid as number)).toBe(false);
    await plain.signal('SIGTERM');
    expect(existsSync(join(base, 'plain-data'))).toBe(false);

    const folder = join(base, 'folder');
    mkdirSync(join(folder, 'hr'), { recursive: true });
    writeFileSync(join(folder, 'hr', '年假.md'), '# 年假\n\n员工每年享有十天带薪年假。');
    const data = join(base, 'data');
    const running = await startDeskmateProcess({ KNOWLEDGE_DIR: folder, DATA_DIR: data, LOG_LEVEL: 'info' });
    await waitUntil(() => running.output().includes('knowledge folder synced'), 'the first pass', 20_000);
    expect(hasLanceDb(running.child.pid as number)).toBe(true);
    await running.signal('SIGTERM');
    const index = await createLanceDbKnowledgeIndex({
      uri: join(data, 'knowledge'),
      logger: createLogger({ level: 'silent' }),
    });
    const hits = await index.search({ text: '年假', principals: ['everyone'], limit: 3 });
    expect(hits.map((hit) => hit.source.id)).toEqual(['folder:hr/年假.md']);
    await index.close();
  });

  test('with Redis, the folder jobs go through the shared knowledge queue', async () => {
    const folder = join(base, 'redis-folder');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'parking.md'), '# Parking\n\nVisitors park on level two.');
    const data = join(base, 'redis-data');
    const prefix = `wiring-${process.pid}-${Date.now()}:`;
    const running = await startDeskmateProcess({
      KNOWLEDGE_DIR: folder,
      DATA_DIR: data,
      LOG_LEVEL: 'info',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
    });
    await waitUntil(() => running.output().includes('knowledge folder synced'), 'the first pass', 20_000);
    const queued = running
      .output()
      .split('\n')
      .find((line) => line.includes('knowledge folder pass queued its jobs'));
    expect(queued).toContain('"indexing":1');
    await running.signal('SIGTERM');
    const redis = new Redis(testRedisUrl());
    try {
      // The job went through the `knowledge` queue (its depth is back to 0), not the chat queue.
      expect(await redis.get(`${prefix}queue:knowledge:depth`)).toBe('0');
      expect(await redis.get(`${prefix}queue:jobs:depth`)).toBeNull();
    } finally {
      redis.disconnect();
    }
  });
});

test('skills get the knowledge index and the embedder in their context', async () => {
  const store = createMemoryStateStore();
  const logger = createLogger({ level: 'silent' });
  const queue = createMemoryQueue({ store, logger });
  const index = await createLanceDbKnowledgeIndex({ uri: join(base, 'skill-index'), logger });
  const knowledge: KnowledgeBase = { index, embed: new TestEmbedder() };
  const seen: Array<SkillKnowledge | undefined> = [];
  const probe: Skill = {
    name: 'probe',
    commandWords: ['probe'],
    description: 'Reads the knowledge context (test).',
    ...noArguments,
    help: { en: 'Probe.', zh: '探测。', examples: [] },
    async run(context) {
      seen.push(context.knowledge);
      return { markdown: `status ${(await context.knowledge?.index.status())?.engine}` };
    },
  };
  const platform = new RecordingPlatform('console');
  await queue.start(
    createJobHandler({
      platforms: { console: platform },
      skills: [probe, ...createSkills()],
      llm: createOfflineProvider(),
      store,
      logger,
      settings: { defaultTimezone: 'UTC' },
      knowledge,
    }),
  );
  await queue.enqueue({
    eventId: 'e1',
    messageId: 'm1',
    conversation: { platform: 'console', workspace: 'local', channel: 'c', kind: 'dm' },
    author: { id: 'u' },
    text: 'probe',
    via: 'dm',
    receivedAt: new Date().toISOString(),
  });
  await queue.drain();
  await queue.stop(1000);
  // The index and embedder as configured, with the principals the pipeline decides for the answer's place.
  expect(seen).toEqual([{ ...knowledge, principals: expect.any(Function) }]);
  expect(platform.visibleMessages()).toEqual(['status lancedb']);
  await index.close();
});
