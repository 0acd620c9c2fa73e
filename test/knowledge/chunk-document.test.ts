import type { ExtractedDocument } from '../../src/documents/document';
import { extractDocument } from '../../src/documents/extract-document';
import { chunkDocument, defaultChunkSizes } from '../../src/knowledge/chunk-document';
import { estimateTokens } from '../../src/llm/token-estimator';

describe('chunking a document for the knowledge index', () => {
  test('chunks follow sections: heading path kept, place is the citation label without brackets', async () => {
    const markdown =
      '# Budget\n\nIntro to the budget.\n\n## Q3\n\nTravel is capped.\n\n# 年假\n\n员工每年享有十天带薪年假。';
    const document = await extractDocument(Buffer.from(markdown), { name: 'plan.md' });
    const chunks = chunkDocument('folder:plan.md', document);
    expect(
      chunks.map(({ id, headingPath, place, language }) => ({ id, headingPath, place, language })),
    ).toEqual([
      { id: 'folder:plan.md#0', headingPath: ['Budget'], place: '§ Budget', language: 'en' },
      { id: 'folder:plan.md#1', headingPath: ['Budget', 'Q3'], place: '§ Budget › Q3', language: 'en' },
      { id: 'folder:plan.md#2', headingPath: ['年假'], place: '§ 年假', language: 'zh' },
    ]);
    expect(chunks[1].text).toContain('Travel is capped.');
    expect(chunks.every((chunk) => chunk.sourceId === 'folder:plan.md')).toBe(true);
  });

  test('pages, slides and sheets keep their own places, in the text’s language', () => {
    const document: ExtractedDocument = {
      type: 'pdf',
      notes: [],
      pieces: [
        { text: '第三页的内容：报销流程。', locator: { kind: 'page', page: 3 } },
        { text: 'Page four is in English.', locator: { kind: 'page', page: 4 } },
        { text: '2: Alice | 10', locator: { kind: 'sheet', sheet: 'Pay', rows: { first: 2, last: 9 } } },
      ],
    };
    expect(chunkDocument('s', document).map((chunk) => [chunk.place, chunk.headingPath])).toEqual([
      ['第 3 页', []],
      ['p. 4', []],
      ['Pay, rows 2–9', []],
    ]);
  });

  test('a long section becomes several chunks of a few hundred tokens, none over the limit, nothing lost', () => {
    const sentences = Array.from(
      { length: 240 },
      (_, index) => `Rule ${index} says travel must be booked early.`,
    );
    const chinese = Array.from({ length: 120 }, (_, index) => `第${index}条：员工出差需提前预订。`).join('');
    const document: ExtractedDocument = {
      type: 'markdown',
      notes: [],
      pieces: [
        {
          text: `## Travel\n\n${sentences.slice(0, 120).join(' ')}`,
          locator: { kind: 'section', path: ['Travel'] },
        },
        // The extractor cuts long sections into pieces with the same locator: they are joined first.
        { text: sentences.slice(120).join(' '), locator: { kind: 'section', path: ['Travel'] } },
        { text: chinese, locator: { kind: 'section', path: ['出差'] } },
      ],
    };
    const chunks = chunkDocument('s', document);
    const english = chunks.filter((chunk) => chunk.place === '§ Travel');
    const zh = chunks.filter((chunk) => chunk.place === '§ 出差');
    expect(english.length).toBeGreaterThanOrEqual(5);
    expect(zh.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) {
      expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(defaultChunkSizes.maxTokens);
      expect(estimateTokens(chunk.text)).toBeGreaterThan(50);
    }
    expect(english.map((chunk) => chunk.text).join(' ')).toContain(
      'Rule 239 says travel must be booked early.',
    );
    expect(
      english
        .map((chunk) => chunk.text)
        .join(' ')
        .match(/Rule \d+ /g),
    ).toHaveLength(240);
    expect(zh.map((chunk) => chunk.text).join('')).toBe(chinese);
    expect(chunks.map((chunk) => chunk.id)).toEqual(chunks.map((_, index) => `s#${index}`));
  });
});
