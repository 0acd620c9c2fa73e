import { escapeHtml, html, SafeHtml, safeHref } from '../html';

/** What a Lark card preview reads of a card (JSON 2.0): the elements Deskmate's renderer makes. */
interface CardElement {
  tag?: string;
  content?: string;
  text_size?: string;
  text?: { content?: string };
  type?: string;
  columns?: Array<{ elements?: CardElement[] }>;
}

const placeholder = (index: number) => `\uE000${index}\uE000`;

/** Inline Lark Markdown (already HTML-escaped text): bold, italic, strike, code. */
function inline(escaped: string): string {
  return escaped
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '<del>$1</del>')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)/g, '$1<em>$2</em>');
}

/**
 * Lark card Markdown as HTML, as a card shows it: `[label](url)` links (http and https only), `<at>`
 * mentions, **bold**, *italic*, ~~strike~~, `code`, ``` blocks, headings, lists and quotes. Every character
 * of the text is escaped first.
 */
export function larkMarkdownToHtml(markdown: string): SafeHtml {
  const blocks = markdown.replace(/\uE000/g, '').split(/```/);
  const parts = blocks.map((block, index) => {
    if (index % 2 === 1) return `<pre>${escapeHtml(block.replace(/^[^\n]*\n/, ''))}</pre>`;
    const tokens: string[] = [];
    const stash = (markup: string) => {
      tokens.push(markup);
      return placeholder(tokens.length - 1);
    };
    const withPlaceholders = block
      .replace(
        /\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\((https?:\/\/[^\s)]+)\)/g,
        (_whole, label: string, url: string) =>
          stash(`<a href="${escapeHtml(safeHref(url))}" rel="noreferrer">${inline(escapeHtml(label))}</a>`),
      )
      .replace(/<at\b[^>]*>([^<]*)<\/at>/gi, (_whole, name: string) =>
        stash(`<span class="mention">@${escapeHtml(name || 'someone')}</span>`),
      );
    const lines = withPlaceholders.split('\n').map((line) => {
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (heading) return `<strong class="card-heading">${inline(escapeHtml(heading[1]))}</strong>`;
      const quote = /^>\s?(.*)$/.exec(line);
      if (quote) return `<blockquote>${inline(escapeHtml(quote[1]))}</blockquote>`;
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      if (bullet) return `${bullet[1] ? '&nbsp;&nbsp;' : ''}• ${inline(escapeHtml(bullet[2]))}`;
      return inline(escapeHtml(line));
    });
    return lines
      .join('<br>')
      .replace(/\uE000(\d+)\uE000/g, (_whole, number: string) => tokens[Number(number)] ?? '');
  });
  return new SafeHtml(parts.join(''));
}

function elementHtml(element: CardElement): SafeHtml {
  switch (element.tag) {
    case 'markdown':
      return html`<div class="card-markdown${element.text_size === 'notation' ? ' notation' : ''}">${larkMarkdownToHtml(element.content ?? '')}</div>`;
    case 'hr':
      return html`<hr class="card-divider">`;
    case 'column_set':
      return html`<div class="card-columns">${(element.columns ?? []).flatMap((column) => (column.elements ?? []).map(elementHtml))}</div>`;
    case 'button':
      return html`<button type="button" disabled class="card-button ${element.type === 'primary' ? 'primary' : element.type === 'danger' ? 'danger' : ''}">${element.text?.content ?? ''}</button>`;
    default:
      return html``;
  }
}

/** A Lark card (JSON 2.0) as card-like HTML. */
export function larkPreview(card: unknown): SafeHtml {
  const elements = ((card as { body?: { elements?: unknown } })?.body?.elements ?? []) as CardElement[];
  return html`<div class="lark-card"><div class="lark-header"><span class="avatar">D</span><strong>Deskmate</strong></div><div class="lark-body">${elements.map(elementHtml)}</div></div>`;
}
