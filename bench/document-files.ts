/**
 * The large documents of the documents benchmark, made at bench time into a temporary directory (never
 * committed), the same content every time (seeded, no randomness; the DOCX's zip and metadata carry the
 * time it was made): a PDF of N pages of English prose (pdfkit, its built-in Helvetica, a
 * fixed creation date), and a DOCX of N pages of the same prose (page breaks) with pictures whose pixels do not
 * compress, so the file weighs what a report with photos weighs (~25 MB) while its text stays a few MB.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { Document, HeadingLevel, ImageRun, Packer, PageBreak, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';

/** A small deterministic generator (mulberry32), so every run makes the same bytes. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = ['The team', 'Finance', 'The vendor', 'Our customers', 'The board', 'Support', 'Legal'];
const verbs = ['reviewed', 'approved', 'questioned', 'postponed', 'renewed', 'measured', 'budgeted'];
const objects = [
  'the laptop refresh',
  'the VPN certificates',
  'the quarterly forecast',
  'the office move',
  'the supplier contract',
  'the onboarding checklist',
  'the security audit',
  'the hiring plan',
];
const tails = [
  'after a long discussion.',
  'before the end of the month.',
  'with two open questions left.',
  'and asked for a written summary.',
  'pending the numbers from March.',
  'so the launch can stay on schedule.',
];

/** Paragraphs of plausible office prose: `sentences` sentences each, from `seed`. */
function paragraphs(seed: number, count: number, sentences: number): string[] {
  const next = generator(seed);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)];
  return Array.from({ length: count }, () =>
    Array.from(
      { length: sentences },
      () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(tails)}`,
    ).join(' '),
  );
}

/** One page's heading and paragraphs (~2,400 characters: it fits an A4 page at 11 pt). */
export function pageContent(page: number): { heading: string; paragraphs: string[] } {
  return { heading: `Section ${page}: progress report`, paragraphs: paragraphs(page, 6, 7) };
}

/** Write a PDF of `pages` pages with `title` in its metadata (the benchmark overwrites it in copies). */
export function writeBenchPdf(path: string, pages: number, title: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      autoFirstPage: false,
      info: { Title: title, CreationDate: new Date(Date.UTC(2026, 0, 1)) },
    });
    const stream = createWriteStream(path);
    stream.on('finish', () => resolve());
    stream.on('error', reject);
    pdf.pipe(stream);
    for (let page = 1; page <= pages; page += 1) {
      const content = pageContent(page);
      pdf.addPage({ size: 'A4', margin: 56 });
      pdf.font('Helvetica-Bold').fontSize(14).text(content.heading);
      pdf.font('Helvetica').fontSize(11);
      for (const paragraph of content.paragraphs) pdf.moveDown(0.5).text(paragraph);
    }
    pdf.end();
  });
}

/** CRC-32 (PNG chunks). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid RGB PNG of noise (it does not compress, as a photo barely does), from `seed`. */
function noisePng(width: number, height: number, seed: number): Buffer {
  const next = generator(seed);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let index = 0; index < raw.length; index += 1) raw[index] = Math.floor(next() * 256);
  for (let row = 0; row < height; row += 1) raw[row * (width * 3 + 1)] = 0;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Write a DOCX of `pages` pages of prose (a page break after each) with `pictures` noise pictures of 1,000 ×
 * 1,040 pixels (~3.1 MB each) spread through it; its size in bytes.
 */
export async function writeBenchDocx(path: string, pages: number, pictures: number): Promise<number> {
  const children: Paragraph[] = [];
  const every = Math.max(1, Math.floor(pages / Math.max(1, pictures)));
  let placed = 0;
  for (let page = 1; page <= pages; page += 1) {
    const content = pageContent(page);
    children.push(new Paragraph({ text: content.heading, heading: HeadingLevel.HEADING_1 }));
    for (const paragraph of content.paragraphs)
      children.push(new Paragraph({ children: [new TextRun(paragraph)] }));
    if (placed < pictures && page % every === 0) {
      placed += 1;
      children.push(
        new Paragraph({
          children: [
            new ImageRun({
              type: 'png',
              data: noisePng(1000, 1040, 1000 + placed),
              transformation: { width: 400, height: 400 },
            }),
          ],
        }),
      );
    }
    if (page < pages) children.push(new Paragraph({ children: [new PageBreak()] }));
  }
  const document = new Document({
    creator: 'Deskmate bench',
    title: 'Bench plan',
    sections: [{ children }],
  });
  const bytes = await Packer.toBuffer(document);
  writeFileSync(path, bytes);
  return bytes.length;
}
