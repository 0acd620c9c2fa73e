/**
 * Citation validity of knowledge answers: every labelled question (and the unanswerable ones) asked with
 * `ask`/`问` through the real pipeline and the knowledge-answers code, on the fixture corpus in an embedded
 * LanceDB, with a fake model that cites the excerpts it was given and, in every other answer, numbers it was
 * not given ([n+1], [n+7], [0]). Reports the fraction of answers whose citations all name a retrieved chunk,
 * in the model's raw text and in what the person is shown (after the validator).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationRef } from '../src/core/conversation';
import type { LlmRequest } from '../src/core/llm-provider';
import { createLanceDbKnowledgeIndex } from '../src/knowledge/lancedb/lancedb-knowledge-index';
import { createLogger } from '../src/logger';
import { RecordingPlatform } from '../test/fakes/recording-platform';
import { ScriptedLlm } from '../test/fakes/scripted-llm';
import { inboundMessage } from '../test/helpers/messages';
import { startTestPipeline } from '../test/helpers/pipeline';
import { loadKnowledgeQuestions } from '../test/knowledge/fixture-corpus';
import { indexFixtureCorpus } from '../test/knowledge/index-fixture-corpus';

const workspace = 'T0LANTING';
const asker = 'U0ASKER';
const directChat: ConversationRef = { platform: 'slack', workspace, channel: `D${asker}`, kind: 'dm' };

/** What the citations part measured. */
export interface CitationFigures {
  answers: number;
  /** Answers whose raw model text cites only excerpts it was given. */
  validBeforeValidator: number;
  /** Answers whose shown text cites only retrieved chunks (by their labels), with no bare number left. */
  validAfterValidator: number;
  /** Answers shown as "not found" (no valid citation was left). */
  notFound: number;
}

/** The excerpts a knowledge request gave the model, as the labels a citation of each shows (titles here have no ` — `; places may). */
function givenLabels(request: LlmRequest): string[] {
  const content = request.messages.map((message) => String(message.content)).join('\n');
  return [...content.matchAll(/^\[(\d+)\] (.*?) — (.*)$/gm)].map(([, , title, place]) =>
    place.startsWith('§') ? `${title.trim()} ${place}` : `${title.trim()}, ${place}`,
  );
}

/** The bracketed citations of a text, `[label](link)` or `[label]`, as their labels. */
function citedLabels(text: string): string[] {
  return [...text.matchAll(/\[([^\]\n]+)\](?:\([^)]*\))?/g)].map((match) => match[1]);
}

/** The fake model: cites [1] and [2]; every other answer also cites [n+1], [n+7] and [0], which it was not given. */
function citingModel(): { model: ScriptedLlm; rawAnswers: Array<{ given: number; text: string }> } {
  const rawAnswers: Array<{ given: number; text: string }> = [];
  const model = new ScriptedLlm([], (request) => {
    if (request.purpose !== 'ask') return { text: 'ok' };
    const given = givenLabels(request).length;
    const wrong = rawAnswers.length % 2 === 1 ? ` Also see [${given + 1}], [${given + 7}] and [0].` : '';
    const text = `The policy says so [1]. The details are in the second excerpt [${Math.min(2, given)}].${wrong}`;
    rawAnswers.push({ given, text });
    return { text };
  });
  return { model, rawAnswers };
}

/** Ask every question once and count valid citations before and after the validator. */
export async function measureCitations(): Promise<CitationFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'deskmate-bench-citations-'));
  const index = await createLanceDbKnowledgeIndex({
    uri: directory,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await indexFixtureCorpus(index);
    const platform = new RecordingPlatform('slack');
    platform.members.add(asker);
    const { model, rawAnswers } = citingModel();
    const pipeline = await startTestPipeline({
      platforms: { slack: platform },
      llm: model,
      knowledge: { index },
    });
    const figures: CitationFigures = {
      answers: 0,
      validBeforeValidator: 0,
      validAfterValidator: 0,
      notFound: 0,
    };
    for (const question of loadKnowledgeQuestions()) {
      const before = model.requests.length;
      const command = question.language === 'zh' ? '问' : 'ask';
      await pipeline.queue.enqueue(
        inboundMessage(`${command} ${question.question}`, {
          conversation: directChat,
          author: { id: asker, name: 'Asker' },
        }),
      );
      await pipeline.drain();
      const request = model.requests.slice(before).find((each) => each.purpose === 'ask');
      if (!request) continue;
      const raw = rawAnswers[rawAnswers.length - 1];
      const labels = new Set(givenLabels(request));
      const shown = platform.visibleMessages().at(-1) ?? '';
      figures.answers += 1;
      const rawNumbers = [...raw.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
      if (rawNumbers.every((number) => number >= 1 && number <= raw.given)) figures.validBeforeValidator += 1;
      const cited = citedLabels(shown);
      if (cited.length === 0) figures.notFound += 1;
      if (cited.every((label) => labels.has(label))) figures.validAfterValidator += 1;
    }
    await pipeline.stop();
    return figures;
  } finally {
    await index.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
