/** Mass mentions in any platform's syntax, matched case-insensitively. */
const massMentionPatterns: Array<[RegExp, string]> = [
  [/<!(channel|here|everyone)(\|[^>]*)?>/gi, '@\u200b$1'],
  [/<at\s+user_id\s*=\s*["']?all["']?\s*>[^<]*<\/at>/gi, '@\u200ball'],
  [/(^|[^\w\u200b])@(channel|here|everyone|all|所有人|全体成员)(?![\w])/giu, '$1@\u200b$2'],
];

/** Neutralize mass mentions (`<!channel>`, `@here`, `@all`, `@所有人`): they read the same but notify nobody. */
export function neutralizeMassMentions(text: string): string {
  return massMentionPatterns.reduce(
    (result, [pattern, replacement]) => result.replace(pattern, replacement),
    text,
  );
}

const urlPattern = /\bhttps?:\/\/[^\s<>()\]）】"'`]+/giu;

/** Every http(s) URL in a text. */
export function findUrls(text: string): string[] {
  return [...text.matchAll(urlPattern)].map((match) => match[0].replace(/[.,;:!?。，；：！？]+$/u, ''));
}

/** Remove URLs that are not in the allowed set (a model must not add links that were not in its sources). */
export function removeForeignUrls(
  text: string,
  allowed: ReadonlySet<string>,
  placeholder = '[link removed]',
): string {
  return text.replace(urlPattern, (match) => {
    const url = match.replace(/[.,;:!?。，；：！？]+$/u, '');
    const tail = match.slice(url.length);
    return allowed.has(url) ? match : `${placeholder}${tail}`;
  });
}

/** Characters that hide text from people but not from models (Unicode tag block, zero-width, bidi controls). */
const invisiblePattern = /[\u{E0000}-\u{E007F}\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Remove invisible characters a message could use to smuggle instructions past its readers. */
export function removeInvisibleCharacters(text: string): string {
  return text.replace(invisiblePattern, '');
}
