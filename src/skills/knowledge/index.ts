import { z } from 'zod';
import { type Reply, type ReplyButton, textReply } from '../../core/reply';
import { requestText, type Skill, type SkillContext, type SkillKnowledge } from '../../core/skill';
import type { DocumentLimits } from '../../documents/limits';
import { normalizeCommandText } from '../../text/command-text';
import { detectLanguage, type Language } from '../../text/language';
import { findUrls } from '../../text/sanitize';
import { toolArguments } from '../arguments';
import { replaceCard } from '../card';
import { type DocumentSource, findDocumentSource } from '../documents/find-source';
import { documentLimitsOf } from '../documents/read-source';
import { requestLanguage } from '../documents/request-language';
import { proposalForClick, saveProposal, updateProposal } from '../proposals';
import { answerFromKnowledge } from './answer';
import { addToKnowledge } from './ingest';
import { kbWording } from './kb-wording';
import { forgetSource, knowledgeStatus, listKnowledge, mayForget, sourceToForget } from './manage';

/** What the model may pass the kb skill; add and forget only ever propose. */
type KbArguments = { action?: 'add' | 'list' | 'forget' | 'status' | null; number?: number | null };

/** What a model-routed add or forget waits for the requester's click with. */
type KbProposal =
  | { action: 'add'; sources: DocumentSource[]; language: Language }
  | { action: 'forget'; sourceId: string; title: string; language: Language };

/** Options of the kb skill. */
export interface KbOptions {
  /** Limits for reading shared files and documents (the DOCUMENT_* settings). */
  documents?: Partial<DocumentLimits>;
}

/** What a typed kb command does; `search` is typed only (the model routes questions to ask). */
type KbAction = 'add' | 'list' | 'forget' | 'status' | 'search';

const subcommands: Record<string, KbAction> = {
  add: 'add',
  添加: 'add',
  加入: 'add',
  list: 'list',
  ls: 'list',
  列表: 'list',
  forget: 'forget',
  remove: 'forget',
  delete: 'forget',
  删除: 'forget',
  删掉: 'forget',
  移除: 'forget',
  status: 'status',
  状态: 'status',
  // `kb search travel budget` wants what the knowledge base says about it: answered like `ask`, from it alone.
  search: 'search',
  find: 'search',
  搜索: 'search',
  查找: 'search',
  查询: 'search',
};

/**
 * The subcommand, its number and the words after it from a typed command (`kb forget 3`, `知识库 删除 3`,
 * `kb search travel budget`), full-width digits and spaces read as ASCII (`kb forget ３`).
 */
function parseCommand(text: string): { action?: KbAction; number?: number; rest: string } {
  const [word = '', ...after] = normalizeCommandText(text).trim().split(/\s+/);
  const action = subcommands[word.toLowerCase()];
  const next = after[0] ?? '';
  const number = /^#?\d+$/.test(next) ? Number(next.replace('#', '')) : undefined;
  return { ...(action ? { action } : {}), ...(number ? { number } : {}), rest: after.join(' ') };
}

/** The files and documents a `kb add` is about: every file of the message, else a link in it or the message it replies to. */
async function sourcesToAdd(context: SkillContext): Promise<DocumentSource[]> {
  const files = context.message.files ?? [];
  if (files.length > 0) return files.map((file) => ({ kind: 'file', file }));
  // Only the person's words count for links: the model's input never names what to read.
  const found = await findDocumentSource(context, context.message.text);
  return found ? [found] : [];
}

function confirmButtons(proposalId: string, label: string, language: Language): ReplyButton[] {
  return [
    { label, skill: 'kb', action: 'confirm', value: proposalId, style: 'primary' },
    { label: kbWording[language].cancel, skill: 'kb', action: 'cancel', value: proposalId, style: 'danger' },
  ];
}

/** A model-routed add or forget: nothing changes until the requester clicks. */
async function propose(
  context: SkillContext,
  payload: KbProposal,
  question: string,
  label: string,
): Promise<Reply> {
  const proposal = await saveProposal<KbProposal>(
    context.store,
    'kb',
    context.message,
    payload,
    context.now(),
  );
  return textReply(question, { buttons: confirmButtons(proposal.id, label, payload.language) });
}

