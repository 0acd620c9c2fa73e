import type { DocumentPiece } from './document';
import type { ExtractionContext } from './extraction-context';

/** Rows per piece: a piece is cited as `[Budget, rows 2–101]`. */
const rowsPerPiece = 100;
/** Characters per piece before a new one starts early (wide sheets). */
const charactersPerPiece = 6_000;
/** A cell longer than this is cut (a pasted essay in a cell says little more past it). */
const cellCharacters = 300;
/** Columns read per row. */
const maxColumns = 100;

/** Turns one sheet's rows into compact pieces (`2: Q3 | 120000 | Marketing`), bounded by the row limit. */
export class SheetPieceWriter {
  private lines: string[] = [];
  private first = 0;
  private last = 0;
  private length = 0;
  private rowsRead = 0;
  /** Set when the sheet had more rows than the limit. */
  truncated = false;

  constructor(
    private readonly sheet: string,
    private readonly pieces: DocumentPiece[],
    private readonly context: ExtractionContext,
  ) {}

  /** Whether no more rows will be taken (the row limit or the character budget). */
  get full(): boolean {
    return this.truncated || this.context.budget.exhausted;
  }

  /** Add row `rowNumber` (1-based, as the sheet numbers it); empty rows are skipped. */
  row(rowNumber: number, cells: string[]): void {
    if (this.full) return;
    const values = cells.slice(0, maxColumns).map((cell) => {
      const flat = cell.replace(/\s+/g, ' ').trim();
      return flat.length > cellCharacters ? `${flat.slice(0, cellCharacters - 1)}…` : flat;
    });
    while (values.length > 0 && !values[values.length - 1]) values.pop();
    if (values.length === 0) return;
    if (this.rowsRead >= this.context.limits.maxSheetRows) {
      this.truncated = true;
      return;
    }
    this.rowsRead++;
    const line = `${rowNumber}: ${values.join(' | ')}`;
    if (
      this.lines.length >= rowsPerPiece ||
      (this.lines.length > 0 && this.length + line.length > charactersPerPiece)
    ) {
      this.flush();
    }
    const kept = this.context.budget.take(line);
    if (!kept) return;
    if (this.lines.length === 0) this.first = rowNumber;
    this.last = rowNumber;
    this.lines.push(kept);
    this.length += kept.length + 1;
  }

  /** Close the last piece; add the row-limit note when rows were left out. */
  finish(): void {
    this.flush();
    if (!this.truncated) return;
    const limit = this.context.limits.maxSheetRows.toLocaleString('en-US');
    this.context.notes.push({
      code: 'row_limit',
      message: {
        en: `The sheet “${this.sheet}” has more than ${limit} rows; I read the first ${limit}.`,
        zh: `工作表“${this.sheet}”超过 ${limit} 行，只读取了前 ${limit} 行。`,
      },
    });
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.pieces.push({
      text: this.lines.join('\n'),
      locator: { kind: 'sheet', sheet: this.sheet, rows: { first: this.first, last: this.last } },
    });
    this.lines = [];
    this.length = 0;
  }
}
