import { dirname, join } from 'node:path';
import type * as PdfJs from 'unpdf/pdfjs' with { 'resolution-mode': 'import' };
import type { DocumentPiece, ExtractedDocument } from './document';
import { corruptError, encryptedError, isDocumentError, scannedError } from './document-error';
import { type ExtractionContext, pageLimitNote } from './extraction-context';

let pdfJs: typeof PdfJs | undefined;

/**
 * PDF.js (unpdf's serverless build: one ES module with its worker inside, ~0.5 s and ~20 MB to load) is loaded
 * on first use, never at start-up. It is ESM-only: Node ≥ 20.19 require()s it; jest transforms that one file.
 */
function loadPdfJs(): typeof PdfJs {
  pdfJs ??= require(join(dirname(require.resolve('unpdf')), 'pdfjs.mjs')) as typeof PdfJs;
  return pdfJs;
}

/** A page's text from PDF.js's text items: line ends kept, runs of spaces collapsed, blank lines squeezed. */
function pageText(items: Array<{ str?: string; hasEOL?: boolean }>): string {
  let text = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Turn PDF.js's failures into document errors: a password, or a damaged file. */
function pdfError(error: unknown): Error {
  if (isDocumentError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return encryptedError('pdf', error);
  return corruptError('pdf', error);
}

/** One piece per page with text (`{ kind: 'page', page }`), up to the page limit; no text at all is a scan. */
export async function extractPdf(bytes: Uint8Array, context: ExtractionContext): Promise<ExtractedDocument> {
  const { deadline, budget, limits } = context;
  const loadingTask = loadPdfJs().getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
  });
  const stop = () => void loadingTask.destroy();
  try {
    const pdf = await deadline.race(loadingTask.promise, stop);
    const pageCount = pdf.numPages;
    const readPages = Math.min(pageCount, limits.maxPages);
    const pieces: DocumentPiece[] = [];
    let pagesWithText = 0;
    for (let number = 1; number <= readPages && !budget.exhausted; number++) {
      const page = await deadline.race(pdf.getPage(number), stop);
      const content = await deadline.race(page.getTextContent(), stop);
      const text = pageText(content.items as Array<{ str?: string; hasEOL?: boolean }>);
      page.cleanup();
      if (text) {
        pagesWithText++;
        const kept = budget.take(text);
        if (kept) pieces.push({ text: kept, locator: { kind: 'page', page: number } });
      }
      await deadline.pause();
    }
    if (pageCount === 0) throw corruptError('pdf', new Error('no pages'));
    if (pagesWithText === 0) throw scannedError(pageCount);
    if (pageCount > readPages) context.notes.push(pageLimitNote(pageCount, readPages, 'page'));
    return { type: 'pdf', pieces, notes: context.notes, pageCount };
  } catch (error) {
    throw pdfError(error);
  } finally {
    stop();
  }
}
