import type { Embedder } from '../../src/core/embedder';
import type { KnowledgeChunk, KnowledgeIndex, KnowledgeSource } from '../../src/core/knowledge-index';
import { TestEmbedder } from '../../src/llm/test-embedder';

/** How a contract run opens a fresh, empty index: keyword-only, or with the test embedder. */
export type OpenKnowledgeIndex = (options: { embedder?: Embedder }) => Promise<KnowledgeIndex>;

const everyone = 'everyone';
const teamA = 'conversation:slack:T1:C_FINANCE';
const alice = 'user:slack:T1:U_ALICE';

/** A source open to `access`, at a version. */
function source(id: string, access: string[], version = 'v1', title = `${id}.md`): KnowledgeSource {
  return { id, version, origin: 'folder', title, access, indexedAt: new Date().toISOString() };
}

/** Chunks of texts, one per section, with vectors when an embedder is given. */
async function chunks(sourceId: string, texts: string[], embedder?: Embedder): Promise<KnowledgeChunk[]> {
  const vectors = embedder ? await embedder.embed(texts, 'document') : [];
  return texts.map((text, index) => ({
    id: `${sourceId}#${index}`,
    sourceId,
    text,
    headingPath: [`Section ${index + 1}`],
    place: `§ Section ${index + 1}`,
    language: /\p{Script=Han}/u.test(text) ? 'zh' : 'en',
    ...(vectors[index] ? { vector: vectors[index] } : {}),
  }));
}

