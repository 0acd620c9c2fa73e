import type { KnowledgeHit } from '../../core/knowledge-index';
import type { Reply } from '../../core/reply';
import type { Reranker } from '../../core/reranker';
import type { SkillContext, SkillKnowledge } from '../../core/skill';
import { renderPrompt } from '../../prompts/render';
import type { Language } from '../../text/language';
import { usageScope } from '../answer';
import {
  distinctSources,
  fencedExcerpts,
  linkKnowledgeCitations,
  placeLabel,
  sourceLine,
  validCitations,
} from './excerpts';
import { feedbackButtons } from './feedback';
import { knowledgeWording } from './wording';

/** Most excerpts sent with one question. */
const excerptLimit = 8;
/** With a rerank model, this many times the excerpts are fetched as candidates for it to choose from. */
const rerankCandidates = 3;
/** Passages shown without a model. */
const offlinePassages = 3;
/** Sources named when the answer is not found. */
const closestSourceCount = 3;
/** What the model answers when the excerpts do not hold the answer; replaced by a plain sentence. */
const notFoundMarker = 'NOT_IN_KNOWLEDGE';

/** The chunks the asker may read here that match the question best (access filtered inside the query). */
async function retrieve(
  context: SkillContext,
  knowledge: SkillKnowledge,
  question: string,
): Promise<KnowledgeHit[]> {
  const principals = await knowledge.principals();
  const vector = knowledge.embed
    ? (await knowledge.embed.embed([question], 'query', context.signal))[0]
    : undefined;
  const hits = await knowledge.index.search({
    text: question,
    ...(vector ? { vector } : {}),
    principals,
    limit: knowledge.rerank ? excerptLimit * rerankCandidates : excerptLimit,
  });
  context.logger.info({ principals: principals.length, hits: hits.length }, 'knowledge searched');
  return knowledge.rerank ? reranked(context, knowledge.rerank, question, hits) : hits;
}

/** The best candidates in the rerank model's order; when it fails, the index's order (logged, never fatal). */
async function reranked(
  context: SkillContext,
  reranker: Reranker,
  question: string,
  hits: KnowledgeHit[],
): Promise<KnowledgeHit[]> {
  if (hits.length <= 1) return hits;
  const started = Date.now();
  let failure = 'no_positions';
  try {
    const order = await reranker.rerank(
      question,
      hits.map((hit) => hit.chunk.text),
      excerptLimit,
      context.signal,
    );
    const chosen = order.map((position) => hits[position]).filter((hit) => hit !== undefined);
    if (chosen.length > 0) {
      context.logger.info(
        { model: reranker.model, candidates: hits.length, kept: chosen.length, ms: Date.now() - started },
        'knowledge reranked',
      );
      return chosen;
    }
  } catch (error) {
    failure = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown';
  }
  context.logger.warn(
    { model: reranker.model, code: failure, candidates: hits.length, ms: Date.now() - started },
    'knowledge rerank failed: the index order is kept',
  );
  return hits.slice(0, excerptLimit);
}

/** "Couldn't find" with the closest sources the asker may see here (the sources of the hits, access-filtered). */
function notFound(language: Language, hits: readonly KnowledgeHit[]): Reply {
  const words = knowledgeWording[language];
  const closest = distinctSources(hits).slice(0, closestSourceCount);
  const parts = [words.notFound];
  if (closest.length > 0)
    parts.push(`${words.closest}\n${closest.map((source) => `• ${sourceLine(source)}`).join('\n')}`);
  return { markdown: parts.join('\n\n') };
}

/** Without a model: the best passages with their sources, saying a model would answer better. */
function offlineAnswer(language: Language, hits: readonly KnowledgeHit[]): Reply {
  const words = knowledgeWording[language];
  const passages = hits.slice(0, offlinePassages).map((hit) => {
    const label = placeLabel(hit.source, hit.chunk.place);
    const cited = hit.source.link ? `[${label}](${hit.source.link})` : label;
    const text = hit.chunk.text
      .replace(/^#{1,6} .*$/gm, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 400);
    return `> ${text}\n— ${cited}`;
  });
  return { markdown: `**${words.offlineTitle}**\n\n${passages.join('\n\n')}`, footnote: words.offlineNote };
}

/**
 * Answer a question from the knowledge base: search with the asker's principals for the place the answer
 * goes, send only the retrieved chunks (fenced as untrusted data, no tools), keep citations of the given
 * excerpts only and link them to their source and place; an answer left with no valid citation says it was
 * not found, with the closest sources. Without a model, the best passages. Each answer carries 👍/👎.
 */
export async function answerFromKnowledge(
  context: SkillContext,
  knowledge: SkillKnowledge,
  question: string,
  language: Language,
): Promise<Reply> {
  const words = knowledgeWording[language];
  const hits = await retrieve(context, knowledge, question);
  if (hits.length === 0) {
    // An empty knowledge base is not "no answer": say how to fill it.
    const status = await knowledge.index.status().catch(() => undefined);
    if (status?.sources === 0) return { markdown: knowledgeWording[language].emptyBase };
    return notFound(language, hits);
  }
  if (!context.llm.configured) return offlineAnswer(language, hits);
  const prompt = renderPrompt('ask-knowledge', {
    requesterName: context.message.author.name ?? 'a colleague',
    language: words.languageName,
    notFoundMarker,
  });
  const result = await context.llm.complete({
    system: prompt.text,
    maxTokens: prompt.maxTokens,
    messages: [
      {
        role: 'user',
        content: `${fencedExcerpts(hits)}\n\n<question>\n${question.replace(/<\/?question>/gi, '')}\n</question>`,
      },
    ],
    // The excerpts are data: this path offers the model no tools.
    tools: undefined,
    purpose: 'ask',
    scope: usageScope(context.message),
    signal: context.signal,
  });
  const answer = result.text.trim();
  const cited = validCitations(answer, hits.length);
  context.logger.info(
    { sent: hits.length, cited: cited.length },
    'question answered from the knowledge base',
  );
  if (answer.includes(notFoundMarker) || cited.length === 0) return notFound(language, hits);
  const citedSources = [...new Set(cited.map((number) => hits[number - 1].source.id))];
  return {
    markdown: linkKnowledgeCitations(answer, hits),
    buttons: await feedbackButtons(context, language, citedSources),
  };
}
