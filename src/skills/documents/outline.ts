import type { Locator } from '../../documents/document';
import type { Language } from '../../text/language';
import { neutralizeMassMentions, removeInvisibleCharacters } from '../../text/sanitize';
import type { NumberedPiece } from './document-text';

/** Most entries an outline lists. */
const maxEntries = 15;
/** Longest first sentence shown. */
const maxSentence = 160;

const wording = {
  en: { more: (count: number) => `…and ${count} more parts.`, start: 'Start' },
  zh: { more: (count: number) => `……另有 ${count} 个部分。`, start: '开头' },
};

/** The first sentence of a text (or its first line when it has no sentence end), shortened. */
export function firstSentence(text: string): string {
  const line = removeInvisibleCharacters(text).replace(/\s+/g, ' ').trim();
  const match = /^(.+?[.!?。！？])(\s|$)/u.exec(line);
  const sentence = match ? match[1] : line;
  return sentence.length > maxSentence ? `${sentence.slice(0, maxSentence - 1)}…` : sentence;
}

/** The text of a piece without its headings (`# Budget` lines of a section piece). */
function bodyOf(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^#{1,6}\s/.test(line))
    .join('\n')
    .trim();
}

/** What an outline entry is called: a section's heading, a slide's title, a sheet's header row; none for a page. */
function headingOf(locator: Locator, text: string, language: Language): { title?: string; rest: string } {
  switch (locator.kind) {
    case 'section':
      return { title: locator.path.at(-1) ?? wording[language].start, rest: bodyOf(text) };
    case 'slide': {
      const [title, ...rest] = text.split('\n');
      return { title: title.trim(), rest: rest.join('\n') };
    }
    case 'sheet': {
      const [header] = text.split('\n');
      return { title: locator.sheet, rest: header.replace(/^\d+:\s*/, '') };
    }
    case 'time':
      // The first line starts with the time the citation shows already.
      return { rest: text.replace(/^\d+:\d{2}(?::\d{2})?\s+/, '') };
    default:
      return { rest: text };
  }
}

/**
 * An outline made without a model: each part's heading (section, slide title, sheet) and first sentence,
 * cited by piece number like a model summary (`[n]`, turned into places later), parts with the same place
 * listed once.
 */
export function documentOutline(pieces: readonly NumberedPiece[], language: Language): string {
  const seen = new Set<string>();
  const entries: string[] = [];
  let skipped = 0;
  for (const { number, piece } of pieces) {
    const place = JSON.stringify(piece.locator);
    if (seen.has(place)) continue;
    seen.add(place);
    if (entries.length >= maxEntries) {
      skipped += 1;
      continue;
    }
    const { title, rest } = headingOf(piece.locator, piece.text, language);
    const sentence = firstSentence(rest);
    const shown = [title ? `**${firstSentence(title)}**` : '', sentence].filter(Boolean).join(': ');
    if (shown) entries.push(`- ${neutralizeMassMentions(shown)} [${number}]`);
  }
  if (skipped > 0) entries.push(wording[language].more(skipped));
  return entries.join('\n');
}
