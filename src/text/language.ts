/** The languages Deskmate answers in. */
export type Language = 'en' | 'zh';

const hanPattern = /\p{Script=Han}/gu;
const latinWordPattern = /[A-Za-z]+/g;
const linkPattern = /\bhttps?:\/\/\S+/giu;

/** Full-width punctuation only a Chinese input method types (`？`, `。`, `！`, `，`). */
const chinesePunctuationPattern = /[\u3000-\u303f\uff01\uff0c\uff1a\uff1b\uff1f]/u;

/**
 * The language a text says it is in, or undefined when it does not say (`OK`, `LGTM`, `1`, `👍`: no Han and at
 * most four Latin letters). Chinese when Han characters outweigh Latin words (links aside); bare Chinese
 * punctuation (`？`) is Chinese.
 */
function languageSaid(request: string): Language | undefined {
  // A pasted link is not the person's words: `总结 https://applink.feishu.cn/…` is a Chinese request.
  const text = request.replace(linkPattern, ' ');
  const han = text.match(hanPattern)?.length ?? 0;
  const latinWords = text.match(latinWordPattern) ?? [];
  if (han > 0) return han >= latinWords.length ? 'zh' : 'en';
  if (latinWords.length === 0 && chinesePunctuationPattern.test(text)) return 'zh';
  return latinWords.join('').length <= 4 ? undefined : 'en';
}

/** The language of a request; text that does not say gets the fallback (a conversation's language, or English). */
export function detectLanguage(request: string, fallback: Language = 'en'): Language {
  return languageSaid(request) ?? fallback;
}

/** The language a conversation was last in: the latest remembered words of a person that say one, else the fallback. */
export function languageOfTurns(
  turns: ReadonlyArray<{ role: string; text: string }>,
  fallback: Language = 'en',
): Language {
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const said = turns[index].role === 'user' ? languageSaid(turns[index].text) : undefined;
    if (said) return said;
  }
  return fallback;
}
