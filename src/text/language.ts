/** The languages Deskmate answers in. */
export type Language = 'en' | 'zh';

const hanPattern = /\p{Script=Han}/gu;
const latinWordPattern = /[A-Za-z]+/g;
const linkPattern = /\bhttps?:\/\/\S+/giu;

/** The language of a request: Chinese when Han characters outweigh Latin words (links aside), else English. */
export function detectLanguage(request: string, fallback: Language = 'en'): Language {
  // A pasted link is not the person's words: `总结 https://applink.feishu.cn/…` is a Chinese request.
  const text = request.replace(linkPattern, ' ');
  const han = text.match(hanPattern)?.length ?? 0;
  const latinWords = text.match(latinWordPattern)?.length ?? 0;
  if (han === 0 && latinWords === 0) return fallback;
  return han > 0 && han >= latinWords ? 'zh' : 'en';
}
