import { type NumberedPiece, pieceTokens } from '../documents/document-text';

/** Words too common to tell pieces apart. */
const stopWords = new Set(
  'a an and are as at be by can could did do does for from has have how i in is it its me my of on or our should so that the their them there these this to was we were what when where which who why will with would you your 吗 的 了 是 在 和 呢 吧 什么 怎么 哪些 多少'.split(
    ' ',
  ),
);

/** The terms of a text: Latin words and numbers, and Chinese as overlapping pairs of characters. */
export function termsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const words = (lower.match(/[\p{Script=Latin}\p{N}][\p{Script=Latin}\p{N}'-]*/gu) ?? []).filter(
    (word) => word.length > 1 && !stopWords.has(word),
  );
  const pairs: string[] = [];
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1 && !stopWords.has(run)) pairs.push(run);
    for (let index = 0; index + 1 < run.length; index += 1) pairs.push(run.slice(index, index + 2));
  }
  return [...words, ...pairs.filter((pair) => !stopWords.has(pair))];
}

/**
 * The pieces to answer a question from, within a token budget: all of them when they fit; otherwise the
 * pieces sharing the most (and rarest) terms with the question, returned in reading order. A piece that
 * shares no term is left out; when none does, the first pieces are sent (an overview question).
 */
export function selectPieces(
  pieces: readonly NumberedPiece[],
  question: string,
  budgetTokens: number,
): NumberedPiece[] {
  const sizes = pieces.map(pieceTokens);
  if (sizes.reduce((sum, size) => sum + size, 0) <= budgetTokens) return [...pieces];
  const wanted = [...new Set(termsOf(question))];
  const pieceTerms = pieces.map((entry) => new Set(termsOf(entry.piece.text)));
  const weight = new Map(
    wanted.map((term) => {
      const containing = pieceTerms.filter((terms) => terms.has(term)).length;
      return [term, Math.log(1 + pieces.length / (1 + containing))];
    }),
  );
  const scored = pieces
    .map((_entry, index) => ({
      index,
      score: wanted.reduce(
        (sum, term) => sum + (pieceTerms[index].has(term) ? (weight.get(term) ?? 0) : 0),
        0,
      ),
    }))
    .filter((entry) => entry.score > 0)
    .sort((left, right) => right.score - left.score || left.index - right.index);
  const order = scored.length > 0 ? scored.map((entry) => entry.index) : pieces.map((_, index) => index);
  const chosen: number[] = [];
  let used = 0;
  for (const index of order) {
    if (used + sizes[index] > budgetTokens) {
      if (chosen.length === 0) chosen.push(index);
      continue;
    }
    chosen.push(index);
    used += sizes[index];
  }
  return chosen.sort((left, right) => left - right).map((index) => pieces[index]);
}
