import type { KnowledgeHit, KnowledgeSource } from '../../core/knowledge-index';
import {
  findUrls,
  neutralizeMassMentions,
  removeForeignUrls,
  removeInvisibleCharacters,
} from '../../text/sanitize';
import { citedPieceNumbers } from '../documents/document-text';

/** The fence tags, which no text inside may open or close. */
const fenceTag = /<\/?(knowledge|excerpt|question)\b[^>]*>/gi;

/** What a citation of a chunk says: its source's title and its place (`Expenses policy § Travel`). */
export function placeLabel(source: KnowledgeSource, place: string): string {
  const title = source.title.replace(/[[\]<>|\n\r]/g, ' ').trim();
  if (!place) return title;
  return place.startsWith('§') ? `${title} ${place}` : `${title}, ${place}`;
}

/** A source as a line of a list: its title, linked when it has a link. */
export function sourceLine(source: KnowledgeSource): string {
  const title = source.title.replace(/[[\]<>|\n\r]/g, ' ').trim();
  return source.link ? `[${title}](${source.link})` : title;
}

/**
 * The retrieved chunks as fenced, untrusted data for the prompt: `<knowledge>` tags nothing inside can
 * close, each excerpt headed by its number (from 1), its document and its place.
 */
export function fencedExcerpts(hits: readonly KnowledgeHit[]): string {
  const entries = hits.map((hit, index) => {
    const text = removeInvisibleCharacters(hit.chunk.text).replace(fenceTag, '[tag removed]').trim();
    const title = hit.source.title.replace(/[<>\n\r]/g, ' ').slice(0, 120);
    return `[${index + 1}] ${title} — ${hit.chunk.place}\n${text}`;
  });
  return `<knowledge>\n${entries.join('\n\n')}\n</knowledge>`;
}

/** The citation numbers of an answer that name an excerpt it was given (1 to `given`). */
export function validCitations(answer: string, given: number): number[] {
  return citedPieceNumbers(answer).filter((number) => number >= 1 && number <= given);
}

/** Where a citation naming no given excerpt was taken out, until the text around it is tidied. */
const removedMark = '\u0000';
/** A comma or a connective that joins citations (`[1], and [2]`, `[1]、[2]`). */
const connective = String.raw`(?:\s*(?:[,，、;；]|\band\b|\bor\b|和|以及|及|或))`;

/**
 * The answer with each `[n]` turned into a link to its source and place (`[Expenses policy § Travel](link)`;
 * adapters render it as their platform's link), numbers that name no given excerpt removed, a citation
 * repeated right after itself dropped, URLs found neither in the excerpts nor as a source's link removed,
 * and mass mentions neutralized.
 */
export function linkKnowledgeCitations(answer: string, hits: readonly KnowledgeHit[]): string {
  const allowedUrls = new Set(hits.flatMap((hit) => findUrls(hit.chunk.text)));
  for (const hit of hits) if (hit.source.link) allowedUrls.add(hit.source.link);
  const grouped = removeForeignUrls(answer.replaceAll(removedMark, ''), allowedUrls).replace(
    /\[(\d+(?:\s*[,，、]\s*\d+)+)\]/g,
    (_whole, list: string) =>
      list
        .split(/\s*[,，、]\s*/)
        .map((number) => `[${number}]`)
        .join(''),
  );
  let previous = { label: '', end: -1 };
  const linked = grouped.replace(
    /(\s?)\[(\d+)\](?!\()/g,
    (whole: string, space: string, digits: string, offset: number) => {
      const hit = hits[Number(digits) - 1];
      if (!hit) return removedMark;
      const label = placeLabel(hit.source, hit.chunk.place);
      const repeated = label === previous.label && offset === previous.end;
      previous = { label, end: offset + whole.length };
      if (repeated) return '';
      return `${space}${hit.source.link ? `[${label}](${hit.source.link})` : `[${label}]`}`;
    },
  );
  return neutralizeMassMentions(tidyRemovals(linked).replace(/[ \t]+$/gm, ''));
}

/**
 * The text around removed citations tidied: a run of them joined by commas or connectives is one, brackets
 * holding only a removed one go, and a comma or connective left before it at a clause's end goes too
 * (`Also see [7], and [8].` is `Also see.`, not `Also see, and.`).
 */
function tidyRemovals(text: string): string {
  return text
    .replace(new RegExp(`${removedMark}(?:${connective}*\\s*${removedMark})+`, 'g'), removedMark)
    .replace(new RegExp(`\\s*[(（]\\s*${removedMark}\\s*[)）]`, 'g'), '')
    .replace(new RegExp(`${connective}+\\s*${removedMark}(?=\\s*(?:[.。!！?？;；:：)）]|$))`, 'gm'), '')
    .replaceAll(removedMark, '');
}

/** The distinct sources of some hits, in order of their first hit. */
export function distinctSources(hits: readonly KnowledgeHit[]): KnowledgeSource[] {
  const seen = new Map<string, KnowledgeSource>();
  for (const hit of hits) if (!seen.has(hit.source.id)) seen.set(hit.source.id, hit.source);
  return [...seen.values()];
}
