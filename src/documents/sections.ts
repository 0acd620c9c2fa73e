import type { DocumentPiece } from './document';
import type { TextBudget } from './text-budget';

/** A section longer than this is cut at a paragraph into several pieces with the same locator. */
export const pieceCharacters = 6_000;

/** A heading title fit for a citation: one line, no brackets, not too long. */
function cleanTitle(title: string): string {
  const line = title.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** Builds pieces located by heading path (`['Budget', 'Q3']`) from headings and paragraphs given in order. */
export class SectionWriter {
  private readonly pieces: DocumentPiece[] = [];
  private readonly headings: Array<{ level: number; title: string }> = [];
  private paragraphs: string[] = [];
  private length = 0;
  private hasBody = false;

  constructor(private readonly budget: TextBudget) {}

  /** Start a section under a heading of `level` (1 is the top); deeper and equal headings before it close. */
  heading(level: number, title: string): void {
    const cleaned = cleanTitle(title);
    if (!cleaned) return;
    const parent = this.headings[this.headings.length - 1];
    // A heading with nothing under it before a deeper one stays on top of the deeper one's piece.
    if (this.hasBody || !parent || parent.level >= level) this.flush();
    while (this.headings.length > 0 && this.headings[this.headings.length - 1].level >= level)
      this.headings.pop();
    this.headings.push({ level, title: cleaned });
    this.add(`${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${cleaned}`);
  }

  /** Add a paragraph (a list item, a table row…) to the current section. */
  paragraph(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    if (this.hasBody && this.length + trimmed.length > pieceCharacters) this.flush();
    if (this.add(trimmed)) this.hasBody = true;
  }

  /** Whether the budget is spent (callers stop reading). */
  get full(): boolean {
    return this.budget.exhausted;
  }

  /** The pieces so far, the open one included. */
  finish(): DocumentPiece[] {
    this.flush();
    return this.pieces;
  }

  private add(text: string): boolean {
    const kept = this.budget.take(text);
    if (!kept) return false;
    this.paragraphs.push(kept);
    this.length += kept.length + 2;
    return true;
  }

  /** Close the open piece; a heading with nothing under it makes no piece of its own. */
  private flush(): void {
    if (this.hasBody) {
      const path = this.headings.map((heading) => heading.title);
      this.pieces.push({ text: this.paragraphs.join('\n\n'), locator: { kind: 'section', path } });
    }
    this.paragraphs = [];
    this.length = 0;
    this.hasBody = false;
  }
}
