import type { DocumentPiece, ExtractedDocument } from './document';
import { emptyError } from './document-error';
import { type ExtractionContext, pageLimitNote } from './extraction-context';
import { findRelationship, readRelationships } from './office-parts';
import { parseXml } from './xml-reader';
import type { ZipArchive } from './zip-archive';

/** The text of one slide (or notes page): its title and its other paragraphs, by placeholder type. */
interface SlideText {
  title: string;
  body: string[];
}

/** Placeholders that carry no content of their own: slide numbers, dates, footers, the notes page's slide image. */
const furniture = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);

/** Read a slide's shapes in order: title placeholders apart, tables as `a | b` rows, furniture left out. */
function readSlide(xml: Buffer): SlideText {
  const slide: SlideText = { title: '', body: [] };
  let shape: { placeholder?: string; paragraphs: string[] } | undefined;
  let paragraph: string | undefined;
  let row: string[] | undefined;
  let cell: string[] | undefined;
  let inText = false;
  parseXml(xml, {
    open(name, attributes) {
      if (name === 'p:sp') shape = { paragraphs: [] };
      else if (name === 'p:ph' && shape) shape.placeholder = attributes.type ?? 'body';
      else if (name === 'a:p') paragraph = '';
      else if (name === 'a:t') inText = true;
      else if (name === 'a:br' && paragraph !== undefined) paragraph += '\n';
      else if (name === 'a:tr') row = [];
      else if (name === 'a:tc') cell = [];
    },
    close(name) {
      if (name === 'a:t') inText = false;
      else if (name === 'a:p' && paragraph !== undefined) {
        const text = paragraph.trim();
        if (text && cell) cell.push(text);
        else if (text && shape) shape.paragraphs.push(text);
        paragraph = undefined;
      } else if (name === 'a:tc' && cell && row) {
        row.push(cell.join(' '));
        cell = undefined;
      } else if (name === 'a:tr' && row) {
        if (row.some(Boolean)) slide.body.push(row.join(' | '));
        row = undefined;
      } else if (name === 'p:sp' && shape) {
        const placeholder = shape.placeholder ?? '';
        if (placeholder === 'title' || placeholder === 'ctrTitle') slide.title = shape.paragraphs.join(' ');
        else if (!furniture.has(placeholder)) slide.body.push(...shape.paragraphs);
        shape = undefined;
      }
    },
    text(text) {
      if (inText && paragraph !== undefined) paragraph += text;
    },
  });
  return slide;
}

/** The slide parts in presentation order (`p:sldIdLst`), resolved through the presentation's relationships. */
async function slideOrder(archive: ZipArchive): Promise<string[]> {
  const relationships = await readRelationships(archive, 'ppt/presentation.xml');
  const xml = await archive.read('ppt/presentation.xml');
  const slides: string[] = [];
  if (!xml) return slides;
  parseXml(xml, {
    open(name, attributes) {
      const path = name === 'p:sldId' ? relationships.get(attributes['r:id'])?.path : undefined;
      if (path && archive.has(path)) slides.push(path);
    },
  });
  return slides;
}

/** PPTX per slide (`{ kind: 'slide', slide }`): title, body and speaker notes, up to the page limit. */
export async function extractPptx(
  archive: ZipArchive,
  context: ExtractionContext,
): Promise<ExtractedDocument> {
  const slides = await slideOrder(archive);
  const readSlides = Math.min(slides.length, context.limits.maxPages);
  const pieces: DocumentPiece[] = [];
  let title: string | undefined;
  for (let index = 0; index < readSlides && !context.budget.exhausted; index++) {
    const path = slides[index];
    const slide = readSlide((await archive.read(path)) ?? Buffer.alloc(0));
    const notesPath = findRelationship(await readRelationships(archive, path), 'notesSlide')?.path;
    const notesXml = notesPath ? await archive.read(notesPath) : undefined;
    const notes = notesXml ? readSlide(notesXml).body : [];
    title ??= slide.title || undefined;
    const lines = [slide.title, ...slide.body].filter(Boolean);
    if (notes.length > 0) lines.push(`Notes: ${notes.join('\n')}`);
    const text = context.budget.take(lines.join('\n'));
    if (text) pieces.push({ text, locator: { kind: 'slide', slide: index + 1 } });
    await context.deadline.pause();
  }
  if (pieces.length === 0) throw emptyError('pptx');
  if (slides.length > readSlides) context.notes.push(pageLimitNote(slides.length, readSlides, 'slide'));
  return { type: 'pptx', title, pieces, notes: context.notes, pageCount: slides.length };
}
