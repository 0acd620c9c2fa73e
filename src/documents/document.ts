/** The formats Deskmate reads, detected from the bytes (the file name is only a hint for text formats). */
export type DocumentType =
  | 'pdf'
  | 'docx'
  | 'pptx'
  | 'xlsx'
  | 'csv'
  | 'html'
  | 'markdown'
  | 'text'
  | 'vtt'
  | 'srt';

/** Where a piece of text sits in its document, precise enough to cite and to find again. */
export type Locator =
  | { kind: 'page'; page: number }
  | { kind: 'section'; path: string[] }
  | { kind: 'slide'; slide: number }
  | { kind: 'sheet'; sheet: string; rows: { first: number; last: number } }
  | { kind: 'time'; start: number };

/** One ordered piece of a document's text and where it is. */
export interface DocumentPiece {
  /** The text, compact: Markdown for structured formats, `n: a | b` rows for sheets, `mm:ss Speaker: …` for transcripts. */
  text: string;
  /** Where the text is. */
  locator: Locator;
}

/** Why only part of a document was read (a limit was reached); said to the user next to the answer. */
export interface DocumentNote {
  /** Stable code of the limit that was reached. */
  code: 'page_limit' | 'row_limit' | 'character_limit';
  /** The note in English and Chinese. */
  message: { en: string; zh: string };
}

/** The text of a document, in reading order, with locators. */
export interface ExtractedDocument {
  /** The detected type. */
  type: DocumentType;
  /** The document's title when it has one (HTML title, first slide title…). */
  title?: string;
  /** The pieces, in order. */
  pieces: DocumentPiece[];
  /** The limits reached while reading, if any. */
  notes: DocumentNote[];
  /** Pages (PDF) or slides (PPTX) in the whole document, when the format has them. */
  pageCount?: number;
}
