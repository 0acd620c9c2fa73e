import type { DocumentPiece, ExtractedDocument } from './document';
import { corruptError, emptyError } from './document-error';
import type { ExtractionContext } from './extraction-context';
import { SheetPieceWriter } from './sheet-pieces';

/** csv-parse (CommonJS build, small) loads on first use. */
function loadCsvParse(): typeof import('csv-parse/sync') {
  return require('csv-parse/sync');
}

/** The sheet name of a CSV file: its file name without the extension, else `CSV`. */
function sheetName(name: string | undefined): string {
  const base = name
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.[^.]+$/, '');
  return base || 'CSV';
}

/** Tabs when the name says TSV or the first line has more tabs than commas; else commas (or semicolons). */
function delimiterOf(text: string, name: string | undefined): string {
  if (/\.tsv$/i.test(name ?? '')) return '\t';
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const count = (character: string) => firstLine.split(character).length - 1;
  if (count('\t') > count(',')) return '\t';
  if (count(';') > count(',')) return ';';
  return ',';
}

/** CSV/TSV as one sheet of compact rows (`{ kind: 'sheet', sheet, rows }`), parsing no more rows than the limit. */
export function extractCsv(
  text: string,
  name: string | undefined,
  context: ExtractionContext,
): ExtractedDocument {
  const { parse } = loadCsvParse();
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text, name),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      to: context.limits.maxSheetRows + 1,
    }) as string[][];
  } catch (error) {
    throw corruptError('file', error);
  }
  const pieces: DocumentPiece[] = [];
  const writer = new SheetPieceWriter(sheetName(name), pieces, context);
  records.forEach((cells, index) => {
    writer.row(index + 1, cells);
  });
  writer.finish();
  if (pieces.length === 0) throw emptyError('file');
  return { type: 'csv', pieces, notes: context.notes };
}
