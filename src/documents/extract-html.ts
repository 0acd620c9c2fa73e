import type { parseHTML as ParseHtml } from 'linkedom' with { 'resolution-mode': 'import' };
import type TurndownService from 'turndown';
import type { ExtractedDocument } from './document';
import { emptyError } from './document-error';
import { writeMarkdownSections } from './extract-markdown';
import type { ExtractionContext } from './extraction-context';
import { SectionWriter } from './sections';

let turndown: TurndownService | undefined;

/** The little of a DOM element the Turndown rules read (the project compiles without the DOM library). */
interface ElementLike {
  previousElementSibling: unknown;
  getAttribute(name: string): string | null;
}

/** Turndown, configured once: tables as `a | b` rows, images as their alt text, scripts and styles dropped. */
function loadTurndown(): TurndownService {
  if (turndown) return turndown;
  const TurndownClass = require('turndown') as typeof TurndownService;
  const service = new TurndownClass({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  service.remove(['script', 'style', 'noscript', 'iframe', 'svg' as 'script']);
  service.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content, node) =>
      `${(node as unknown as ElementLike).previousElementSibling ? ' | ' : ''}${content.trim()}`,
  });
  service.addRule('tableRow', { filter: 'tr', replacement: (content) => `\n${content}\n` });
  service.addRule('image', {
    filter: 'img',
    replacement: (_, node) => (node as unknown as ElementLike).getAttribute('alt') ?? '',
  });
  turndown = service;
  return service;
}

/**
 * HTML: the main content (Mozilla's Readability, on a linkedom DOM), as Markdown (Turndown), by heading.
 * All three load on first use (~0.8 s and ~30 MB together), never at start-up.
 */
export async function extractHtml(html: string, context: ExtractionContext): Promise<ExtractedDocument> {
  const { parseHTML } = require('linkedom') as { parseHTML: typeof ParseHtml };
  const { Readability } = require('@mozilla/readability') as typeof import('@mozilla/readability');
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
  const fallback = document.body?.innerHTML ?? '';
  await context.deadline.pause();
  let article: ReturnType<InstanceType<typeof Readability>['parse']> = null;
  try {
    article = new Readability(document as never, { charThreshold: 100 }).parse();
  } catch {
    // Readability gives up on odd pages; the whole body is read instead.
  }
  const content = article?.content || fallback;
  await context.deadline.pause();
  const { document: contentDocument } = parseHTML(`<!doctype html><html><body>${content}</body></html>`);
  const title = article?.title?.trim() || pageTitle;
  const body = loadTurndown().turndown(contentDocument.body as never);
  // Readability lifts the page's title out of the content; it goes back on top so sections sit under it.
  const markdown = title && !/^#\s/.test(body) ? `# ${title}\n\n${body}` : body;
  const writer = new SectionWriter(context.budget);
  await writeMarkdownSections(markdown, writer, context);
  const pieces = writer.finish();
  if (pieces.length === 0) throw emptyError('file');
  return { type: 'html', title, pieces, notes: context.notes };
}
