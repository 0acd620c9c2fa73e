import { z } from 'zod';
import type { Reply } from '../../core/reply';
import { requestText, type Skill, type SkillContext } from '../../core/skill';
import type { DocumentLimits } from '../../documents/limits';
import { renderPrompt } from '../../prompts/render';
import { findUrls } from '../../text/sanitize';
import { usageScope } from '../answer';
import { toolArguments } from '../arguments';
import {
  citationsOf,
  citedPieceNumbers,
  fencedDocument,
  linkPieceCitations,
  numberPieces,
} from '../documents/document-text';
import { findDocumentSource, sourceName } from '../documents/find-source';
import { allowSource, documentLimitsOf, loadSource, readLoaded } from '../documents/read-source';
import { requestLanguage } from '../documents/request-language';
import { answerFromKnowledge } from '../knowledge/answer';
import { recordFeedbackClick } from '../knowledge/feedback';
import { selectPieces } from './select-pieces';
import { askWording } from './wording';

/** What the model may pass the ask skill. */
type AskArguments = { link?: string | null };

/** Options of the ask skill. */
export interface AskOptions {
  /** Most document tokens sent with one question. */
  contextTokens?: number;
  /** Limits for reading shared files and documents (the DOCUMENT_* settings). */
  documents?: Partial<DocumentLimits>;
}

/** What the model answers when the document does not contain the answer; replaced by a plain sentence. */
const notFoundMarker = 'NOT_IN_DOCUMENT';

/** The question and the words that may point at a file: a command's text, or the person's own message. */
function questionOf(context: SkillContext<AskArguments>): { question: string; links: string } {
  const { request, args, message } = context;
  const text = request.kind === 'command' ? requestText(request) : message.text;
  // A link the model gives counts only when the person wrote it.
  const modelLink = request.kind === 'model' && args.link && findUrls(message.text).includes(args.link);
  const question = text
    .replace(/\bhttps?:\/\/\S+/giu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { question, links: modelLink ? `${text} ${args.link}` : text };
}

/**
 * Create the ask skill: `ask <question>` / `问 <问题>` answers from one shared file or linked document only
 * (the message's own file, a link in it, or the latest file shared in the thread or direct chat), with
 * citations of its places, and says plainly when the file does not contain the answer. With no file to
 * answer from, it answers from the knowledge base (when one is configured), with 👍/👎 on each answer.
 */
export function createAskSkill(options: AskOptions = {}): Skill<AskArguments> {
  const contextTokens = options.contextTokens ?? 12_000;
  const limits = documentLimitsOf(options.documents);
  return {
    name: 'ask',
    commandWords: ['ask', '问', '提问'],
    description:
      "Answer a question from a file shared in this thread or direct chat, from a linked file or document, or else from the company's knowledge base (policies, plans, handbooks), with citations of the sources and their pages or sections.",
    ...toolArguments({
      link: z
        .string()
        .max(2000)
        .nullish()
        .describe('A link to the file or document the question is about, if the user gave one.'),
    }),
    help: {
      en: 'Ask a question about a shared file or doc, or the knowledge base: the answer cites its sources.',
      zh: '就分享的文件、文档或知识库提问：回答会注明出处。',
      examples: ['ask what is the Q3 budget?', '问 合同什么时候到期？'],
      needsModel: true,
    },
    routable: true,
    readsFiles: true,
    // The 👍/👎 buttons under knowledge answers.
    ownsButtons: true,
    async run(context): Promise<Reply> {
      if (context.request.kind === 'action') {
        // Its only buttons are 👍/👎 under knowledge answers.
        return recordFeedbackClick(context, context.request.action.value);
      }
      const { question, links } = questionOf(context);
      const language = requestLanguage(context.message, question || context.message.text);
      const words = askWording[language];
      if (!question) return { markdown: words.usage };
      const knowledge = context.knowledge;
      if (!context.llm.configured && !knowledge) return { markdown: words.needsModel };
      const source = await findDocumentSource(context, links, { searchConversation: true });
      if (!source) {
        return knowledge
          ? answerFromKnowledge(context, knowledge, question, language)
          : { markdown: words.noFile };
      }
      if (!context.llm.configured) return { markdown: words.needsModel };
      // Access first: nothing is shown or read for someone who may not read the source.
      await allowSource(context, source);
      await context.respond.progress(words.reading(sourceName(source, words.theFile)));
      const loaded = await loadSource(context, source, limits, language);
      const document = await readLoaded(context, loaded, limits);
      const pieces = numberPieces(document.pieces);
      const selected = selectPieces(pieces, question, contextTokens);
      const prompt = renderPrompt('ask-document', {
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
            content: `${fencedDocument(selected, loaded.name)}\n\n<question>\n${question.replace(/<\/?question>/gi, '')}\n</question>`,
          },
        ],
        // The document is data: this path offers the model no tools.
        tools: undefined,
        purpose: 'ask',
        scope: usageScope(context.message),
        signal: context.signal,
      });
      const answer = result.text.trim();
      // Only the pieces the model was given may be cited; an answer citing none of them is not from the file.
      const given = new Set(selected.map((entry) => entry.number));
      const cited = citedPieceNumbers(answer).filter((number) => given.has(number));
      context.logger.info(
        { pieces: pieces.length, sent: selected.length, cited: cited.length },
        'question answered from a document',
      );
      if (answer.includes(notFoundMarker) || cited.length === 0) {
        return { markdown: words.notFound(loaded.name) };
      }
      const body = linkPieceCitations(answer, citationsOf(answer, selected), {
        language,
        link: loaded.link,
        sourceTexts: selected.map((entry) => entry.piece.text),
      });
      const notes = document.notes.map((note) => note.message[language]);
      if (selected.length < pieces.length) notes.push(words.partly(selected.length, pieces.length));
      const parts = [`**${words.title(loaded.name)}**`, body];
      if (notes.length > 0) parts.push(`_${notes.join(' ')}_`);
      return { markdown: parts.join('\n\n') };
    },
  };
}
