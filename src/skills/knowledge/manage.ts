import type { KnowledgeSource } from '../../core/knowledge-index';
import { userPrincipal } from '../../core/knowledge-principals';
import type { Reply } from '../../core/reply';
import type { SkillContext, SkillKnowledge } from '../../core/skill';
import type { Language } from '../../text/language';
import { sourceLine } from './excerpts';
import { kbWording } from './kb-wording';

/** Most sources listed. */
const listLimit = 50;

/**
 * The sources the asker may see here, numbered from 1 in the order `kb list` shows: newest first, and by id
 * among sources indexed in the same millisecond (two files of one `kb add`), so `kb forget 2` is always the
 * second line of the list, whatever order the engine returns ties in.
 */
export async function visibleSources(knowledge: SkillKnowledge): Promise<KnowledgeSource[]> {
  const sources = await knowledge.index.sources(await knowledge.principals());
  const newestFirst = [...sources].sort(
    (a, b) => Date.parse(b.indexedAt) - Date.parse(a.indexedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return newestFirst.slice(0, listLimit);
}

/** `kb list`: the numbered sources the asker may see here, who added them or that they come from the folder. */
export async function listKnowledge(
  context: SkillContext,
  knowledge: SkillKnowledge,
  language: Language,
): Promise<Reply> {
  const words = kbWording[language];
  const sources = await visibleSources(knowledge);
  if (sources.length === 0) return { markdown: words.listEmpty };
  const asker = askerPrincipal(context);
  const lines = sources.map((source, index) => {
    const note = source.origin === 'folder' ? words.folder : source.addedBy === asker ? words.addedByYou : '';
    return `${index + 1}. ${sourceLine(source)}${note ? ` (${note})` : ''}`;
  });
  return { markdown: [`**${words.listTitle}**`, ...lines].join('\n') };
}

function askerPrincipal(context: SkillContext): string {
  const { platform, workspace } = context.message.conversation;
  return userPrincipal(platform, workspace, context.message.author.id);
}

/**
 * Whether the asker may forget a source: they added it, or they are in their own direct chat and the source is
 * theirs alone. Folder files are forgotten only by removing them from the folder.
 */
export function mayForget(context: SkillContext, source: KnowledgeSource): 'yes' | 'folder' | 'not_yours' {
  if (source.origin === 'folder') return 'folder';
  const asker = askerPrincipal(context);
  if (source.addedBy === asker) return 'yes';
  const ownDirectChat = context.message.conversation.kind === 'dm';
  if (ownDirectChat && source.access.length > 0 && source.access.every((principal) => principal === asker)) {
    return 'yes';
  }
  return 'not_yours';
}

/** The source `kb forget <n>` names, or what to say instead. */
export async function sourceToForget(
  context: SkillContext,
  knowledge: SkillKnowledge,
  number: number | undefined,
  language: Language,
): Promise<{ source: KnowledgeSource } | { reply: Reply }> {
  const words = kbWording[language];
  if (!number || !Number.isInteger(number) || number < 1) return { reply: { markdown: words.forgetUsage } };
  const source = (await visibleSources(knowledge))[number - 1];
  if (!source) return { reply: { markdown: words.noSuchNumber(number) } };
  const allowed = mayForget(context, source);
  if (allowed === 'folder') return { reply: { markdown: words.folderForget(source.title) } };
  if (allowed === 'not_yours') return { reply: { markdown: words.notYours(source.title), private: true } };
  return { source };
}

/** Remove a source the asker may forget; the next answer cannot use it. */
export async function forgetSource(
  context: SkillContext,
  knowledge: SkillKnowledge,
  source: KnowledgeSource,
  language: Language,
): Promise<Reply> {
  await knowledge.index.remove(source.id);
  context.effects.record('deleted', 'knowledge_source', source.id);
  context.logger.info({ sourceId: source.id }, 'knowledge source forgotten');
  return { markdown: kbWording[language].forgotten(source.title) };
}

/**
 * `kb status`: the engine, sources, chunks, keyword-only or with embeddings, how many the asker sees here, and
 * how far the knowledge folder's files are indexed while a pass's jobs run (the counts grow meanwhile).
 */
export async function knowledgeStatus(knowledge: SkillKnowledge, language: Language): Promise<Reply> {
  const words = kbWording[language];
  const status = await knowledge.index.status();
  const visible = (await visibleSources(knowledge)).length;
  // The status without the line when the store cannot say: the index answered, and that is the main part.
  const progress = await knowledge.folderProgress?.().catch(() => undefined);
  const line = words.status(status.engine, status.sources, status.chunks, status.vectors, visible);
  return {
    markdown: progress ? `${line} ${words.folderIndexing(progress.finished, progress.jobs)}` : line,
  };
}
