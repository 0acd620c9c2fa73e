import { DeskmateError, type ErrorCode } from '../core/errors';
import type { Language } from '../text/language';

/** The stable codes of files that cannot be read. */
export type DocumentErrorCode = Extract<ErrorCode, `document_${string}`>;

/** A message in both languages Deskmate answers in. */
export type BilingualMessage = Record<Language, string>;

/** A file that cannot be read: a stable code, the cause, and a message naming the problem in English and Chinese. */
export class DocumentError extends DeskmateError {
  /** The stable code. */
  declare readonly code: DocumentErrorCode;
  /** What went wrong, for the person who shared the file. */
  readonly messages: BilingualMessage;

  constructor(code: DocumentErrorCode, messages: BilingualMessage, options: { cause?: unknown } = {}) {
    super(code, messages.en, { cause: options.cause });
    this.name = 'DocumentError';
    this.messages = messages;
  }

  /** The message in the asker's language. */
  messageIn(language: Language): string {
    return this.messages[language];
  }
}

/** Whether a value is a document error. */
export function isDocumentError(value: unknown): value is DocumentError {
  return value instanceof DocumentError;
}

/** A size in megabytes for people: `25 MB`, `31.2 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** What each format is called in a sentence. */
const formatNames: Record<string, BilingualMessage> = {
  pdf: { en: 'PDF', zh: 'PDF' },
  docx: { en: 'Word document', zh: 'Word 文档' },
  pptx: { en: 'PowerPoint deck', zh: 'PowerPoint 演示文稿' },
  xlsx: { en: 'spreadsheet', zh: 'Excel 表格' },
  office: { en: 'Office document', zh: 'Office 文档' },
  file: { en: 'file', zh: '文件' },
};

/** The name of a format in a sentence, `file` for anything unnamed. */
function formatName(format: string): BilingualMessage {
  return formatNames[format] ?? formatNames.file;
}

const supported = {
  en: 'I read PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), CSV, HTML, Markdown, plain text and VTT/SRT transcripts.',
  zh: '支持 PDF、Word（.docx）、PowerPoint（.pptx）、Excel（.xlsx）、CSV、HTML、Markdown、纯文本以及 VTT/SRT 字幕。',
};

/** The file is over the byte limit (`actualBytes` when known, else it was cut while streaming). */
export function tooLargeError(limitBytes: number, actualBytes?: number): DocumentError {
  const limit = formatMegabytes(limitBytes);
  const size = actualBytes === undefined ? undefined : formatMegabytes(actualBytes);
  return new DocumentError('document_too_large', {
    en: `This file is ${size ? `${size}, over` : 'larger than'} the ${limit} limit for files I read, so I didn't read it. Share a smaller file or an excerpt.`,
    zh: `这个文件${size ? `有 ${size}，` : ''}超过了可读取的上限 ${limit}，因此没有读取。请分享更小的文件或节选。`,
  });
}

/** A zip-based file declares (or inflates to) more than the uncompressed limit: a zip bomb, or near enough. */
export function zipBombError(limitBytes: number, declaredBytes?: number, cause?: unknown): DocumentError {
  const limit = formatMegabytes(limitBytes);
  const declared = declaredBytes === undefined ? '' : ` (${formatMegabytes(declaredBytes)})`;
  return new DocumentError(
    'document_zip_bomb',
    {
      en: `This file unpacks to more than ${limit}${declared}, far more than a document needs; it looks like a zip bomb, so I didn't open it.`,
      zh: `这个文件解压后超过 ${limit}${declared}，远超正常文档所需，疑似压缩炸弹，因此没有打开。`,
    },
    { cause },
  );
}

/** The file is password-protected. */
export function encryptedError(format: string, cause?: unknown): DocumentError {
  const name = formatName(format);
  return new DocumentError(
    'document_encrypted',
    {
      en: `This ${name.en} is password-protected, so I can't read it. Share a copy without a password.`,
      zh: `这个${name.zh}设有密码，无法读取。请分享一份未加密的副本。`,
    },
    { cause },
  );
}

/** The file is damaged or truncated. */
export function corruptError(format: string, cause?: unknown): DocumentError {
  const name = formatName(format);
  return new DocumentError(
    'document_corrupt',
    {
      en: `This ${name.en} looks damaged or cut short (was the upload complete?), so I couldn't read it.`,
      zh: `这个${name.zh}似乎已损坏或不完整（上传是否完整？），无法读取。`,
    },
    { cause },
  );
}

/** The file has no bytes, or no text. */
export function emptyError(format: string): DocumentError {
  const name = formatName(format);
  return new DocumentError('document_empty', {
    en: `This ${name.en} is empty: there is no text in it to read.`,
    zh: `这个${name.zh}是空的，没有可读取的文字。`,
  });
}

/** A PDF with pages but no text layer: a scan or images only. */
export function scannedError(pageCount: number): DocumentError {
  return new DocumentError('document_scanned', {
    en: `This PDF has ${pageCount} page${pageCount === 1 ? '' : 's'} but no text layer (it looks like a scan or images only), so there is no text for me to read. Run it through OCR and share it again.`,
    zh: `这个 PDF 有 ${pageCount} 页，但没有文字层（看起来是扫描件或纯图片），没有可读取的文字。请先进行文字识别（OCR）再分享。`,
  });
}

/** A kind of file Deskmate does not read; `described` names it (`an image (PNG)`). */
export function unsupportedError(described: BilingualMessage): DocumentError {
  return new DocumentError('document_unsupported', {
    en: `I can't read this kind of file (${described.en}). ${supported.en}`,
    zh: `无法读取这种类型的文件（${described.zh}）。${supported.zh}`,
  });
}

/** Reading took longer than the time limit. */
export function timeoutError(limitMilliseconds: number): DocumentError {
  const seconds = Math.round(limitMilliseconds / 1000);
  return new DocumentError('document_timeout', {
    en: `Reading this file took longer than ${seconds} s, so I stopped. Try a smaller file or an excerpt.`,
    zh: `读取这个文件超过了 ${seconds} 秒，已停止。请尝试更小的文件或节选。`,
  });
}
