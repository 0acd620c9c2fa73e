/**
 * Token estimates without a tokenizer download.
 *
 * Modern BPE tokenizers (cl100k/o200k, Claude's) spend about one token per CJK character (a little more
 * for rare ones, a little less for common pairs), about 4 characters per token for English prose, and
 * about one token per punctuation mark or digit group. The estimator counts those classes separately.
 */

const cjkPattern = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;
const cjkPunctuationPattern = /[\u3000-\u303f\uff00-\uffef]/u;

/** Estimated token count of a text, within about ±15% for English and Chinese. */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let cjkCharacters = 0;
  let latinRunCharacters = 0;
  let latinWords = 0;
  let symbols = 0;
  let inWord = false;
  for (const character of text) {
    if (cjkPattern.test(character)) {
      cjkCharacters += 1;
      inWord = false;
    } else if (/[\p{L}\p{N}]/u.test(character)) {
      latinRunCharacters += 1;
      if (!inWord) latinWords += 1;
      inWord = true;
    } else if (/\s/u.test(character)) {
      inWord = false;
    } else {
      symbols += cjkPunctuationPattern.test(character) ? 1 : 0.6;
      inWord = false;
    }
  }
  // English: a word is ~1.3 tokens and long words split further; chars/4 agrees on prose.
  const latinTokens = Math.max(latinWords, (latinRunCharacters + latinWords) / 4.6);
  return Math.max(1, Math.round(cjkCharacters * 1.1 + latinTokens + symbols));
}