async function handleClick(context: SkillContext, knowledge: SkillKnowledge, limits: DocumentLimits) {
  const action = context.message.action;
  if (!action) return undefined;
  const clicked = await proposalForClick<KbProposal>(context, action.value, (payload) => payload.language);
  if ('refusal' in clicked) return clicked.refusal;
  const { proposal } = clicked;
  const { language } = proposal.payload;
  const words = kbWording[language];
  if (proposal.status === 'created') return textReply(words.alreadyDone, { private: true });
  if (proposal.status === 'cancelled' || action.action === 'cancel') {
    if (proposal.status === 'pending')
      await updateProposal(context.store, { ...proposal, status: 'cancelled' });
    return replaceCard(context, textReply(words.cancelled));
  }
  if (action.action !== 'confirm') return undefined;
  const payload = proposal.payload;
  // Marked done only once it is: a refusal or a failure leaves the card to click again.
  const done = async (reply: Reply) => {
    await updateProposal(context.store, { ...proposal, status: 'created' });
    return replaceCard(context, reply);
  };
  if (payload.action === 'add')
    return done(await addToKnowledge(context, knowledge, payload.sources, limits, language));
  const source = (await knowledge.index.sources()).find((entry) => entry.id === payload.sourceId);
  if (!source) return done(textReply(words.forgotten(payload.title)));
  if (mayForget(context, source) !== 'yes') return textReply(words.notYours(source.title), { private: true });
  return done(await forgetSource(context, knowledge, source, language));
}

/**
 * Create the kb skill: `kb add` / `知识库 添加` (a file in the message, a reply to one, or a file or doc link)
 * indexes it for the members of the conversation it was shared in; `kb list`, `kb forget <n>` (only who added
 * it), `kb status`. Typed commands act at once; the model's choice of add or forget waits for a click.
 */
export function createKbSkill(options: KbOptions = {}): Skill<KbArguments> {
  const limits = documentLimitsOf(options.documents);
  return {
    name: 'kb',
    commandWords: ['kb', '知识库'],
    description:
      'Manage the knowledge base: add a shared file or linked document to it, list its sources, forget one by its number, or show its status. Not for questions: use ask for those.',
    ...toolArguments({
      action: z.enum(['add', 'list', 'forget', 'status']).nullish().describe('What to do.'),
      number: z.number().int().min(1).max(10_000).nullish().describe('For forget: the number from the list.'),
    }),
    help: {
      en: 'The knowledge base: `kb add` a file or doc, `kb list`, `kb forget <n>`, `kb status`.',
      zh: '知识库：`知识库 添加` 文件或文档，`知识库 列表`，`知识库 删除 <编号>`，`知识库 状态`。',
      examples: [
        'kb add',
        'kb list',
        'kb forget 2',
        'kb status',
        '知识库 添加',
        '知识库 列表',
        '知识库 删除 2',
        '知识库 状态',
      ],
    },
    routable: true,
    readsFiles: true,
    ownsButtons: true,
    async run(context): Promise<Reply | undefined> {
      const { request } = context;
      const knowledge = context.knowledge;
      const text = requestText(request);
      const language =
        request.kind === 'action'
          ? detectLanguage(context.message.text)
          : requestLanguage(context.message, text || context.message.text);
      const words = kbWording[language];
      if (!knowledge) return { markdown: words.noKnowledge };
      if (request.kind === 'action') return handleClick(context, knowledge, limits);
      const typed = request.kind === 'command';
      const { action, number, rest } = typed
        ? parseCommand(text)
        : { action: context.args.action ?? undefined, number: context.args.number ?? undefined, rest: '' };
      if (action === 'search') {
        return rest
          ? answerFromKnowledge(context, knowledge, rest, language)
          : { markdown: words.searchUsage };
      }
      if (action === 'list') return listKnowledge(context, knowledge, language);
      if (action === 'status') return knowledgeStatus(knowledge, language);
      if (action === 'forget') {
        const found = await sourceToForget(context, knowledge, number, language);
        if ('reply' in found) return found.reply;
        if (!typed) {
          const { source } = found;
          return propose(
            context,
            { action: 'forget', sourceId: source.id, title: source.title, language },
            words.proposeForget(source.title),
            words.confirmForget,
          );
        }
        return forgetSource(context, knowledge, found.source, language);
      }
      if (action === 'add') {
        const sources = await sourcesToAdd(context);
        if (sources.length === 0) {
          // A link that is no shared file or doc (a web page) is not fetched: say so, not "which file?".
          return { markdown: findUrls(text).length > 0 ? words.webLinkNotAdded : words.nothingToAdd };
        }
        if (!typed) {
          return propose(
            context,
            { action: 'add', sources, language },
            words.proposeAdd(sources.length),
            words.confirmAdd,
          );
        }
        return addToKnowledge(context, knowledge, sources, limits, language);
      }
      return { markdown: words.usage };
    },
  };
}
