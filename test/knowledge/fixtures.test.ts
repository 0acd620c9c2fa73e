import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptedPassages,
  answerableQuestions,
  extractedText,
  extractKnowledgeDocument,
  knowledgeDocumentsRoot,
  listAccessFolders,
  listKnowledgeDocuments,
  loadKnowledgeQuestions,
} from './fixture-corpus';

/** The knowledge fixtures checked against themselves: a wrong label, an unreadable file or a reused id fails here. */
describe('knowledge fixtures', () => {
  const documents = listKnowledgeDocuments();
  const questions = loadKnowledgeQuestions();
  const texts = new Map<string, string>();

  beforeAll(async () => {
    for (const path of documents) {
      const extracted = await extractKnowledgeDocument(path);
      expect({ path, notes: extracted.notes }).toEqual({ path, notes: [] });
      texts.set(path, extractedText(extracted));
    }
  });

  test('about 150 documents in English and Chinese, in Markdown, text, HTML, Word and PDF, under 2 MB', () => {
    expect(documents.length).toBeGreaterThanOrEqual(140);
    const extensions = new Set(documents.map((path) => path.slice(path.lastIndexOf('.'))));
    expect([...extensions].sort()).toEqual(['.docx', '.html', '.md', '.pdf', '.txt']);
    const mostlyChinese = documents.filter((path) => {
      const text = texts.get(path) ?? '';
      return (text.match(/\p{Script=Han}/gu)?.length ?? 0) * 4 > text.length;
    });
    expect(mostlyChinese.length).toBeGreaterThan(documents.length * 0.35);
    expect(mostlyChinese.length).toBeLessThan(documents.length * 0.65);
    const bytes = documents.reduce(
      (total, path) => total + statSync(join(knowledgeDocumentsRoot, path)).size,
      0,
    );
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  test('every document is read by extractDocument into text', () => {
    for (const path of documents)
      expect({ path, empty: (texts.get(path) ?? '').trim() === '' }).toEqual({ path, empty: false });
  });

  test('question ids are unique', () => {
    const ids = questions.map((question) => question.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("each labelled passage is a substring of its document's extracted text", () => {
    const wrong = answerableQuestions(questions).flatMap((question) =>
      acceptedPassages(question)
        .filter((label) => !(texts.get(label.document) ?? '').includes(label.passage))
        .map((label) => `${question.id}: "${label.passage}" is not in ${label.document}`),
    );
    expect(wrong).toEqual([]);
  });

  test('held out: every third answerable question by id, chosen before any tuning; about 60 answerable and 5 not', () => {
    const answerable = answerableQuestions(questions);
    expect(answerable.length).toBeGreaterThanOrEqual(55);
    for (const question of answerable) {
      expect({ id: question.id, heldOut: question.heldOut }).toEqual({
        id: question.id,
        heldOut: Number(question.id.slice(1)) % 3 === 0,
      });
    }
    const unanswerable = questions.filter((question) => !question.answerable);
    expect(unanswerable.length).toBeGreaterThanOrEqual(5);
    for (const question of unanswerable) expect(question).not.toHaveProperty('document');
  });

  test('English, Chinese, paraphrased and cross-language questions are all there', () => {
    const answerable = answerableQuestions(questions);
    for (const language of ['en', 'zh']) {
      expect(answerable.filter((question) => question.language === language).length).toBeGreaterThan(20);
    }
    for (const kind of ['paraphrase', 'cross-language']) {
      expect(answerable.filter((question) => question.kind === kind).length).toBeGreaterThanOrEqual(5);
    }
  });

  test('the access.json folder is read by the folder sync as conversations and users, and some questions are answered only there', () => {
    const folders = listAccessFolders();
    expect(folders.map((each) => each.folder)).toEqual(['hr/managers']);
    expect(folders[0].access).toEqual({
      ok: true,
      principals: [
        'conversation:slack:T0LANTING:C0HRMANAGERS',
        'conversation:lark:tenant-lanting:oc_hr_managers',
        'user:slack:T0LANTING:U0LIUYANG',
        'user:lark:tenant-lanting:ou_liuyang',
      ],
    });
    const restricted = answerableQuestions(questions).filter((question) =>
      question.document.startsWith('hr/managers/'),
    );
    expect(restricted.length).toBeGreaterThanOrEqual(2);
  });
});
