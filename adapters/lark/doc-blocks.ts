/** A docx block as `docx.v1.documentBlock.list` returns it (the fields Deskmate reads). */
export interface LarkDocBlock {
  block_id?: string;
  parent_id?: string;
  block_type: number;
  [field: string]: unknown;
}

/** The rich text of a text-like block: `{ elements: [{ text_run: { content } }, …] }`. */
interface RichText {
  elements?: Array<{
    text_run?: { content?: string; text_element_style?: { link?: { url?: string } } };
    mention_user?: { user_id?: string };
    mention_doc?: { title?: string; url?: string };
    equation?: { content?: string };
  }>;
}

/** Block types by the field holding their text, and how each is written as Markdown. */
const textFields: Record<number, { field: string; prefix: (level: number) => string }> = {
  1: { field: 'page', prefix: () => '# ' },
  2: { field: 'text', prefix: () => '' },
  12: { field: 'bullet', prefix: () => '- ' },
  13: { field: 'ordered', prefix: () => '1. ' },
  14: { field: 'code', prefix: () => '' },
  15: { field: 'quote', prefix: () => '> ' },
  17: { field: 'todo', prefix: () => '- [ ] ' },
};
for (let level = 1; level <= 9; level += 1) {
  // heading1 … heading9 are block types 3 … 11.
  textFields[level + 2] = { field: `heading${level}`, prefix: () => `${'#'.repeat(Math.min(level, 6))} ` };
}

/** The plain text of a block's rich text (links written as `text (url)`). */
function richTextOf(value: unknown): string {
  const rich = value as RichText | undefined;
  return (rich?.elements ?? [])
    .map((element) => {
      if (element.text_run) {
        const content = element.text_run.content ?? '';
        const url = element.text_run.text_element_style?.link?.url;
        return url ? `${content} (${decodeURIComponent(url)})` : content;
      }
      if (element.mention_doc) return element.mention_doc.title ?? element.mention_doc.url ?? '';
      if (element.equation) return element.equation.content ?? '';
      return '';
    })
    .join('');
}

/** The document's title: the text of its page block. */
export function documentTitle(blocks: readonly LarkDocBlock[]): string | undefined {
  const page = blocks.find((block) => block.block_type === 1);
  const title = page ? richTextOf(page.page).trim() : '';
  return title || undefined;
}

/**
 * A Lark Doc's blocks as Markdown, in document order: its title and headings as `#` lines (so sections get
 * their heading path), paragraphs, list items, quotes, todos and code; tables as their cells' text; images,
 * files and embedded sheets left out.
 */
export function blocksToMarkdown(blocks: readonly LarkDocBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    const kind = textFields[block.block_type];
    if (!kind) continue;
    const text = richTextOf(block[kind.field]).replace(/\s+$/u, '');
    if (!text.trim()) continue;
    if (block.block_type === 14) lines.push(`\`\`\`\n${text}\n\`\`\``);
    else lines.push(`${kind.prefix(block.block_type - 2)}${text.replace(/\n/g, ' ')}`);
  }
  return lines.join('\n\n');
}
