import type { ExtractedDocument } from './document';
import { emptyError } from './document-error';
import type { ExtractionContext } from './extraction-context';
import { SectionWriter } from './sections';

type MarkdownIt = InstanceType<typeof import('markdown-it')>;
let markdownParser: MarkdownIt | undefined;

/** markdown-it (CommonJS build) loads on first use; only its block parse is used, to find the headings. */
function loadMarkdownParser(): MarkdownIt {
  if (!markdownParser) {
    const MarkdownItClass = require('markdown-it') as typeof import('markdown-it');
    markdownParser = new MarkdownItClass('commonmark');
  }
  return markdownParser;
}

/** A heading found by the parser: its level, its plain title, and the source lines it spans. */
interface Heading {
  level: number;
  title: string;
  startLine: number;
  endLine: number;
}

/** The headings of a Markdown text (ATX `#` and setext underlines; not `#` lines inside code blocks). */
function findHeadings(markdown: string): Heading[] {
  const tokens = loadMarkdownParser().parse(markdown, {});
  const headings: Heading[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open' || !token.map) return;
    const inline = tokens[index + 1];
    const title = (inline?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    headings.push({
      level: Number(token.tag.slice(1)),
      title,
      startLine: token.map[0],
      endLine: token.map[1],
    });
  });
  return headings;
}

/** Feed the text between headings to the writer paragraph by paragraph (blank lines apart). */
function writeParagraphs(writer: SectionWriter, lines: string[]): void {
  const block = lines.join('\n');
  for (const paragraph of block.split(/\n\s*\n/)) writer.paragraph(paragraph);
}

/** Write a Markdown text's sections (heading path) into a writer; used for Markdown, plain text, HTML. */
export async function writeMarkdownSections(
  markdown: string,
  writer: SectionWriter,
  context: ExtractionContext,
) {
  const lines = markdown.split('\n');
  let next = 0;
  for (const heading of findHeadings(markdown)) {
    writeParagraphs(writer, lines.slice(next, heading.startLine));
    writer.heading(heading.level, heading.title);
    next = heading.endLine;
    if (writer.full) return;
    await context.deadline.pause();
  }
  writeParagraphs(writer, lines.slice(next));
}

/** Markdown and plain text by heading (`{ kind: 'section', path }`); text before any heading has the path `[]`. */
export async function extractMarkdown(
  text: string,
  type: 'markdown' | 'text',
  context: ExtractionContext,
): Promise<ExtractedDocument> {
  const writer = new SectionWriter(context.budget);
  await writeMarkdownSections(text, writer, context);
  const pieces = writer.finish();
  if (pieces.length === 0) throw emptyError('file');
  return { type, pieces, notes: context.notes };
}
