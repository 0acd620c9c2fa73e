import type { KnowledgeChunk } from '../core/knowledge-index';

/**
 * What keyword search reads for a chunk: its source's title (a file name without its extension, dashes and
 * underscores as spaces) and its heading path, each part once (a Markdown file's first heading is often its
 * name), above its text. A passage is then also found by the name of the policy and section it sits in
 * (`Travel policy 2025 › Hotels`), which its own sentences rarely repeat.
 */
export function searchTextOf(title: string, chunk: Pick<KnowledgeChunk, 'headingPath' | 'text'>): string {
  const name = title
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  const parts = [name, ...chunk.headingPath].filter(Boolean);
  const distinct = parts.filter(
    (part, index) => parts.findIndex((other) => other.toLowerCase() === part.toLowerCase()) === index,
  );
  return `${distinct.join(' › ')}\n${chunk.text}`;
}
