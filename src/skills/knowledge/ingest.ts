import type { KnowledgeSource } from '../../core/knowledge-index';
import { userPrincipal } from '../../core/knowledge-principals';
import type { Reply } from '../../core/reply';
import type { SkillContext, SkillKnowledge } from '../../core/skill';
import type { DocumentLimits } from '../../documents/limits';
import { buildChunks } from '../../knowledge/build-chunks';
import type { Language } from '../../text/language';
import { type DocumentSource, sourceName } from '../documents/find-source';
import { allowSource, loadSource } from '../documents/read-source';
import { kbWording } from './kb-wording';
import { knowledgeAccessOf, knowledgeSourceId } from './source-ids';

/** How adding one source ended. */
type AddOutcome =
  | { kind: 'added'; name: string; sections: number }
  | { kind: 'already' | 'empty'; name: string };

/** A file without a link of its own (a Lark file message) is cited by a link to the message it came in. */
async function messageLinkOf(context: SkillContext, source: DocumentSource): Promise<string | undefined> {
  if (source.kind !== 'file' || !source.file.messageId || !context.platform.messageLink) return undefined;
  return context.platform.messageLink(source.file.conversation, source.file.messageId).catch(() => undefined);
}

/** Add one file or document: access first, then download, and index it unless this version is already there. */
async function addOne(
  context: SkillContext,
  knowledge: SkillKnowledge,
  source: DocumentSource,
  limits: DocumentLimits,
  language: Language,
): Promise<AddOutcome> {
  const id = knowledgeSourceId(source);
  const loaded = await loadSource(context, source, limits, language);
  const existing = (await knowledge.index.sources()).find((entry) => entry.id === id);
  // Added again where it was shared too (a file in a second channel): both conversations' members read it.
  const access = [...new Set([...(existing?.access ?? []), ...(await knowledgeAccessOf(context, source))])];
  const sameAccess = existing?.access.length === access.length;
  if (existing?.version === loaded.hash && sameAccess) return { kind: 'already', name: loaded.name };
  const chunks = await buildChunks({
    sourceId: id,
    title: loaded.name,
    bytes: loaded.content.bytes,
    ...(loaded.content.name ? { name: loaded.content.name } : {}),
    limits,
    ...(knowledge.embed ? { embedder: knowledge.embed } : {}),
    signal: context.signal,
  });
  if (chunks.length === 0) return { kind: 'empty', name: loaded.name };
  const link = loaded.link ?? (await messageLinkOf(context, source));
  const { platform, workspace } = context.message.conversation;
  const record: KnowledgeSource = {
    id,
    version: loaded.hash,
    origin: source.kind === 'file' ? 'shared_file' : 'linked_document',
    title: loaded.name,
    ...(link ? { link } : {}),
    access,
    addedBy: userPrincipal(platform, workspace, context.message.author.id),
    indexedAt: context.now().toISOString(),
  };
  const outcome = await knowledge.index.upsert(record, chunks);
  context.logger.info(
    { sourceId: id, chunks: chunks.length, principals: access.length, outcome },
    'knowledge source indexed',
  );
  if (outcome === 'unchanged') return { kind: 'already', name: loaded.name };
  context.effects.record('created', 'knowledge_source', id);
  return { kind: 'added', name: loaded.name, sections: chunks.length };
}

/**
 * `kb add`: index the files as this message's own job, one after another, showing progress by updating one
 * message ("Indexing plan.docx…", "Indexed 1 of 3 files…"); the same version again is "already there".
 */
export async function addToKnowledge(
  context: SkillContext,
  knowledge: SkillKnowledge,
  sources: readonly DocumentSource[],
  limits: DocumentLimits,
  language: Language,
): Promise<Reply> {
  const words = kbWording[language];
  // Access first, for every file: a refusal (`forbidden`, answered privately) leaves nothing in the conversation.
  for (const source of sources) await allowSource(context, source);
  const outcomes: AddOutcome[] = [];
  for (const [index, source] of sources.entries()) {
    await context.respond.progress(
      sources.length === 1
        ? words.indexing(sourceName(source, language === 'zh' ? '文件' : 'the file'))
        : words.indexingMany(index, sources.length),
    );
    outcomes.push(await addOne(context, knowledge, source, limits, language));
  }
  const lines = outcomes.map((outcome) =>
    outcome.kind === 'added'
      ? words.added(outcome.name, outcome.sections)
      : outcome.kind === 'already'
        ? words.already(outcome.name)
        : words.empty(outcome.name),
  );
  if (sources.length > 1)
    lines.unshift(words.addedMany(outcomes.filter((entry) => entry.kind !== 'empty').length, sources.length));
  return { markdown: lines.join('\n') };
}
