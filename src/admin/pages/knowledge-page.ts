import { html, type SafeHtml } from '../html';
import type { Words } from '../wording';

/** The knowledge page: a placeholder until the knowledge base is part of Deskmate. */
export function knowledgePage(words: Words): SafeHtml {
  return html`<p id="knowledge-placeholder">${words.knowledge.placeholder}</p>`;
}
