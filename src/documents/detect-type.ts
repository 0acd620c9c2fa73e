import type { DocumentType } from './document';
import { type BilingualMessage, emptyError, encryptedError, unsupportedError } from './document-error';

/** What the caller knows about a file besides its bytes; only a hint, used to tell text formats apart. */
export interface DocumentHints {
  /** The file name (`report.csv`). */
  name?: string;
  /** The MIME type the platform reported. */
  mimeType?: string;
}

/** What the bytes are: a PDF, a zip (its entries tell DOCX from PPTX from XLSX), or decoded text of a known kind. */
export type Sniffed = { kind: 'pdf' } | { kind: 'zip' } | { kind: 'text'; type: DocumentType; text: string };

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));
const described = (en: string, zh: string): BilingualMessage => ({ en, zh });

/** Binary formats Deskmate does not read, named so the reply says what the file is. */
const knownBinaries: Array<{ signature: number[]; offset?: number; name: BilingualMessage }> = [
  { signature: [0x89, 0x50, 0x4e, 0x47], name: described('an image (PNG)', '图片（PNG）') },
  { signature: [0xff, 0xd8, 0xff], name: described('an image (JPEG)', '图片（JPEG）') },
  { signature: ascii('GIF8'), name: described('an image (GIF)', '图片（GIF）') },
  { signature: ascii('WEBP'), offset: 8, name: described('an image (WebP)', '图片（WebP）') },
  { signature: [0x49, 0x49, 0x2a, 0x00], name: described('an image (TIFF)', '图片（TIFF）') },
  { signature: [0x4d, 0x4d, 0x00, 0x2a], name: described('an image (TIFF)', '图片（TIFF）') },
  { signature: ascii('ftyp'), offset: 4, name: described('a video or audio file', '音视频文件') },
  { signature: [...ascii('ID3'), 0x03], name: described('an audio file (MP3)', '音频文件（MP3）') },
  { signature: ascii('OggS'), name: described('an audio file (Ogg)', '音频文件（Ogg）') },
  { signature: ascii('RIFF'), name: described('an audio or video file', '音视频文件') },
  { signature: [0x1f, 0x8b], name: described('a compressed archive (gzip)', '压缩包（gzip）') },
  {
    signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
    name: described('a compressed archive (7z)', '压缩包（7z）'),
  },
  { signature: ascii('Rar!'), name: described('a compressed archive (RAR)', '压缩包（RAR）') },
  { signature: ascii('{\\rtf'), name: described('a rich-text file (RTF)', 'RTF 文档') },
];

/** OLE2 compound files: legacy .doc/.xls/.ppt, and password-protected DOCX/XLSX/PPTX (an `EncryptedPackage` inside). */
const compoundFileSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Whether a UTF-16LE stream name appears in a compound file's bytes (its directory stores names that way). */
function hasStreamName(bytes: Uint8Array, name: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(name, 'utf16le'));
}

/** Tell a compound file's story: encrypted Office, or an old Office format. */
function compoundFileError(bytes: Uint8Array): Error {
  if (hasStreamName(bytes, 'EncryptedPackage')) return encryptedError('office');
  if (hasStreamName(bytes, 'WordDocument')) {
    return unsupportedError(
      described('an old Word .doc file; save it as .docx', '旧版 Word .doc 文件，请另存为 .docx'),
    );
  }
  if (hasStreamName(bytes, 'Workbook') || hasStreamName(bytes, 'Book')) {
    return unsupportedError(
      described('an old Excel .xls file; save it as .xlsx', '旧版 Excel .xls 文件，请另存为 .xlsx'),
    );
  }
  if (hasStreamName(bytes, 'PowerPoint Document')) {
    return unsupportedError(
      described('an old PowerPoint .ppt file; save it as .pptx', '旧版 PowerPoint .ppt 文件，请另存为 .pptx'),
    );
  }
  return unsupportedError(described('an old Office file', '旧版 Office 文件'));
}

/** Decode text: a BOM decides; else UTF-8, else GB18030 (Chinese files saved by older tools); undefined when binary. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

/** The extension of a name hint, lower case, without the dot. */
function extensionOf(name: string | undefined): string {
  const match = name?.toLowerCase().match(/\.([a-z0-9]+)$/);
  return match ? match[1] : '';
}

const srtStart = /^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->/;
const htmlStart = /^\s*(<!--[\s\S]*?-->\s*)*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i;

/** The kind of a decoded text: transcripts and HTML from their content; CSV and Markdown from the hints. */
function textType(text: string, hints: DocumentHints): DocumentType {
  const extension = extensionOf(hints.name);
  const mimeType = hints.mimeType?.toLowerCase() ?? '';
  if (/^WEBVTT(\s|$)/.test(text)) return 'vtt';
  if (srtStart.test(text)) return 'srt';
  if (htmlStart.test(text.slice(0, 4096))) return 'html';
  if (['html', 'htm', 'xhtml'].includes(extension) && text.trimStart().startsWith('<')) return 'html';
  if (['csv', 'tsv'].includes(extension) || /text\/(csv|tab-separated-values)/.test(mimeType)) return 'csv';
  if (['md', 'markdown', 'mdown'].includes(extension) || mimeType.includes('markdown')) return 'markdown';
  return 'text';
}

/** Look at the bytes (never trusting the name for binaries) and say what they are, or why they cannot be read. */
export function sniffDocument(bytes: Uint8Array, hints: DocumentHints = {}): Sniffed {
  if (bytes.byteLength === 0) throw emptyError('file');
  const head = bytes.subarray(0, 1024);
  if (Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return { kind: 'zip' };
  }
  if (startsWith(bytes, compoundFileSignature)) throw compoundFileError(bytes);
  for (const binary of knownBinaries) {
    if (startsWith(bytes, binary.signature, binary.offset)) throw unsupportedError(binary.name);
  }
  const text = decodeText(bytes);
  if (text === undefined)
    throw unsupportedError(described('a binary file of an unknown kind', '未知类型的二进制文件'));
  if (text.trim() === '') throw emptyError('file');
  return { kind: 'text', type: textType(text, hints), text: text.replace(/\r\n?/g, '\n') };
}

/** The Office format a zip holds, from its entry names; unsupported for any other zip. */
export function zipDocumentType(names: string[]): 'docx' | 'pptx' | 'xlsx' {
  const has = (name: string) => names.includes(name);
  if (has('word/document.xml') || names.some((name) => /^word\/document\d*\.xml$/.test(name))) return 'docx';
  if (has('ppt/presentation.xml')) return 'pptx';
  if (has('xl/workbook.xml')) return 'xlsx';
  if (has('mimetype') && names.some((name) => name === 'content.xml')) {
    throw unsupportedError(
      described(
        'an OpenDocument file; save it as .docx, .pptx or .xlsx',
        'OpenDocument 文件，请另存为 .docx、.pptx 或 .xlsx',
      ),
    );
  }
  throw unsupportedError(described('a zip archive', 'zip 压缩包'));
}
