import type { KnowledgeChunk } from '../core/knowledge-index';
import { formatCitation } from '../documents/citation';
import type { ExtractedDocument, Locator } from '../documents/document';
import { estimateTokens } from '../llm/token-estimator';
import { detectLanguage, type Language } from '../text/language';

/** How big chunks are: a few hundred tokens, so a search hit is a passage, not a whole chapter. */
export interface ChunkSizes {
  /** A chunk is cut before it passes this many estimated tokens. */
  maxTokens: number;
}

/** The default size: about 400 tokens (roughly 300 English words, or 360 Chinese characters). */
export const defaultChunkSizes: ChunkSizes = { maxTokens: 400 };

/** A locator's citation label without its brackets, in the text's own language: `p. 3`, `§ Budget › Q3`. */
export function placeOf(locator: Locator, language: Language): string {
  return formatCitation(locator, language).slice(1, -1);
}

/** A sentence with its end mark (`.!?`, or a Chinese full stop, question, exclamation mark or semicolon) and the space after it. */
const sentencePattern = /[^.!?。！？；]*[.!?。！？；]+\s*|[^.!?。！？；]+$/gu;

/** Cut a text into parts of at most `maxTokens`: at paragraphs, then sentences, then characters. */
function splitText(text: string, maxTokens: number): string[] {
  if (estimateTokens(text) <= maxTokens) return [text];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  const units = text
    .split(/\n{2,}/)
    .flatMap((paragraph) =>
      estimateTokens(paragraph) <= maxTokens
        ? [`${paragraph}\n\n`]
        : [...(paragraph.match(sentencePattern) ?? [paragraph]), '\n\n'].flatMap((sentence) =>
            splitLong(sentence, maxTokens),
          ),
    );
  for (const unit of units) {
    if (current && estimateTokens(current + unit) > maxTokens) push();
    current += unit;
  }
  push();
  return parts;
}

/** A sentence longer than a chunk (a table row, a run of characters): cut by characters. */
function splitLong(text: string, maxTokens: number): string[] {
  const tokens = estimateTokens(text);
  if (tokens <= maxTokens) return [text];
  const pieces = Math.ceil(tokens / maxTokens);
  const size = Math.ceil(text.length / pieces);
  const cut: string[] = [];
  for (let start = 0; start < text.length; start += size) cut.push(text.slice(start, start + size));
  return cut;
}

/** Whether two locators name the same place (pieces of one long section share one). */
function samePlace(left: Locator, right: Locator): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Cut an extracted document into chunks for the knowledge index: chunks follow the document's sections,
 * pages, slides, sheets and times (a chunk never spans two places, so its citation is exact), keep the
 * heading path, and hold at most `maxTokens` estimated tokens each. Chunk ids are `<source id>#<ordinal>`.
 */
export function chunkDocument(
  sourceId: string,
  document: ExtractedDocument,
  sizes: ChunkSizes = defaultChunkSizes,
): KnowledgeChunk[] {
  // Consecutive pieces of one place (a long section cut by the extractor) are joined before chunking.
  const places: Array<{ locator: Locator; text: string }> = [];
  for (const piece of document.pieces) {
    const last = places[places.length - 1];
    if (last && samePlace(last.locator, piece.locator)) last.text += `\n\n${piece.text}`;
    else places.push({ locator: piece.locator, text: piece.text });
  }
  const documentLanguage = detectLanguage(places.map((place) => place.text).join('\n'));
  const chunks: KnowledgeChunk[] = [];
  for (const place of places) {
    for (const text of splitText(place.text, sizes.maxTokens)) {
      const language = detectLanguage(text, documentLanguage);
      chunks.push({
        id: `${sourceId}#${chunks.length}`,
        sourceId,
        text,
        headingPath: place.locator.kind === 'section' ? [...place.locator.path] : [],
        place: placeOf(place.locator, language),
        language,
      });
    }
  }
  return chunks;
}
