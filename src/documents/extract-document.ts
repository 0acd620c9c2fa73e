import { Deadline } from './deadline';
import { type DocumentHints, sniffDocument, zipDocumentType } from './detect-type';
import type { DocumentType, ExtractedDocument } from './document';
import { corruptError, isDocumentError, tooLargeError } from './document-error';
import { extractCsv } from './extract-csv';
import { extractDocx } from './extract-docx';
import { extractHtml } from './extract-html';
import { extractMarkdown } from './extract-markdown';
import { extractPdf } from './extract-pdf';
import { extractPptx } from './extract-pptx';
import { extractTranscript } from './extract-transcript';
import { extractXlsx } from './extract-xlsx';
import type { ExtractionContext } from './extraction-context';
import { type DocumentLimits, defaultDocumentLimits } from './limits';
import { TextBudget } from './text-budget';
import { openZipArchive } from './zip-archive';

/** What the caller knows besides the bytes (name and MIME type: hints only), and limits to override. */
export interface ExtractDocumentOptions extends DocumentHints {
  /** Limits to use instead of the defaults. */
  limits?: Partial<DocumentLimits>;
}

/** Read the bytes as whatever they really are, dispatching to the format's reader. */
async function extractByType(
  bytes: Uint8Array,
  options: ExtractDocumentOptions,
  context: ExtractionContext,
  detected: { type?: DocumentType },
): Promise<ExtractedDocument> {
  const sniffed = sniffDocument(bytes, options);
  if (sniffed.kind === 'pdf') {
    detected.type = 'pdf';
    return extractPdf(bytes, context);
  }
  if (sniffed.kind === 'zip') {
    const archive = await openZipArchive(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      context.limits,
    );
    const type = zipDocumentType(archive.names);
    detected.type = type;
    archive.nameFormat(type);
    if (type === 'docx') return extractDocx(archive, context);
    if (type === 'pptx') return extractPptx(archive, context);
    return extractXlsx(archive, context);
  }
  detected.type = sniffed.type;
  switch (sniffed.type) {
    case 'html':
      return extractHtml(sniffed.text, context);
    case 'csv':
      return extractCsv(sniffed.text, options.name, context);
    case 'vtt':
    case 'srt':
      return extractTranscript(sniffed.text, sniffed.type, context);
    default:
      return extractMarkdown(sniffed.text, sniffed.type === 'markdown' ? 'markdown' : 'text', context);
  }
}

/**
 * Turn a file's bytes into ordered pieces of text with locators. The type comes from the bytes; every failure
 * is a `DocumentError` with a stable code and a message in English and Chinese (never a crash), within the
 * byte, page, zip, row, character and time limits (defaults in `defaultDocumentLimits`).
 */
export async function extractDocument(
  bytes: Uint8Array,
  options: ExtractDocumentOptions = {},
): Promise<ExtractedDocument> {
  const limits: DocumentLimits = { ...defaultDocumentLimits, ...options.limits };
  if (bytes.byteLength > limits.maxBytes) throw tooLargeError(limits.maxBytes, bytes.byteLength);
  const deadline = new Deadline(limits.timeoutMilliseconds);
  const budget = new TextBudget(limits.maxCharacters);
  const context: ExtractionContext = { limits, deadline, budget, notes: [] };
  const detected: { type?: DocumentType } = {};
  try {
    const document = await deadline.race(extractByType(bytes, options, context, detected));
    const note = budget.note();
    if (note) document.notes.push(note);
    return document;
  } catch (error) {
    if (isDocumentError(error)) throw error;
    throw corruptError(detected.type ?? 'file', error);
  }
}
