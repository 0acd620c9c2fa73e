import { chunkUnderBudget } from '../../llm/token-budget';
import {
  callModel,
  mapWithConcurrency,
  reduceNotes,
  type SummaryBudget,
  type SummaryCall,
} from '../summarize/map-reduce';
import { fencedDocument, type NumberedPiece, pieceTokens } from './document-text';

/** The prompts of one kind of document answer: one pass, notes on a part, and merging the notes. */
export interface PiecePrompts {
  /** The whole document in one call. */
  single: string;
  /** Notes on one part of a long document (variables `part`, `parts`, `documentKind`). */
  chunk: string;
  /** Merge the notes of every part. */
  merge: string;
  /** What the document is, for the notes prompt (`document`, `meeting transcript`). */
  documentKind: string;
}

/**
 * Summarize numbered pieces of a document with `[n]` citations: one call when they fit the budget, else notes
 * on consecutive parts (in parallel, each fenced and tool-free) merged into one answer. The pieces are the
 * document's own text: nothing but the prompt and the fence is added to them.
 */
export async function summarizePieces(
  pieces: NumberedPiece[],
  name: string,
  call: SummaryCall,
  budget: SummaryBudget,
  prompts: PiecePrompts,
): Promise<string> {
  const variables = { documentKind: prompts.documentKind };
  const total = pieces.reduce((sum, entry) => sum + pieceTokens(entry), 0);
  if (total <= budget.chunkTokens) {
    return callModel(call, prompts.single, variables, fencedDocument(pieces, name));
  }
  const chunks = chunkUnderBudget(pieces, budget.chunkTokens, pieceTokens);
  const notes = await mapWithConcurrency(chunks, budget.concurrency, (chunk, index) =>
    callModel(
      call,
      prompts.chunk,
      { ...variables, part: String(index + 1), parts: String(chunks.length) },
      fencedDocument(chunk, name),
    ),
  );
  return reduceNotes(notes, call, budget, prompts.merge);
}
