import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import { createLanceDbKnowledgeIndex } from '../../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../../src/logger';
import { answerableQuestions, listAccessFolders } from './fixture-corpus';
import { rankQuestions } from './fixture-recall';
import { documentOfHit, everyone, indexFixtureCorpus } from './index-fixture-corpus';
import { recallOf } from './recall-scoring';

/**
 * The fixture corpus in a temporary embedded LanceDB, searched by keyword only (no embedding model): the
 * tuned questions are found in the first five chunks at least 80% of the time, and the HR-managers folder
 * (access.json) answers its members and nobody else. Held-out questions are not asserted on (the bench
 * reports them).
 */
describe('knowledge recall on the fixture corpus (LanceDB, keyword only)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-recall-'));
  const questions = answerableQuestions();
  const managers = listAccessFolders().find((each) => each.folder === 'hr/managers');
  const managerPrincipals = [everyone, ...(managers?.access.ok ? managers.access.principals : [])];
  const outsiderPrincipals = [
    everyone,
    'conversation:slack:T0LANTING:C0GENERAL',
    'user:slack:T0LANTING:U0OUTSIDER',
    'conversation:lark:tenant-lanting:oc_all_staff',
  ];
  const restricted = questions.filter((question) => question.document.startsWith('hr/managers/'));
  let index: KnowledgeIndex;

  beforeAll(async () => {
    index = await createLanceDbKnowledgeIndex({ uri: directory, logger: createLogger({ level: 'silent' }) });
    await indexFixtureCorpus(index);
  }, 60_000);

  afterAll(async () => {
    await index?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('recall@5 of the tuned questions is at least 0.8', async () => {
    const tuned = questions.filter((question) => !question.heldOut);
    const { ranks } = await rankQuestions(index, tuned, managerPrincipals, { limit: 5 });
    const figure = recallOf(tuned, ranks, 5);
    // On failure the comparison shows the recall and which questions were missed.
    expect({ atLeast80Percent: figure.recall >= 0.8, recall: figure.recall, missed: figure.missed }).toEqual({
      atLeast80Percent: true,
      recall: figure.recall,
      missed: figure.missed,
    });
  });

  test("the HR managers' folder answers its members and is never returned to anyone else", async () => {
    expect(restricted.length).toBeGreaterThanOrEqual(2);
    const members = await rankQuestions(index, restricted, managerPrincipals, { limit: 5 });
    for (const question of restricted)
      expect({ id: question.id, found: members.ranks.get(question.id) !== undefined }).toEqual({
        id: question.id,
        found: true,
      });
    for (const question of restricted) {
      const hits = await index.search({ text: question.question, principals: outsiderPrincipals, limit: 50 });
      expect(
        hits.filter((hit) => documentOfHit(hit)?.startsWith('hr/managers/')).map((hit) => hit.chunk.id),
      ).toEqual([]);
    }
    const outsiders = await rankQuestions(index, restricted, outsiderPrincipals, { limit: 50 });
    expect(recallOf(restricted, outsiders.ranks, 50).hits).toBe(0);
  });
});
