/**
 * One document extraction in a fresh process (the documents benchmark), so its peak RSS is this file's alone:
 * reads the file, notes the RSS, extracts it through Deskmate's `extractDocument` twice (the first loads the
 * format's reader, as a `jobs` process's first file does; the second is warm), and prints the figures as JSON.
 * Usage (by bench/documents.ts): node dist/bench-build/bench/extract-child.js <file> [limits JSON]
 */
import { readFileSync } from 'node:fs';
import { extractDocument } from '../src/documents';

/** What one extraction process measured. */
export interface ExtractionFigures {
  bytes: number;
  /** Pieces of text (pages of a PDF; sections of a DOCX) and characters extracted. */
  pieces: number;
  characters: number;
  /** Pages the PDF says it has (absent for a DOCX). */
  pageCount?: number;
  /** The first extraction (loads the reader) and the second, warm (ms). */
  coldMs: number;
  warmMs: number;
  /** RSS with the file read, before extracting, and the process's peak RSS (MB). */
  rssBeforeMb: number;
  peakRssMb: number;
  notes: string[];
}

async function main(): Promise<void> {
  const [path, limits] = process.argv.slice(2);
  const bytes = readFileSync(path);
  const options = limits ? { limits: JSON.parse(limits) } : {};
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  let started = performance.now();
  const document = await extractDocument(bytes, options);
  const coldMs = performance.now() - started;
  started = performance.now();
  await extractDocument(bytes, options);
  const warmMs = performance.now() - started;
  const figures: ExtractionFigures = {
    bytes: bytes.length,
    pieces: document.pieces.length,
    characters: document.pieces.reduce((total, piece) => total + piece.text.length, 0),
    ...(document.pageCount ? { pageCount: document.pageCount } : {}),
    coldMs,
    warmMs,
    rssBeforeMb,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    notes: document.notes.map((note) => note.code),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`extraction failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
