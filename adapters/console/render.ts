import type { Reply } from '../../src/core/reply';

/** Render a reply as terminal text: Markdown as is, sections, sources, numbered buttons. */
export function renderForConsole(reply: Reply): string {
  const parts = [reply.markdown.trim()];
  for (const section of reply.sections ?? []) parts.push(`\n## ${section.title}\n${section.markdown.trim()}`);
  if (reply.citations?.length) {
    parts.push(
      `\nSources: ${reply.citations.map((citation) => `[${citation.label}] ${citation.url}`).join('  ')}`,
    );
  }
  if (reply.buttons?.length) {
    const labels = reply.buttons.map((button, index) => `[${index + 1}] ${button.label}`).join('  ');
    parts.push(`\n${labels}   (type /click <number>)`);
  }
  if (reply.file) parts.push(`\n(attached: ${reply.file.filename}, ${reply.file.content.length} bytes)`);
  if (reply.footnote) parts.push(`\n_${reply.footnote}_`);
  return parts.join('\n');
}
