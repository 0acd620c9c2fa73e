/**
 * The knowledge fixtures (test/fixtures/knowledge): the documents, the labelled questions, and the access.json
 * folders, read the same way by the fixtures' own test, the recall test and the knowledge bench.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ExtractedDocument } from '../../src/documents/document';
import { extractDocument } from '../../src/documents/extract-document';
import { accessFileName, type FolderAccess, parseFolderAccess } from '../../src/knowledge/folder-access';

/** The fixture folder: README.md, questions.json, make-fixtures.ts and documents/. */
export const knowledgeFixtureRoot = join(__dirname, '..', 'fixtures', 'knowledge');

/** The corpus itself: what a KNOWLEDGE_DIR pointed at it would index. */
export const knowledgeDocumentsRoot = join(knowledgeFixtureRoot, 'documents');

/** A document of the corpus (path relative to documents/, `/`-separated) and an exact passage of its text. */
export interface LabelledPassage {
  /** The document's path under documents/. */
  document: string;
  /** A short exact substring of the document's extracted text that answers the question. */
  passage: string;
}

/** A question the corpus can answer, with the passage that answers it. */
export interface AnswerableQuestion extends LabelledPassage {
  /** Unique id: `q01`…; held-out ones are every third. */
  id: string;
  /** The question as a person would ask it. */
  question: string;
  /** The question's language. */
  language: 'en' | 'zh';
  /** How it relates to its passage: shares its words, shares few of them, or is in the other language. */
  kind: 'direct' | 'paraphrase' | 'cross-language';
  answerable: true;
  /** Kept out of any tuning: recall is reported for these separately. */
  heldOut: boolean;
  /** Other documents that answer it equally (a translation, a copy in another format). */
  alternatives?: LabelledPassage[];
}

/** A question the corpus cannot answer (an answer must say so rather than cite). */
export interface UnanswerableQuestion {
  id: string;
  question: string;
  language: 'en' | 'zh';
  kind: 'unanswerable';
  answerable: false;
}

/** Any question of questions.json. */
export type KnowledgeQuestion = AnswerableQuestion | UnanswerableQuestion;

/** The questions of questions.json. */
export function loadKnowledgeQuestions(): KnowledgeQuestion[] {
  const file = JSON.parse(readFileSync(join(knowledgeFixtureRoot, 'questions.json'), 'utf8')) as {
    questions: KnowledgeQuestion[];
  };
  return file.questions;
}

/** Only the questions that have an answer in the corpus. */
export function answerableQuestions(questions = loadKnowledgeQuestions()): AnswerableQuestion[] {
  return questions.filter((question): question is AnswerableQuestion => question.answerable);
}

/** The passages that count as answering a question: its own, then its alternatives. */
export function acceptedPassages(question: AnswerableQuestion): LabelledPassage[] {
  return [{ document: question.document, passage: question.passage }, ...(question.alternatives ?? [])];
}

/** Every file under a folder, as `/`-separated paths relative to it, sorted. */
function listFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(folder, path).split(sep).join('/'));
    }
  };
  walk(folder);
  return found.sort();
}

/** The corpus's documents (every file under documents/ but the access.json files). */
export function listKnowledgeDocuments(): string[] {
  return listFiles(knowledgeDocumentsRoot).filter((path) => !path.endsWith(`/${accessFileName}`));
}

/** The folders that have an access.json, relative to documents/, with the principals it names (the folder sync's reading). */
export function listAccessFolders(): Array<{ folder: string; access: FolderAccess }> {
  return listFiles(knowledgeDocumentsRoot)
    .filter((path) => path.endsWith(`/${accessFileName}`))
    .map((path) => ({
      folder: path.slice(0, -accessFileName.length - 1),
      access: parseFolderAccess(readFileSync(join(knowledgeDocumentsRoot, path), 'utf8')),
    }));
}

/** The bytes of a document of the corpus. */
export function readKnowledgeDocument(path: string): Buffer {
  return readFileSync(join(knowledgeDocumentsRoot, path));
}

/** Extract a document of the corpus as Deskmate would (its file name as the hint). */
export function extractKnowledgeDocument(path: string): Promise<ExtractedDocument> {
  return extractDocument(readKnowledgeDocument(path), { name: path.split('/').pop() });
}

/** A document's extracted text, its pieces in order. */
export function extractedText(document: ExtractedDocument): string {
  return document.pieces.map((piece) => piece.text).join('\n\n');
}
