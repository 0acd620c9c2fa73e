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

/** Longest tail held back while a tag (`<!here>`, `<at user_id="all">…</at>`) may still be closing. */
const maxHeldTagCharacters = 256;

/** Where the part of a growing text begins that could still turn into a mass mention when more arrives. */
function unsettledFrom(text: string): number {
  let from = text.length;
  const lower = text.toLowerCase();
  const openTag = lower.lastIndexOf('<');
  if (openTag >= 0 && !lower.includes('>', openTag)) from = openTag;
  const atTag = lower.lastIndexOf('<at');
  if (atTag >= 0 && !lower.includes('</at>', atTag)) from = Math.min(from, atTag);
  if (text.length - from > maxHeldTagCharacters) from = text.length;
  const word = /@[\p{L}\p{N}_]*$/u.exec(text);
  return word ? Math.min(from, word.index) : from;
}

/**
 * The part of a growing text (a streamed answer) that is safe to show now, mass mentions neutralized: a
 * tail that could still become one (`@chan`, `<!her`) waits for the next piece, so no mention is ever
 * shown split across two pieces.
 */
export function settledText(text: string): string {
  return neutralizeMassMentions(text.slice(0, unsettledFrom(text)));
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

/** Text direction overrides and isolates: they flip how the rest of a line shows (a due date, a time). */
const directionControlPattern = /[\u202A-\u202E\u2066-\u2069]/gu;

/** Remove the direction controls from text Deskmate keeps and shows again (a todo, a meeting title). */
export function removeDirectionControls(text: string): string {
  return text.replace(directionControlPattern, '');
}

/** Remove invisible characters a message could use to smuggle instructions past its readers. */
export function removeInvisibleCharacters(text: string): string {
  return text.replace(invisiblePattern, '');
}
