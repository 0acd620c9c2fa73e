import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdminOptions, createAdminConsole } from '../../src/admin';
import type { ConsoleKnowledge } from '../../src/admin/knowledge-data';
import { parseConfig } from '../../src/config';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { StateStore } from '../../src/core/state-store';
import { defaultDocumentLimits } from '../../src/documents/limits';
import { createHttpServer } from '../../src/http/server';
import { buildChunks } from '../../src/knowledge/build-chunks';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../../src/logger';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { startTestFolderIndexing } from '../helpers/folder-indexing';

/** The console alone on a server of its own, with a knowledge base or none (the composition root's part). */
export interface KnowledgeConsole {
  baseUrl: string;
  store: StateStore;
  stop(): Promise<void>;
}

/** Serve the web console on 127.0.0.1 with the given knowledge base (none: the empty state). */
export async function startKnowledgeConsole(
  password: string,
  knowledge: ConsoleKnowledge | undefined,
  store: StateStore = createMemoryStateStore(),
  environment: Record<string, string> = {},
): Promise<KnowledgeConsole> {
  const parsed = parseConfig({
    ADMIN_PASSWORD: password,
    LLM_PROVIDER: 'offline',
    LOG_LEVEL: 'silent',
    ...environment,
  });
  if (!parsed.ok) throw new Error(`bad test configuration: ${JSON.stringify(parsed.problems)}`);
  const logger = createLogger({ level: 'silent' });
  const options: AdminOptions = {
    config: parsed.config,
    store,
    logger,
    queueDepth: async () => 0,
    adapters: () => [],
    playground: () => Promise.reject(new Error('no playground in the knowledge tests')),
    renderers: { slack: () => ({}), lark: () => ({}) },
    localLogin: false,
    version: 'test',
    knowledge: async () => knowledge,
  };
  const admin = createAdminConsole(options);
  const server = createHttpServer({
    routes: [admin.route],
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
  });
  const port = await server.listen(0, '127.0.0.1');
  return { baseUrl: `http://127.0.0.1:${port}`, store, stop: () => server.close() };
}

/** A real LanceDB knowledge base in a temporary folder, filled the way Deskmate fills it. */
export interface KnowledgeFixture {
  index: KnowledgeIndex;
  /** Where the index lives (another process's reader opens it there). */
  uri: string;
  store: StateStore;
  stop(): Promise<void>;
}

/**
 * Two folder files synced by the real folder sync (handbook.md open to everyone; hr/salaries.md for one Slack
 * channel through its access.json) and two shared sources indexed through the engine as kb add indexes them:
 * a Slack file in a private channel and a linked Lark document added by a user, each built by buildChunks.
 */
export async function startKnowledgeFixture(
  store: StateStore = createMemoryStateStore(),
): Promise<KnowledgeFixture> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-admin-knowledge-'));
  const folder = join(directory, 'folder');
  mkdirSync(join(folder, 'hr'), { recursive: true });
  writeFileSync(
    join(folder, 'handbook.md'),
    '# Handbook\n\n## Leave\n\nAnnual leave is 15 days a year.\n\n## Sick leave\n\nTell your manager before 10:00.\n',
  );
  writeFileSync(join(folder, 'hr', 'salaries.md'), '# Salaries\n\nReviews happen every March.\n');
  writeFileSync(join(folder, 'hr', 'access.json'), JSON.stringify({ conversations: ['slack:T1:CHR'] }));
  const logger = createLogger({ level: 'silent' });
  const uri = join(directory, 'index');
  const index = await createLanceDbKnowledgeIndex({ uri, logger });
  const sync = await startTestFolderIndexing({ folder, index, store, logger, limits: defaultDocumentLimits });
  await sync.syncAndWait();
  const shared = [
    {
      id: 'slack:T1:file:F1',
      origin: 'shared_file' as const,
      title: 'travel.md',
      link: 'https://files.example/F1',
      access: ['conversation:slack:T1:CPRIV'],
      addedBy: 'user:slack:T1:UALICE',
      text: '# Travel\n\nBook trains, not flights, under 500 km.\n',
    },
    {
      id: 'lark:L1:doc:D1',
      origin: 'linked_document' as const,
      title: '报销制度',
      link: 'https://lark.example/docx/D1',
      access: ['user:lark:L1:ou_bob'],
      addedBy: 'user:lark:L1:ou_bob',
      text: '# 报销\n\n差旅报销需在出差结束后十个工作日内提交。\n',
    },
  ];
  for (const source of shared) {
    const { text, ...rest } = source;
    const chunks = await buildChunks({
      sourceId: source.id,
      title: source.title,
      bytes: Buffer.from(text),
      name: `${source.title}.md`,
      limits: defaultDocumentLimits,
    });
    await index.upsert({ ...rest, version: source.id, indexedAt: new Date().toISOString() }, chunks);
  }
  return {
    index,
    uri,
    store,
    async stop() {
      await sync.stop(1000);
      await index.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
