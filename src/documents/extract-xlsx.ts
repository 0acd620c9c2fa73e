import type { DocumentPiece, ExtractedDocument } from './document';
import { emptyError } from './document-error';
import type { ExtractionContext } from './extraction-context';
import { readRelationships } from './office-parts';
import { SheetPieceWriter } from './sheet-pieces';
import { parseXml, parseXmlStream } from './xml-reader';
import type { ZipArchive } from './zip-archive';

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30, with the CJK ones). */
const builtInDateFormats = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** Whether a custom format code shows a date or time (`yyyy-mm-dd`, `h:mm`), ignoring quoted text and colours. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** Which cell styles (`s` index into `cellXfs`) show dates, from `xl/styles.xml`. */
async function dateStyles(archive: ZipArchive): Promise<boolean[]> {
  const xml = await archive.read('xl/styles.xml');
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  if (!xml) return styles;
  let inCellFormats = false;
  parseXml(xml, {
    open(name, attributes) {
      if (name === 'numFmt') custom.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellFormats = true;
      else if (name === 'xf' && inCellFormats) {
        const id = Number(attributes.numFmtId ?? 0);
        styles.push(builtInDateFormats.has(id) || isDateFormat(custom.get(id) ?? ''));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellFormats = false;
    },
  });
  return styles;
}

/** A date serial as people read it: `2024-03-31`, with `14:30` when it has a time, or only the time. */
function formatSerial(serial: number, date1904: boolean): string {
  const milliseconds = Math.round(((date1904 ? serial + 1462 : serial) - 25569) * 86_400_000);
  const iso = new Date(milliseconds).toISOString();
  if (serial < 1) return iso.slice(11, 16);
  return Number.isInteger(serial) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The column index (0-based) of a cell reference such as `AB12`. */
function columnIndex(reference: string): number {
  let index = 0;
  for (const character of reference.replace(/\d+$/, '').toUpperCase()) {
    index = index * 26 + (character.charCodeAt(0) - 64);
  }
  return index - 1;
}

/** The shared strings, streamed: rich-text runs joined, phonetic guides (`rPh`) left out. */
async function sharedStrings(archive: ZipArchive, context: ExtractionContext): Promise<string[]> {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let inPhonetic = false;
  await parseXmlStream(
    archive.chunks('xl/sharedStrings.xml'),
    {
      open(name) {
        if (name === 'si') current = '';
        else if (name === 'rPh') inPhonetic = true;
        else if (name === 't') inText = true;
      },
      close(name) {
        if (name === 'si' && current !== undefined) strings.push(current);
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 't') inText = false;
      },
      text(text) {
        if (inText && !inPhonetic && current !== undefined) current += text;
      },
    },
    { deadline: context.deadline },
  );
  return strings;
}

/** The workbook's sheets in tab order, with their parts, and whether dates count from 1904. */
async function workbookSheets(archive: ZipArchive) {
  const relationships = await readRelationships(archive, 'xl/workbook.xml');
  const sheets: Array<{ name: string; path: string }> = [];
  let date1904 = false;
  parseXml((await archive.read('xl/workbook.xml')) ?? '', {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      const path = name === 'sheet' ? relationships.get(attributes['r:id'])?.path : undefined;
      if (path && archive.has(path))
        sheets.push({ name: attributes.name ?? `Sheet${sheets.length + 1}`, path });
    },
  });
  return { sheets, date1904 };
}

/** XLSX per sheet as compact rows (`{ kind: 'sheet', sheet, rows }`); each sheet stops streaming at the row limit. */
export async function extractXlsx(
  archive: ZipArchive,
  context: ExtractionContext,
): Promise<ExtractedDocument> {
  const { sheets, date1904 } = await workbookSheets(archive);
  const strings = await sharedStrings(archive, context);
  const dates = await dateStyles(archive);
  const pieces: DocumentPiece[] = [];
  for (const sheet of sheets) {
    if (context.budget.exhausted) break;
    const writer = new SheetPieceWriter(sheet.name, pieces, context);
    let rowNumber = 0;
    let cells: string[] = [];
    let cell: { column: number; type: string; style: number; value: string } | undefined;
    let inValue = false;
    await parseXmlStream(
      archive.chunks(sheet.path),
      {
        open(name, attributes) {
          if (name === 'row') {
            rowNumber = Number(attributes.r ?? rowNumber + 1);
            cells = [];
          } else if (name === 'c') {
            const column = attributes.r ? columnIndex(attributes.r) : cells.length;
            cell = { column, type: attributes.t ?? 'n', style: Number(attributes.s ?? 0), value: '' };
          } else if (name === 'v' || name === 't') inValue = true;
        },
        close(name) {
          if (name === 'v' || name === 't') inValue = false;
          else if (name === 'c' && cell) {
            let value = cell.value;
            if (cell.type === 's') value = strings[Number(value)] ?? '';
            else if (cell.type === 'b') value = value === '1' ? 'TRUE' : 'FALSE';
            else if (cell.type === 'n' && value && dates[cell.style])
              value = formatSerial(Number(value), date1904);
            if (cell.column < 1000) cells[cell.column] = value;
            cell = undefined;
          } else if (name === 'row')
            writer.row(
              rowNumber,
              Array.from(cells, (value) => value ?? ''),
            );
        },
        text(text) {
          if (inValue && cell) cell.value += text;
        },
      },
      { deadline: context.deadline, stop: () => writer.full },
    );
    writer.finish();
  }
  if (pieces.length === 0) throw emptyError('xlsx');
  return { type: 'xlsx', pieces, notes: context.notes };
}
