import type { KnowledgeChunk } from '../../core/knowledge-index';
import { formatCitation } from '../../documents/citation';
import type { ExtractedDocument } from '../../documents/document';
import { detectLanguage } from '../../text/language';

/**
 * The chunks of an extracted document: one per piece, with its heading path and place. A stand-in until the
 * knowledge engine's own chunking lands (src/knowledge on the knowledge-index branch); then that is used.
 */
export function chunksOfDocument(sourceId: string, document: ExtractedDocument): KnowledgeChunk[] {
  return document.pieces
    .filter((piece) => piece.text.trim().length > 0)
    .map((piece, index) => ({
      id: `${sourceId}#${index}`,
      sourceId,
      text: piece.text,
      headingPath: piece.locator.kind === 'section' ? piece.locator.path : [],
      place: formatCitation(piece.locator, 'en').slice(1, -1),
      language: detectLanguage(piece.text),
    }));
}
