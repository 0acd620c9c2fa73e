import { escapeHtml, html, SafeHtml, safeHref } from '../html';

/** What a Slack message preview reads of Block Kit: the few block types Deskmate's renderer makes. */
interface Block {
  type?: string;
  text?: { text?: string };
  elements?: Array<{ type?: string; text?: string | { text?: string }; style?: string }>;
}

const placeholder = (index: number) => `\uE000${index}\uE000`;

/** Slack's three escapes back to characters. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** One `<…>` token of mrkdwn as HTML: a link, a user or channel mention, a special mention. */
function tokenHtml(inner: string): string {
  const [target, label] = inner.split('|', 2);
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    const shown = escapeHtml(unescapeSlack(label ?? target));
    return `<a href="${escapeHtml(safeHref(target))}" rel="noreferrer">${shown}</a>`;
  }
  if (target.startsWith('@'))
    return `<span class="mention">@${escapeHtml(unescapeSlack(label ?? target.slice(1)))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${escapeHtml(unescapeSlack(label ?? target.slice(1)))}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  return escapeHtml(unescapeSlack(`<${inner}>`));
}

/** Inline mrkdwn (already HTML-escaped text): bold, italic, strike, code. */
function inline(escaped: string): string {
  return escaped
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*(?=\S)([^*\n]+?)(?<=\S)\*(?=$|[\s).,:;!?])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_(?=\S)([^_\n]+?)(?<=\S)_(?=$|[\s).,:;!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~(?=\S)([^~\n]+?)(?<=\S)~(?=$|[\s).,:;!?])/g, '$1<del>$2</del>');
}

/**
 * Slack mrkdwn as HTML, as Slack shows it: `<url|label>` links (http, https and mailto only), mentions,
 * *bold*, _italic_, ~strike~, `code`, ``` blocks, > quotes. Every character of the text is escaped first.
 */
export function mrkdwnToHtml(mrkdwn: string): SafeHtml {
  // The private-use character marks placeholders below: none may come from the text itself.
  const blocks = mrkdwn.replace(/\uE000/g, '').split(/```/);
  const parts = blocks.map((block, index) => {
    if (index % 2 === 1) return `<pre>${escapeHtml(unescapeSlack(block.replace(/^\n/, '')))}</pre>`;
    const tokens: string[] = [];
    const withPlaceholders = block.replace(/<([^<>\n]+)>/g, (_whole, inner: string) => {
      tokens.push(tokenHtml(inner));
      return placeholder(tokens.length - 1);
    });
    const lines = withPlaceholders.split('\n').map((line) => {
      const quote = /^&gt;\s?/.exec(line);
      const body = inline(escapeHtml(unescapeSlack(quote ? line.slice(quote[0].length) : line)));
      return quote ? `<blockquote>${body}</blockquote>` : body;
    });
    return lines
      .join('<br>')
      .replace(/\uE000(\d+)\uE000/g, (_whole, number: string) => tokens[Number(number)] ?? '');
  });
  return new SafeHtml(parts.join(''));
}

function elementText(element: { text?: string | { text?: string } }): string {
  return typeof element.text === 'string' ? element.text : (element.text?.text ?? '');
}

/** A Block Kit message (`{ text, blocks }`) as a Slack-like HTML message from Deskmate. */
export function slackPreview(message: unknown): SafeHtml {
  const blocks = ((message as { blocks?: unknown })?.blocks ?? []) as Block[];
  const rendered = blocks.map((block) => {
    switch (block.type) {
      case 'section':
        return html`<div class="slack-section">${mrkdwnToHtml(block.text?.text ?? '')}</div>`;
      case 'context':
        return html`<div class="slack-context">${(block.elements ?? []).map((element) => mrkdwnToHtml(elementText(element)))}</div>`;
      case 'divider':
        return html`<hr class="slack-divider">`;
      case 'actions':
        return html`<div class="slack-actions">${(block.elements ?? []).map(
          (element) =>
            html`<button type="button" disabled class="slack-button ${element.style === 'primary' ? 'primary' : element.style === 'danger' ? 'danger' : ''}">${elementText(element)}</button>`,
        )}</div>`;
      default:
        return html``;
    }
  });
  return html`<div class="slack-message"><div class="avatar">D</div><div class="slack-body"><div class="slack-header"><strong>Deskmate</strong> <span class="app-badge">APP</span></div>${rendered}</div></div>`;
}