/** The behaviour every KnowledgeIndex engine must have; run against LanceDB always, OpenSearch when set up. */
export function describeKnowledgeIndexContract(name: string, open: OpenKnowledgeIndex): void {
  describe(`${name} knowledge index contract`, () => {
    const opened: KnowledgeIndex[] = [];
    const fresh = async (embedder?: Embedder) => {
      const index = await open({ embedder });
      opened.push(index);
      return index;
    };
    afterAll(async () => {
      await Promise.all(opened.map((index) => index.close()));
    });

    test('an empty index finds nothing and says so in its status', async () => {
      const index = await fresh();
      expect(await index.search({ text: 'vacation', principals: [everyone], limit: 5 })).toEqual([]);
      expect(await index.sources()).toEqual([]);
      expect(await index.status()).toMatchObject({ engine: name, sources: 0, chunks: 0, vectors: false });
    });

    test('Chinese keyword search finds 年假 in a Chinese document', async () => {
      const index = await fresh();
      await index.upsert(
        source('hr-zh', [everyone]),
        await chunks('hr-zh', [
          '员工每年享有十天带薪年假，入职满一年后开始计算。',
          '报销差旅费用需要在出差结束后三十天内提交发票。',
        ]),
      );
      await index.upsert(source('menu', [everyone]), await chunks('menu', ['食堂每周五提供火锅。']));
      const hits = await index.search({ text: '年假有几天', principals: [everyone], limit: 5 });
      expect(hits[0]?.chunk.id).toBe('hr-zh#0');
      expect(hits[0]?.source).toMatchObject({ id: 'hr-zh', title: 'hr-zh.md', access: [everyone] });
      expect(hits[0]?.chunk).toMatchObject({
        place: '§ Section 1',
        headingPath: ['Section 1'],
        language: 'zh',
      });
      expect(hits.map((hit) => hit.chunk.id)).not.toContain('menu#0');
    });

    test("a chunk is found by its source's title and its heading path, not only by its text", async () => {
      const index = await fresh();
      const [hotels] = await chunks('travel', ['Up to RMB 800 a night in Shanghai.']);
      await index.upsert(source('travel', [everyone], 'v1', 'travel-policy-2025.md'), [
        { ...hotels, headingPath: ['Travel', 'Hotels'] },
      ]);
      await index.upsert(
        source('canteen', [everyone]),
        await chunks('canteen', ['Lunch is served from 11:30 with a night owl menu.']),
      );
      const hits = await index.search({ text: 'hotel policy', principals: [everyone], limit: 5 });
      expect(hits.map((hit) => hit.chunk.id)).toEqual(['travel#0']);
    });

    test('English keyword search finds the passage that holds the words', async () => {
      const index = await fresh();
      await index.upsert(
        source('handbook', [everyone]),
        await chunks('handbook', [
          'Employees receive twenty days of paid vacation every year.',
          'The office opens at nine in the morning.',
        ]),
      );
      const hits = await index.search({ text: 'how much paid vacation', principals: [everyone], limit: 5 });
      expect(hits[0]?.chunk.id).toBe('handbook#0');
      expect(hits[0]?.score).toBeGreaterThan(0);
    });

    test('access is filtered inside the query: 50 better restricted matches never crowd out the allowed one', async () => {
      const index = await fresh();
      for (let number = 0; number < 50; number += 1) {
        await index.upsert(
          source(`secret-${number}`, [teamA]),
          await chunks(`secret-${number}`, [
            'bonus bonus bonus: the bonus pool, bonus rules and bonus dates for the finance team bonus',
          ]),
        );
      }
      await index.upsert(
        source('open', [everyone]),
        await chunks('open', ['The annual bonus is paid in March, with a long note on other topics.']),
      );
      const hits = await index.search({ text: 'bonus', principals: [everyone, alice], limit: 5 });
      expect(hits.map((hit) => hit.chunk.id)).toEqual(['open#0']);
      const finance = await index.search({ text: 'bonus', principals: [teamA], limit: 5 });
      expect(finance).toHaveLength(5);
      expect(finance.every((hit) => hit.source.access.includes(teamA))).toBe(true);
      expect(await index.search({ text: 'bonus', principals: [], limit: 5 })).toEqual([]);
    });

    test('upserting the same version again changes nothing; a new version replaces the old chunks', async () => {
      const index = await fresh();
      const first = await chunks('policy', [
        'Travel must be booked through the portal.',
        'Hotels up to 200 a night.',
      ]);
      expect(await index.upsert(source('policy', [everyone], 'v1'), first)).toBe('indexed');
      expect(await index.upsert(source('policy', [everyone], 'v1'), first)).toBe('unchanged');
      expect(await index.status()).toMatchObject({ sources: 1, chunks: 2 });
      const second = await chunks('policy', ['Travel is booked by the assistant now.']);
      expect(await index.upsert(source('policy', [everyone], 'v2'), second)).toBe('indexed');
      expect(await index.status()).toMatchObject({ sources: 1, chunks: 1 });
      expect(await index.search({ text: 'hotels night', principals: [everyone], limit: 5 })).toEqual([]);
      const hits = await index.search({ text: 'travel booked', principals: [everyone], limit: 5 });
      expect(hits.map((hit) => hit.chunk.text)).toEqual(['Travel is booked by the assistant now.']);
      expect(hits[0].source.version).toBe('v2');
    });

    test('the same version with a narrower access list is indexed again, and the old access is gone', async () => {
      const index = await fresh();
      const texts = await chunks('salaries', ['Salary bands are reviewed each April.']);
      await index.upsert(source('salaries', [everyone], 'v1'), texts);
      expect(await index.upsert(source('salaries', [teamA], 'v1'), texts)).toBe('indexed');
      expect(await index.search({ text: 'salary bands', principals: [everyone], limit: 5 })).toEqual([]);
      expect(await index.search({ text: 'salary bands', principals: [teamA], limit: 5 })).toHaveLength(1);
      expect(await index.status()).toMatchObject({ sources: 1, chunks: 1 });
    });

    test('remove takes the source and its chunks; removing it again says it was not there', async () => {
      const index = await fresh();
      await index.upsert(source('old', [everyone]), await chunks('old', ['An obsolete parking policy.']));
      await index.upsert(
        source('kept', [everyone]),
        await chunks('kept', ['The parking garage is on level two.']),
      );
      expect(await index.remove('old')).toBe(true);
      expect(await index.remove('old')).toBe(false);
      const hits = await index.search({ text: 'parking policy', principals: [everyone], limit: 5 });
      expect(hits.map((hit) => hit.source.id)).toEqual(['kept']);
      expect(await index.status()).toMatchObject({ sources: 1, chunks: 1 });
    });

    test('sources(principals) lists only what those principals may read, newest first', async () => {
      const index = await fresh();
      await index.upsert(source('general', [everyone]), await chunks('general', ['Lunch is at noon.']));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await index.upsert(source('finance', [teamA]), await chunks('finance', ['Budget figures.']));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await index.upsert(source('alice', [alice]), await chunks('alice', ['Notes for Alice.']));
      expect((await index.sources([everyone])).map((each) => each.id)).toEqual(['general']);
      expect((await index.sources([everyone, alice])).map((each) => each.id)).toEqual(['alice', 'general']);
      expect((await index.sources()).map((each) => each.id)).toEqual(['alice', 'finance', 'general']);
      expect(await index.sources([])).toEqual([]);
    });

    test('hybrid search with the test embedder ranks a reworded, misspelled question that shares no keyword', async () => {
      const embedder = new TestEmbedder();
      const index = await fresh(embedder);
      expect(await index.status()).toMatchObject({ vectors: true });
      const texts = [
        'Reimbursement of business travel expenses needs receipts.',
        'The cafeteria serves breakfast from seven.',
        'Printers are on every floor near the lifts.',
      ];
      await index.upsert(source('expenses', [everyone]), await chunks('expenses', texts, embedder));
      const question = 'reimbursmnt busines travl expences';
      const keywordOnly = await index.search({ text: question, principals: [everyone], limit: 3 });
      expect(keywordOnly.map((hit) => hit.chunk.id)).not.toContain('expenses#0');
      const [vector] = await embedder.embed([question], 'query');
      const hybrid = await index.search({ text: question, vector, principals: [everyone], limit: 3 });
      expect(hybrid[0]?.chunk.id).toBe('expenses#0');
      // The access filter holds for vector search too.
      expect(await index.search({ text: question, vector, principals: [teamA], limit: 3 })).toEqual([]);
    });
  });
}
