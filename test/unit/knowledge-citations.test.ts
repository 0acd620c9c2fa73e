import type { KnowledgeHit } from '../../src/core/knowledge-index';
import { linkKnowledgeCitations } from '../../src/skills/knowledge/excerpts';

/** One hit without a link, so a valid citation shows as `[title § place]`. */
function hit(title: string, place: string): KnowledgeHit {
  return {
    chunk: { id: `${title}#0`, sourceId: title, text: 'text', headingPath: [], place, language: 'en' },
    source: {
      id: title,
      version: 'v1',
      origin: 'folder',
      title,
      access: ['everyone'],
      indexedAt: '2026-12-05T00:00:00.000Z',
    },
    score: 1,
  };
}

/** Removing a citation that names no given excerpt leaves no stray commas, connectives, spaces or brackets. */
describe('linkKnowledgeCitations: what an invalid citation leaves behind', () => {
  const hits = [hit('leave.md', '§ Annual leave'), hit('travel.md', '§ Hotels')];

  test.each([
    ['Leave is 15 days [1]. Also see [7], and [8].', 'Leave is 15 days [leave.md § Annual leave]. Also see.'],
    ['Leave is 15 days [1], [9].', 'Leave is 15 days [leave.md § Annual leave].'],
    [
      'Leave is 15 days [9], and hotels are capped [2].',
      'Leave is 15 days, and hotels are capped [travel.md § Hotels].',
    ],
    ['Leave is 15 days ([9]).', 'Leave is 15 days.'],
    ['Hotels are capped [2] and [7] [8].', 'Hotels are capped [travel.md § Hotels].'],
    ['年假 15 天 [1]，另见 [7]、[8]。', '年假 15 天 [leave.md § Annual leave]，另见。'],
    ['年假 15 天（[9]）。', '年假 15 天。'],
  ])('%s', (answer, shown) => {
    expect(linkKnowledgeCitations(answer, hits)).toBe(shown);
  });
});
