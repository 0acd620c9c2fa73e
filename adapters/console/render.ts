import type { Reply } from '../../src/core/reply';
import { detectLanguage } from '../../src/text/language';
import { clickWording } from './click';

/** One line of Markdown as terminal text: headings, emphasis, strike-through and links made plain. */
function plainLine(line: string): string {
  return (
    line
      .replace(/^#{1,6}\s+/, '')
      .replace(/\*\*([^*\n]+?)\*\*/g, '$1')
      .replace(/__([^_\n]+?)__/g, '$1')
      // Single `_` or `*` emphasis only around words, so LLM_PROVIDER and 2*3 stay as they are.
      .replace(/(^|[\s(“"'（])_(?=\S)([^\n]*?\S)_(?=$|[\s).,;:!?”"'）。，])/g, '$1$2')
      .replace(/(^|[\s(“"'（])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?=$|[\s).,;:!?”"'）。，])/g, '$1$2')
      .replace(/~~?([^~\n]+?)~~?/g, '$1')
      .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_match, label: string, url: string) =>
        label === url ? url : `${label} (${url})`,
      )
  );
}

/**
 * Markdown as plain terminal text, line by line (so text streamed in whole lines reads the same as the final
 * reply). Inline code keeps its backticks: they mark what to type.
 */
export function plainText(markdown: string): string {
  return markdown.split('\n').map(plainLine).join('\n');
}

/** Render a reply as terminal text: plain text, sections, sources, numbered buttons in the card's language. */
export function renderForConsole(reply: Reply): string {
  const parts = [plainText(reply.markdown.trim())];
  for (const section of reply.sections ?? []) {
    parts.push(`\n${plainText(section.title)}\n${plainText(section.markdown.trim())}`);
  }
  if (reply.citations?.length) {
    parts.push(
      `\nSources: ${reply.citations.map((citation) => `[${citation.label}] ${citation.url}`).join('  ')}`,
    );
  }
  if (reply.buttons?.length) {
    const labels = reply.buttons.map((button, index) => `[${index + 1}] ${button.label}`).join('  ');
    const language = detectLanguage(reply.markdown);
    parts.push(`\n${labels}   (${clickWording[language].hint})`);
  }
  if (reply.footnote) parts.push(`\n${plainText(reply.footnote)}`);
  return parts.join('\n');
}
