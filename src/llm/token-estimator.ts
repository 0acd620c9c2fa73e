/**
 * Token estimates without a tokenizer download.
 *
 * Modern BPE tokenizers (cl100k/o200k, Claude's) spend about one token per CJK character (a little more
 * for rare ones, a little less for common pairs), about 4 characters per token for English prose, and
 * about one token per punctuation mark or digit group. The estimator counts those classes separately.
 */

/** Kana, CJK ideographs (with extension A and compatibility ideographs) and Hangul: about a token each. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

/** CJK and full-width punctuation: a token each (other symbols often merge with a neighbour). */
function isCjkPunctuation(code: number): boolean {
  return (code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xffef);
}

const letterOrNumberPattern = /[\p{L}\p{N}]/u;
const whitespacePattern = /\s/u;

/** A letter or digit: ASCII by range, the rest by Unicode property. */
function isLetterOrNumber(code: number, character: string): boolean {
  if (code < 0x80) {
    return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  }
  return letterOrNumberPattern.test(character);
}

/** Whitespace: ASCII by value, the rest by Unicode property. */
function isWhitespace(code: number, character: string): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return whitespacePattern.test(character);
}

/** Estimated token count of a text, within about ±15% for English and Chinese. */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let cjkCharacters = 0;
  let latinRunCharacters = 0;
  let latinWords = 0;
  let symbols = 0;
  let inWord = false;
  // By code point, classified by range first: a regular expression per character was most of the cost.
  for (let index = 0; index < text.length; index += 1) {
    const code = text.codePointAt(index) ?? 0;
    const wide = code > 0xffff;
    const character = wide || code >= 0x80 ? String.fromCodePoint(code) : '';
    if (wide) index += 1;
    if (isCjk(code)) {
      cjkCharacters += 1;
      inWord = false;
    } else if (isLetterOrNumber(code, character)) {
      latinRunCharacters += 1;
      if (!inWord) latinWords += 1;
      inWord = true;
    } else if (isWhitespace(code, character)) {
      inWord = false;
    } else {
      symbols += isCjkPunctuation(code) ? 1 : 0.6;
      inWord = false;
    }
  }
  // English: a word is ~1.3 tokens and long words split further; chars/4 agrees on prose.
  const latinTokens = Math.max(latinWords, (latinRunCharacters + latinWords) / 4.6);
  return Math.max(1, Math.round(cjkCharacters * 1.1 + latinTokens + symbols));
}
