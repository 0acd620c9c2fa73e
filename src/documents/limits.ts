/** The limits that keep a hostile or huge file from costing more than it should. */
export interface DocumentLimits {
  /** Bytes of the file itself (env DOCUMENT_MAX_BYTES). */
  maxBytes: number;
  /** PDF pages or slides read; past it the first ones are read and a note says so. */
  maxPages: number;
  /** Total uncompressed bytes a zip-based file (DOCX, PPTX, XLSX) may declare or inflate to. */
  maxUnzippedBytes: number;
  /** Entries a zip-based file may hold. */
  maxZipEntries: number;
  /** Rows read per sheet (XLSX, CSV); past it a note says so. */
  maxSheetRows: number;
  /** Characters of text kept from one file; past it the rest is dropped and a note says so. */
  maxCharacters: number;
  /** Milliseconds one file may take to read. */
  timeoutMilliseconds: number;
}

/** The defaults; the later wiring reads them from DOCUMENT_* settings. */
export const defaultDocumentLimits: DocumentLimits = {
  maxBytes: 25 * 1024 * 1024,
  maxPages: 500,
  maxUnzippedBytes: 250 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxSheetRows: 2_000,
  maxCharacters: 3_000_000,
  timeoutMilliseconds: 60_000,
};
