/** The languages Deskmate answers in. */
export type Language = 'en' | 'zh';

const hanPattern = /\p{Script=Han}/gu;
const latinWordPattern = /[A-Za-z]+/g;

/** The language of a request: Chinese when Han characters outweigh Latin words, else English. */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  const han = text.match(hanPattern)?.length ?? 0;
  const latinWords = text.match(latinWordPattern)?.length ?? 0;
  if (han === 0 && latinWords === 0) return fallback;
  return han > 0 && han >= latinWords ? 'zh' : 'en';
}
