import type { Reply, ReplyButton } from '../../core/reply';
import type { SkillContext } from '../../core/skill';
import type { DocumentNote, ExtractedDocument } from '../../documents/document';
import type { DocumentLimits } from '../../documents/limits';
import type { Language } from '../../text/language';
import { findUrls } from '../../text/sanitize';
import { usageScope } from '../answer';
import {
  citationsOf,
  linkPieceCitations,
  numberPieces,
  type PieceCitation,
} from '../documents/document-text';
import { type DocumentSource, sourceName } from '../documents/find-source';
import { proposeTodos, todosFromMinutes } from '../documents/minutes-todos';
import { documentOutline } from '../documents/outline';
import { allowSource, type LoadedSource, loadSource, readLoaded } from '../documents/read-source';
import { summarizePieces } from '../documents/summarize-pieces';
import { isTranscript } from '../documents/transcript-kind';
import { retentionOf } from '../retention';
import type { ProposedTodo } from '../todo/extract';
import { documentWording } from './document-wording';
import type { SummaryBudget, SummaryCall } from './map-reduce';
import { promptWording, wording } from './wording';

/** What the document path of summarize needs. */
export interface DocumentSummaryOptions {
  /** Chunk size and parallel calls of the map-reduce. */
  budget: SummaryBudget;
  /** Limits for reading the file. */
  limits: DocumentLimits;
  /** How long a cached summary is kept (default: the deployment's summary retention). */
  cacheTtlSeconds?: number;
}

/** A document's summary or minutes, cached per content hash and language: asking again calls no model. */
interface CachedDocumentSummary {
  kind: 'summary' | 'minutes';
  body: string;
  citations: PieceCitation[];
  sourceUrls: string[];
  notes: DocumentNote[];
  todos: ProposedTodo[];
  createdAt: string;
}

/** The cache key of a document's answer: its bytes' hash and the language it was written in. */
export function documentSummaryKey(hash: string, language: Language): string {
  return `document-summary:${hash}:${language}`;
}

function render(
  cached: Pick<CachedDocumentSummary, 'kind' | 'body' | 'citations' | 'sourceUrls' | 'notes'>,
  loaded: LoadedSource,
  language: Language,
  extra: { lines?: string[]; buttons?: ReplyButton[]; footnote?: string; cachedNote?: boolean } = {},
): Reply {
  const words = documentWording[language];
  const title = cached.kind === 'minutes' ? words.titleMinutes(loaded.name) : words.titleSummary(loaded.name);
  const body = linkPieceCitations(cached.body, cached.citations, {
    language,
    link: loaded.link,
    sourceTexts: cached.sourceUrls,
  });
  const notes = cached.notes.map((note) => note.message[language]);
  if (extra.cachedNote) notes.push(words.fromCache);
  const parts = [`**${title}**`, body];
  if (notes.length > 0) parts.push(`_${notes.join(' ')}_`);
  if (extra.lines?.length) parts.push(extra.lines.join('\n'));
  return {
    markdown: parts.join('\n\n'),
    ...(extra.buttons?.length ? { buttons: extra.buttons } : {}),
    ...(extra.footnote ? { footnote: extra.footnote } : {}),
  };
}

/** The URLs in the document's text: links the model may repeat (any other is removed from its answer). */
function documentUrls(document: ExtractedDocument): string[] {
  return [...new Set(document.pieces.flatMap((piece) => findUrls(piece.text)))].slice(0, 500);
}

/** The todo card for the action items of minutes, when there are any. */
async function todoCard(context: SkillContext, todos: ProposedTodo[], language: Language) {
  return todos.length > 0 ? proposeTodos(context, todos, language) : {};
}

/**
 * Summarize a shared file or linked document: downloaded (the requester checked first), answered from the
 * cache when the same bytes were summarized before in this language, else read as a document and summarized
 * with citations of its places (map-reduce for long ones); a meeting transcript gets minutes, its action items
 * offered on the todo confirmation card. Without a model: an outline of headings and first sentences.
 */
export async function summarizeDocument(
  context: SkillContext,
  source: DocumentSource,
  language: Language,
  options: DocumentSummaryOptions,
): Promise<Reply> {
  const words = documentWording[language];
  // Access first: nothing is shown or read for someone who may not read the source.
  await allowSource(context, source);
  await context.respond.progress(words.reading(sourceName(source, words.theFile)));
  const loaded = await loadSource(context, source, options.limits, language);
  const key = documentSummaryKey(loaded.hash, language);
  const cached = context.llm.configured ? await context.store.getJson<CachedDocumentSummary>(key) : undefined;
  if (cached) {
    context.logger.info({ kind: cached.kind, cached: true }, 'document summary from the cache');
    const card = await todoCard(context, cached.todos, language);
    return render(cached, loaded, language, { ...card, cachedNote: true });
  }

  const document = await readLoaded(context, loaded, options.limits);
  const pieces = numberPieces(document.pieces);
  const kind = isTranscript(document) ? 'minutes' : 'summary';
  if (!context.llm.configured) {
    const body = documentOutline(pieces, language);
    return render(
      {
        kind,
        body,
        citations: citationsOf(body, pieces),
        sourceUrls: documentUrls(document),
        notes: document.notes,
      },
      loaded,
      language,
      { footnote: words.offline },
    );
  }

  const call: SummaryCall = {
    llm: context.llm,
    wording: promptWording(language, context.message.author.name ?? 'a colleague'),
    scope: usageScope(context.message),
    signal: context.signal,
    calls: { count: 0 },
  };
  const started = Date.now();
  const body = await summarizePieces(
    pieces,
    loaded.name,
    call,
    options.budget,
    kind === 'minutes'
      ? {
          single: 'document-minutes',
          chunk: 'summarize-document-chunk',
          merge: 'document-minutes-merge',
          documentKind: 'meeting transcript',
        }
      : {
          single: 'summarize-document',
          chunk: 'summarize-document-chunk',
          merge: 'summarize-document-merge',
          documentKind: 'document',
        },
  );
  const todos =
    kind === 'minutes' ? await todosFromMinutes(context, body, wording[language].headingActionItems) : [];
  const next: CachedDocumentSummary = {
    kind,
    body,
    citations: citationsOf(body, pieces),
    sourceUrls: documentUrls(document),
    notes: document.notes,
    todos,
    createdAt: context.now().toISOString(),
  };
  await context.store.setJson(
    key,
    next,
    options.cacheTtlSeconds ?? retentionOf(context.settings).summarySeconds,
  );
  context.logger.info(
    {
      kind,
      pieces: pieces.length,
      calls: call.calls.count,
      todos: todos.length,
      durationMs: Date.now() - started,
    },
    'document summary made',
  );
  return render(next, loaded, language, await todoCard(context, todos, language));
}
