import type { ExtractedDocument } from './document';
import { emptyError } from './document-error';
import type { ExtractionContext } from './extraction-context';
import { findRelationship, readRelationships } from './office-parts';
import { SectionWriter } from './sections';
import { parseXml, parseXmlStream } from './xml-reader';
import type { ZipArchive } from './zip-archive';

/** Heading level per paragraph style id, from `word/styles.xml`: `heading N` names, `Title`, or an outline level. */
async function headingStyles(archive: ZipArchive): Promise<Map<string, number>> {
  const levels = new Map<string, number>();
  const xml = await archive.read('word/styles.xml');
  if (!xml) return levels;
  let style: { id: string; name: string; outline?: number } | undefined;
  parseXml(xml, {
    open(name, attributes) {
      if (name === 'w:style' && attributes['w:type'] === 'paragraph')
        style = { id: attributes['w:styleId'], name: '' };
      else if (style && name === 'w:name') style.name = attributes['w:val'] ?? '';
      else if (style && name === 'w:outlineLvl') style.outline = Number(attributes['w:val']);
    },
    close(name) {
      if (name !== 'w:style' || !style) return;
      const heading = /^heading\s*([1-9])$/i.exec(style.name);
      if (heading) levels.set(style.id, Number(heading[1]));
      else if (/^title$/i.test(style.name)) levels.set(style.id, 1);
      else if (style.outline !== undefined && style.outline < 9) levels.set(style.id, style.outline + 1);
      style = undefined;
    },
  });
  return levels;
}

/** Elements whose content is not the document's current text: moved-away runs and duplicate fallbacks. */
const skippedElements = new Set(['w:moveFrom', 'mc:Fallback', 'w:del']);

interface Paragraph {
  text: string;
  style?: string;
  outline?: number;
  listItem: boolean;
}

/**
 * DOCX by heading path (`{ kind: 'section', path: ['Budget', 'Q3'] }`): the main part streams through saxes as
 * it inflates (mammoth builds the whole DOM: ~40x the memory and ~20x the time here), tables as `a | b` rows.
 */
export async function extractDocx(
  archive: ZipArchive,
  context: ExtractionContext,
): Promise<ExtractedDocument> {
  const levels = await headingStyles(archive);
  const mainPart =
    findRelationship(await readRelationships(archive, ''), 'officeDocument')?.path ?? 'word/document.xml';
  const writer = new SectionWriter(context.budget);
  const paragraphs: Paragraph[] = [];
  const tables: Array<{ cells: string[]; cell: string[] }> = [];
  let skipDepth = 0;
  let inText = false;
  let inProperties = false;

  const finishParagraph = (paragraph: Paragraph) => {
    const text = paragraph.text.replace(/[ \t]+/g, ' ').trim();
    const outer = paragraphs[paragraphs.length - 1];
    if (outer) outer.text += ` ${text}`;
    else if (tables.length > 0) tables[tables.length - 1].cell.push(text);
    else {
      const level = paragraph.outline ?? (paragraph.style ? levels.get(paragraph.style) : undefined);
      if (level !== undefined && text) writer.heading(level, text);
      else writer.paragraph(paragraph.listItem && text ? `- ${text}` : text);
    }
  };
  const finishRow = (cells: string[]) => {
    const row = cells.join(' | ').trim();
    const table = tables[tables.length - 1];
    if (tables.length > 1) tables[tables.length - 2].cell.push(row);
    else if (table && row.replace(/\|/g, '').trim()) writer.paragraph(row);
  };

  await parseXmlStream(
    archive.chunks(mainPart),
    {
      open(name, attributes) {
        if (skipDepth > 0 || skippedElements.has(name)) {
          skipDepth++;
          return;
        }
        const paragraph = paragraphs[paragraphs.length - 1];
        switch (name) {
          case 'w:p':
            paragraphs.push({ text: '', listItem: false });
            break;
          case 'w:pPr':
            inProperties = true;
            break;
          case 'w:pStyle':
            if (paragraph && inProperties) paragraph.style = attributes['w:val'];
            break;
          case 'w:outlineLvl':
            if (paragraph && inProperties && Number(attributes['w:val']) < 9) {
              paragraph.outline = Number(attributes['w:val']) + 1;
            }
            break;
          case 'w:numPr':
            if (paragraph && inProperties) paragraph.listItem = true;
            break;
          case 'w:t':
            inText = true;
            break;
          case 'w:tab':
            if (paragraph && !inProperties) paragraph.text += '\t';
            break;
          case 'w:br':
          case 'w:cr':
            if (paragraph) paragraph.text += '\n';
            break;
          case 'w:tbl':
            tables.push({ cells: [], cell: [] });
            break;
        }
      },
      close(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        switch (name) {
          case 'w:t':
            inText = false;
            break;
          case 'w:pPr':
            inProperties = false;
            break;
          case 'w:p': {
            const paragraph = paragraphs.pop();
            if (paragraph) finishParagraph(paragraph);
            break;
          }
          case 'w:tc': {
            const table = tables[tables.length - 1];
            if (table) {
              table.cells.push(table.cell.join(' ').trim());
              table.cell = [];
            }
            break;
          }
          case 'w:tr': {
            const table = tables[tables.length - 1];
            if (table) {
              finishRow(table.cells);
              table.cells = [];
            }
            break;
          }
          case 'w:tbl':
            tables.pop();
            break;
        }
      },
      text(text) {
        const paragraph = paragraphs[paragraphs.length - 1];
        if (inText && skipDepth === 0 && paragraph) paragraph.text += text;
      },
    },
    { deadline: context.deadline, stop: () => writer.full },
  );
  const pieces = writer.finish();
  if (pieces.length === 0) throw emptyError('docx');
  return { type: 'docx', pieces, notes: context.notes };
}
