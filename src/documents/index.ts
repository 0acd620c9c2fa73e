/** The documents module: file bytes in, text pieces with locators out; limits for hostile files. No platform code. */

export { formatCitation } from './citation';
export type { DocumentNote, DocumentPiece, DocumentType, ExtractedDocument, Locator } from './document';
export { DocumentError, type DocumentErrorCode, isDocumentError } from './document-error';
export { type ExtractDocumentOptions, extractDocument } from './extract-document';
export { type DocumentLimits, defaultDocumentLimits } from './limits';
export { readWithinLimit } from './read-within-limit';
