/**
 * Recall@k of the labelled questions on an index holding the fixture corpus: each question searched with an
 * asker's principals, ranked against its labelled passages. Shared by the recall test and the knowledge bench.
 */
import type { Embedder } from '../../src/core/embedder';
import type { KnowledgeIndex, KnowledgePrincipal } from '../../src/core/knowledge-index';
import type { AnswerableQuestion } from './fixture-corpus';
import { documentOfHit } from './index-fixture-corpus';
import { firstAnsweringRank, type LocatedPassage, locatePassages } from './recall-scoring';

/** Each question's first answering rank among `limit` hits (undefined: not found), and the search times. */
export interface QuestionRanks {
  ranks: Map<string, number | undefined>;
  /** Milliseconds per search, model calls (the question's embedding) excluded. */
  searchMs: number[];
}

/** Search every question with `principals` and rank the hits against its labelled passages. */
export async function rankQuestions(
  index: KnowledgeIndex,
  questions: readonly AnswerableQuestion[],
  principals: KnowledgePrincipal[],
  options: { limit?: number; embedder?: Embedder; located?: Map<string, LocatedPassage[]> } = {},
): Promise<QuestionRanks> {
  const located = options.located ?? (await locatePassages(questions));
  const ranks = new Map<string, number | undefined>();
  const searchMs: number[] = [];
  for (const question of questions) {
    const vector = options.embedder
      ? (await options.embedder.embed([question.question], 'query'))[0]
      : undefined;
    const started = performance.now();
    const hits = await index.search({
      text: question.question,
      ...(vector ? { vector } : {}),
      principals,
      limit: options.limit ?? 5,
    });
    searchMs.push(performance.now() - started);
    ranks.set(question.id, firstAnsweringRank(hits, located.get(question.id) ?? [], documentOfHit));
  }
  return { ranks, searchMs };
}
