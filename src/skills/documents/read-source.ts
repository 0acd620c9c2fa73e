import { createHash } from 'node:crypto';
import { DeskmateError } from '../../core/errors';
import type { FileContent } from '../../core/shared-file';
import type { SkillContext } from '../../core/skill';
import type { ExtractedDocument } from '../../documents/document';
import { extractDocument } from '../../documents/extract-document';
import { type DocumentLimits, defaultDocumentLimits } from '../../documents/limits';
import type { Language } from '../../text/language';
import type { DocumentSource } from './find-source';

const noFiles = {
  en: "I can't read files on this platform yet.",
  zh: '暂时无法读取此平台上的文件。',
};

/** A downloaded file or document: its bytes, the hash its cached answers are kept under, and what to call it. */
export interface LoadedSource {
  /** What was downloaded. */
  content: FileContent;
  /** SHA-256 of the bytes (hex): the same bytes give the same cached summary. */
  hash: string;
  /** The name the answer uses. */
  name: string;
  /** A link that opens it, for citations. */
  link?: string;
}

/**
 * Check that the requester may read the source before anything is shown or read: the conversation a file was
 * shared in, or a document's sharing. A refusal is `forbidden` (answered privately); a source with fewer
 * readers than the place of the answer makes the answer private. Reads check again (the answer is kept).
 */
export async function allowSource(context: SkillContext, source: DocumentSource): Promise<void> {
  if (source.kind === 'file') await context.access.allow(source.file.conversation);
  else await context.access.allowDocument(source.document);
}

/**
 * Download what the source names through the platform the skill sees, whose file reads check the requester
 * first (membership of the conversation a file was shared in; a document's sharing), within the byte limit.
 */
export async function loadSource(
  context: SkillContext,
  source: DocumentSource,
  limits: DocumentLimits,
  language: Language,
): Promise<LoadedSource> {
  const files = context.platform.files;
  const downloadLimits = { maxBytes: limits.maxBytes, timeoutMilliseconds: limits.timeoutMilliseconds };
  const started = Date.now();
  let content: FileContent;
  if (source.kind === 'file') {
    if (!files)
      throw new DeskmateError('not_configured', 'no file capability', { userMessage: noFiles[language] });
    content = await files.read(source.file, downloadLimits);
  } else {
    if (!files?.readDocument) {
      throw new DeskmateError('not_configured', 'no document capability', { userMessage: noFiles[language] });
    }
    content = await files.readDocument(source.document, downloadLimits);
  }
  const hash = createHash('sha256').update(content.bytes).digest('hex');
  context.logger.info(
    { source: source.kind, bytes: content.bytes.length, durationMs: Date.now() - started },
    'document downloaded',
  );
  const fallbackName = language === 'zh' ? '文件' : 'the file';
  const name =
    content.title ??
    content.name ??
    (source.kind === 'file' ? source.file.name : source.document.title) ??
    fallbackName;
  const link = content.link ?? (source.kind === 'file' ? source.file.link : source.document.link);
  return { content, hash, name, ...(link ? { link } : {}) };
}

/** Read the downloaded bytes as a document: pieces with locators, within the limits (a `DocumentError` otherwise). */
export async function readLoaded(
  context: SkillContext,
  loaded: LoadedSource,
  limits: DocumentLimits,
): Promise<ExtractedDocument> {
  const started = Date.now();
  const document = await extractDocument(loaded.content.bytes, {
    name: loaded.content.name,
    mimeType: loaded.content.mimeType,
    limits,
  });
  context.logger.info(
    {
      type: document.type,
      pieces: document.pieces.length,
      pages: document.pageCount,
      notes: document.notes.map((note) => note.code),
      durationMs: Date.now() - started,
    },
    'document extracted',
  );
  return document;
}

/** The limits a skill reads documents with: the deployment's settings over the defaults. */
export function documentLimitsOf(overrides: Partial<DocumentLimits> | undefined): DocumentLimits {
  return { ...defaultDocumentLimits, ...overrides };
}
