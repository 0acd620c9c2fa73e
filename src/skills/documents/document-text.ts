import { formatCitation } from '../../documents/citation';
import type { DocumentPiece, Locator } from '../../documents/document';
import { estimateTokens } from '../../llm/token-estimator';
import type { Language } from '../../text/language';
import {
  findUrls,
  neutralizeMassMentions,
  removeForeignUrls,
  removeInvisibleCharacters,
} from '../../text/sanitize';

/** A piece of a document with the number the model cites it by (1-based, in reading order). */
export interface NumberedPiece {
  /** The number the model cites as `[n]`. */
  number: number;
  /** The piece: its text and where it is. */
  piece: DocumentPiece;
}

/** What a reply needs to turn `[n]` into a place in the document: the number and its locator. */
export interface PieceCitation {
  /** Citation number. */
  number: number;
  /** Where the piece is. */
  locator: Locator;
}

/** Number the pieces of a document from 1. */
export function numberPieces(pieces: readonly DocumentPiece[]): NumberedPiece[] {
  return pieces.map((piece, index) => ({ number: index + 1, piece }));
}

/** The place of a piece as the model reads it (English, short): `p. 3`, `slide 4`, `§ Budget › Q3`, `12:04`. */
function placeOf(locator: Locator): string {
  return formatCitation(locator, 'en').slice(1, -1);
}

/** The fence tags, which no text inside may open or close. */
const fenceTag = /<\/?(document|excerpt)\b[^>]*>/gi;

/** One piece as the model reads it: its number and place on one line, then its text. */
export function pieceEntry({ number, piece }: NumberedPiece): string {
  const text = removeInvisibleCharacters(piece.text).replace(fenceTag, '[tag removed]').trim();
  return `[${number}] ${placeOf(piece.locator)}\n${text}`;
}

/** Estimated tokens of a piece as sent. */
export function pieceTokens(entry: NumberedPiece): number {
  return estimateTokens(pieceEntry(entry)) + 2;
}

/**
 * The pieces as fenced, untrusted data for a prompt: `<document>` tags nothing inside can close, each piece
 * headed by its number and place. The name is the file's, reduced to harmless characters.
 */
export function fencedDocument(pieces: readonly NumberedPiece[], name: string): string {
  const safeName = name.replace(/["<>\n\r]/g, '').slice(0, 120);
  return `<document name="${safeName}">\n${pieces.map(pieceEntry).join('\n\n')}\n</document>`;
}

/** The citation numbers a text uses, grouped forms (`[3, 5]`) included. */
export function citedPieceNumbers(markdown: string): number[] {
  return [...expandGroups(markdown).matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

/** `[3, 5]` and `[3，5]` as `[3][5]`. */
function expandGroups(markdown: string): string {
  return markdown.replace(/\[(\d+(?:\s*[,，、]\s*\d+)+)\]/g, (_whole, list: string) =>
    list
      .split(/\s*[,，、]\s*/)
      .map((number) => `[${number}]`)
      .join(''),
  );
}

/**
 * Turn the model's `[n]` citations into places in the document (`[p. 3]`, `[§ Budget]`, `[12:04]`, in the
 * asker's language), linked to the file where the platform has a link; drop numbers that match no piece
 * given to the model (never an invented place), a place repeated right after itself, URLs that appear
 * neither in the document nor as its link, and mass mentions.
 */
export function linkPieceCitations(
  markdown: string,
  citations: readonly PieceCitation[],
  options: { language: Language; link?: string; sourceTexts: readonly string[] },
): string {
  const byNumber = new Map(citations.map((entry) => [entry.number, entry.locator]));
  const allowedUrls = new Set(options.sourceTexts.flatMap(findUrls));
  if (options.link) allowedUrls.add(options.link);
  const withoutForeignUrls = removeForeignUrls(markdown, allowedUrls);
  let previous = { label: '', end: -1 };
  const linked = expandGroups(withoutForeignUrls).replace(
    /(\s?)\[(\d+)\](?!\()/g,
    (whole: string, space: string, digits: string, offset: number) => {
      const locator = byNumber.get(Number(digits));
      if (!locator) return '';
      const label = formatCitation(locator, options.language);
      // `[p. 3][p. 3]` reads as one citation: pieces of one long section share their place.
      const repeated = label === previous.label && offset === previous.end;
      previous = { label, end: offset + whole.length };
      if (repeated) return '';
      return `${space}${options.link ? `[${label}](${options.link})` : label}`;
    },
  );
  return neutralizeMassMentions(linked.replace(/[ \t]+$/gm, ''));
}

/** The citations of the pieces a text cites, for caching and rendering it again later. */
export function citationsOf(markdown: string, pieces: readonly NumberedPiece[]): PieceCitation[] {
  const cited = new Set(citedPieceNumbers(markdown));
  return pieces
    .filter((entry) => cited.has(entry.number))
    .map((entry) => ({ number: entry.number, locator: entry.piece.locator }));
}
