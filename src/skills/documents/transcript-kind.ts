import type { ExtractedDocument } from '../../documents/document';

/** `12:04 Alice: …`, `[00:12:04] 王芳：…`, `Bob: …`: a line someone said. */
const spokenLine =
  /^(?:[[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s+)?[^\s:：#>*-][^:：\n]{0,30}(?::\s|：)\s*\S/u;

/** Share of a text file's lines that must read as spoken lines for it to count as a transcript. */
const spokenShare = 0.6;
/** Fewest spoken lines a text transcript has. */
const minimumLines = 4;

/**
 * Whether a document is a meeting transcript: WebVTT and SRT always; a plain text file when most of its lines
 * read `Speaker: words` (with or without a time first).
 */
export function isTranscript(document: ExtractedDocument): boolean {
  if (document.type === 'vtt' || document.type === 'srt') return true;
  if (document.type !== 'text') return false;
  const lines = document.pieces
    .flatMap((piece) => piece.text.split('\n'))
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length < minimumLines) return false;
  const spoken = lines.filter((line) => spokenLine.test(line)).length;
  return spoken >= minimumLines && spoken / lines.length >= spokenShare;
}
