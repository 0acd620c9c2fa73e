/**
 * Recall@k on the labelled knowledge questions, written against the KnowledgeIndex port only, shared by the
 * recall test and the knowledge bench. A question is a hit when one of the first k chunks comes from its
 * labelled document (or an alternative) and contains the labelled passage or overlaps the place (section
 * heading path, page) the passage is in.
 */
import type { KnowledgeChunk, KnowledgeHit } from '../../src/core/knowledge-index';
import { formatCitation } from '../../src/documents/citation';
import type { Locator } from '../../src/documents/document';
import {
  type AnswerableQuestion,
  acceptedPassages,
  extractKnowledgeDocument,
  type LabelledPassage,
} from './fixture-corpus';

/** A labelled passage with the places (as chunk `place` labels, in both languages) of the text that holds it. */
export interface LocatedPassage extends LabelledPassage {
  /** The citation labels, without brackets, of the extracted pieces containing the passage. */
  places: string[];
}

/** Whitespace runs as one space, so a chunker's line joins do not hide a passage. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A locator's place label in both languages (a chunk's language may differ from the piece's). */
function placesOf(locator: Locator): string[] {
  return [formatCitation(locator, 'en').slice(1, -1), formatCitation(locator, 'zh').slice(1, -1)];
}

/** Find where each accepted passage of the questions sits in its document (extracting each document once). */
export async function locatePassages(
  questions: readonly AnswerableQuestion[],
): Promise<Map<string, LocatedPassage[]>> {
  const pieces = new Map<string, Awaited<ReturnType<typeof extractKnowledgeDocument>>['pieces']>();
  const located = new Map<string, LocatedPassage[]>();
  for (const question of questions) {
    const entries: LocatedPassage[] = [];
    for (const label of acceptedPassages(question)) {
      if (!pieces.has(label.document))
        pieces.set(label.document, (await extractKnowledgeDocument(label.document)).pieces);
      const holding = (pieces.get(label.document) ?? []).filter((piece) =>
        squeeze(piece.text).includes(squeeze(label.passage)),
      );
      entries.push({ ...label, places: holding.flatMap((piece) => placesOf(piece.locator)) });
    }
    located.set(question.id, entries);
  }
  return located;
}

/** Whether a chunk answers a located passage: same document, and the passage in it or the same place. */
export function chunkAnswers(
  chunk: KnowledgeChunk,
  document: string | undefined,
  passage: LocatedPassage,
): boolean {
  if (document !== passage.document) return false;
  return squeeze(chunk.text).includes(squeeze(passage.passage)) || passage.places.includes(chunk.place);
}

/** The rank (1-based) of the first hit that answers the question, or undefined when none of them does. */
export function firstAnsweringRank(
  hits: readonly KnowledgeHit[],
  passages: readonly LocatedPassage[],
  documentOf: (hit: KnowledgeHit) => string | undefined,
): number | undefined {
  const index = hits.findIndex((hit) =>
    passages.some((passage) => chunkAnswers(hit.chunk, documentOf(hit), passage)),
  );
  return index === -1 ? undefined : index + 1;
}

/** Recall of a group of questions: hits over questions (NaN for an empty group). */
export interface RecallFigure {
  hits: number;
  questions: number;
  recall: number;
  /** The ids of the questions missed. */
  missed: string[];
}

/** Recall over some questions, from each question's first answering rank (undefined: missed). */
export function recallOf(
  questions: readonly AnswerableQuestion[],
  ranks: ReadonlyMap<string, number | undefined>,
  cutoff: number,
): RecallFigure {
  const missed = questions.filter((question) => {
    const rank = ranks.get(question.id);
    return rank === undefined || rank > cutoff;
  });
  const hits = questions.length - missed.length;
  return {
    hits,
    questions: questions.length,
    recall: questions.length ? hits / questions.length : Number.NaN,
    missed: missed.map((question) => question.id),
  };
}
