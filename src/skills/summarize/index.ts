import { z } from 'zod';
import { type ConversationRef, conversationKey } from '../../core/conversation';
import type { HistoryMessage } from '../../core/history-message';
import type { Reply } from '../../core/reply';
import { requestText, type Skill, type SkillContext } from '../../core/skill';
import type { DocumentLimits } from '../../documents/limits';
import type { Language } from '../../text/language';
import { findUrls } from '../../text/sanitize';
import { toolArguments } from '../arguments';
import { findDocumentSource } from '../documents/find-source';
import { documentLimitsOf } from '../documents/read-source';
import { requestLanguage } from '../documents/request-language';
import { retentionOf } from '../retention';
import { formatEditable } from '../when/timezone';
import { requesterTimezone } from '../when/user-timezone';
import { summarizeDocument } from './document-summary';
import { extractiveSummary } from './extractive';
import { type SummaryBudget, type SummaryCall, summarizeMessages, updateSummary } from './map-reduce';
import { defaultPeriod, type Period, parsePeriod } from './period';
import {
  type CitationEntry,
  citedNumbers,
  linkCitations,
  type NumberedMessage,
  numberMessages,
} from './transcript';
import { promptWording, wording } from './wording';

/** Options of the summarize skill. */
export interface SummarizeOptions extends Partial<SummaryBudget> {
  /** Most messages read from one conversation (the reply says when the cap was hit). */
  maxMessages?: number;
  /** How long a cached summary is kept for incremental updates. */
  cacheTtlSeconds?: number;
  /** Limits for reading shared files and documents (the DOCUMENT_* settings). */
  documents?: Partial<DocumentLimits>;
}

/** What is cached per conversation so asking again summarizes only the new messages. */
interface CachedSummary {
  summary: string;
  lastMessageId: string;
  lastNumber: number;
  citations: CitationEntry[];
  covered: number;
  firstAt: string;
  lastAt: string;
  sourceUrls: string[];
  updatedAt: string;
}

/** What the model may pass the summarize skill. */
type SummarizeArguments = { period?: string | null; link?: string | null };

/** Which conversation to read, and how much of it. */
interface Target {
  conversation: ConversationRef;
  thread?: string;
  period?: Period;
  title: string;
}

function isConsole(conversation: ConversationRef): boolean {
  return conversation.platform === 'console';
}

/** A time of the "Covers …" line on the asker's clock. */
function describeTime(iso: string, timezone: string): string {
  return formatEditable(new Date(iso), timezone);
}

async function resolveTarget(
  context: SkillContext,
  request: string,
  language: Language,
): Promise<Target | Reply> {
  const { message, platform } = context;
  const words = wording[language];
  const now = context.now();
  const timezone = message.author.timezone ?? context.settings.defaultTimezone;
  const urls = findUrls(request);
  if (urls.length > 0 && platform.resolveLink) {
    for (const url of urls) {
      const linked = await platform.resolveLink(url, message.conversation);
      if (linked && !linked.messageId) {
        // A link to a whole channel: summarized like that channel, over the period asked (else a day).
        const period = parsePeriod(request, now, timezone) ?? defaultPeriod(now);
        return {
          conversation: { ...linked.conversation, thread: undefined },
          period,
          title: words.titleLinked,
        };
      }
      if (linked?.messageId) {
        const thread = linked.conversation.thread ?? linked.messageId;
        return { conversation: { ...linked.conversation, thread }, thread, title: words.titleLinked };
      }
    }
    return { markdown: words.unknownLink, private: true };
  }
  const named = parsePeriod(request, now, timezone);
  const period = named ?? defaultPeriod(now);
  const label = language === 'zh' ? request.trim() || '最近 24 小时' : period.label;
  // Beside a channel (Slack's AI-app panel), "this channel" is that one: summarized like any channel, for
  // a member only (access is checked before anything is read), and answered in the panel, which is private.
  if (message.viewing && message.conversation.kind === 'dm') {
    return {
      conversation: { ...message.viewing, thread: undefined },
      period,
      title: words.titleChannel(language === 'zh' && !named ? '最近 24 小时' : label),
    };
  }
  if (message.conversation.kind === 'dm' && message.conversation.platform !== 'console') {
    return { markdown: words.needLink };
  }
  if (message.inThread && message.conversation.thread) {
    return {
      conversation: message.conversation,
      thread: message.conversation.thread,
      title: words.titleThread,
    };
  }
  return {
    conversation: { ...message.conversation, thread: undefined },
    period,
    // The console is one session at a terminal, not a channel.
    title: isConsole(message.conversation) ? words.titleConsole : words.titleChannel(label),
  };
}

/**
 * What to summarize, as words: a command's text, or the model's period and link. A link the model gives
 * counts only when the person wrote it: the model cannot point the summary at another conversation.
 */
function requestOf(context: SkillContext<SummarizeArguments>): string {
  const { request, args, message } = context;
  if (request.kind !== 'model') return requestText(request);
  const link = args.link && findUrls(message.text).includes(args.link) ? args.link : undefined;
  return [args.period, link].filter(Boolean).join(' ');
}

function isReply(value: Target | Reply): value is Reply {
  return 'markdown' in value;
}

/** Create the summarize skill: cited summaries of threads and channels, map-reduce for long ones, incremental. */
export function createSummarizeSkill(options: SummarizeOptions = {}): Skill<SummarizeArguments> {
  const budget: SummaryBudget = {
    chunkTokens: options.chunkTokens ?? 12_000,
    concurrency: options.concurrency ?? 4,
  };
  const maxMessages = options.maxMessages ?? 10_000;
  const documentLimits = documentLimitsOf(options.documents);

  return {
    name: 'summarize',
    commandWords: ['summarize', 'summarise', 'summary', 'tldr', '总结', '摘要', '概括'],
    description:
      'Summarize the current thread, the channel over a period (e.g. "last 24h", "today"), a linked conversation, or a shared file or document (PDF, Word, slides, sheets, web pages, Lark Docs, meeting transcripts), with citations.',
    ...toolArguments({
      period: z
        .string()
        .max(100)
        .nullish()
        .describe('Time window for a channel summary, e.g. "last 24h", "today", "last week".'),
      link: z
        .string()
        .max(2000)
        .nullish()
        .describe('A link to a message, thread, file or document to summarize, if the user gave one.'),
    }),
    help: {
      en: 'Summarize this thread, the channel over a period, or a shared file or doc (a transcript gets minutes), with links to the sources.',
      zh: '总结当前话题、某段时间内的群聊，或分享的文件和文档（会议记录生成纪要），并附上出处链接。',
      examples: [
        'summarize',
        'summarize last 24h',
        'summarize <file or doc link>',
        '总结 今天',
        '总结 <文件或文档链接>',
      ],
    },
    readsFiles: true,
    async run(context) {
      const { message, platform, store } = context;
      const request = requestOf(context);
      const language = requestLanguage(message, `${message.text} ${request}`);
      const words = wording[language];
      const timezone = requesterTimezone(context);
      // A file shared with the message, a file or doc link, or the file the message replies to.
      const source = await findDocumentSource(context, request);
      if (source) {
        return summarizeDocument(context, source, language, {
          budget,
          limits: documentLimits,
          cacheTtlSeconds: options.cacheTtlSeconds,
        });
      }
      const target = await resolveTarget(context, request, language);
      if (isReply(target)) return target;

      // Access first: nothing of the conversation is read for someone who may not read it, and the
      // answer goes privately when this place has readers that conversation has not.
      await context.access.allow(target.conversation);
      await context.respond.progress(words.readingStart);

      const cacheKey = `summary:${conversationKey(target.conversation)}:${target.period?.key ?? 'thread'}`;
      const stored = await store.getJson<CachedSummary>(cacheKey);
      // A channel window moves: an old channel summary is started afresh rather than extended.
      const fresh6h = stored && context.now().getTime() - Date.parse(stored.updatedAt) < 6 * 60 * 60 * 1000;
      const cached = stored && (target.thread || fresh6h) ? stored : undefined;
      const history = await platform.history(target.conversation, {
        thread: target.thread,
        since: cached ? undefined : target.period?.since.toISOString(),
        afterId: cached?.lastMessageId,
        limit: maxMessages,
      });
      // The request itself and Deskmate's own posts (progress notes, summaries) are not content; other bots'
      // posts (Jira, GitHub, PagerDuty) are, where the platform tells the two apart (else no bot counts).
      const fresh = history.messages.filter(
        (entry) =>
          entry.text.trim().length > 0 &&
          !(entry.fromSelf ?? entry.isBot) &&
          entry.id !== message.messageId &&
          !message.messageId.endsWith(`:${entry.id}`),
      );
      const call: SummaryCall = {
        llm: context.llm,
        wording: promptWording(language, message.author.name ?? 'a colleague'),
        scope: {
          workspace: `${message.conversation.platform}:${message.conversation.workspace}`,
          user: message.author.id,
        },
        signal: context.signal,
        calls: { count: 0 },
        timezone,
      };

      if (cached && fresh.length === 0) {
        return render(cached, target.title, [
          words.noNew,
          words.covered(
            cached.covered,
            describeTime(cached.firstAt, timezone),
            `${describeTime(cached.lastAt, timezone)} ${timezone}`,
          ),
        ]);
      }
      if (!cached && fresh.length === 0) {
        if (isConsole(message.conversation)) return { markdown: words.emptyConsole };
        return { markdown: words.empty(target.period?.label ?? target.title) };
      }

      const numbered = numberMessages(fresh, (cached?.lastNumber ?? 0) + 1);
      const notes: string[] = [];
      // A link that is no shared file or doc was not fetched: the summary says what it covers instead.
      if (findUrls(request).length > 0 && target.title !== words.titleLinked) notes.push(words.linkNotOpened);
      if (history.truncated) notes.push(words.capped(maxMessages));

      if (!context.llm.configured) {
        const summary = extractiveSummary(numbered, language, context.now(), timezone);
        const next = nextCache(undefined, summary, numbered, fresh, context.now());
        return render(
          next,
          target.title,
          [
            ...notes,
            words.covered(
              next.covered,
              describeTime(next.firstAt, timezone),
              `${describeTime(next.lastAt, timezone)} ${timezone}`,
            ),
          ],
          context.llm.offlineReason === 'offline_run' ? words.offlineRunLabel : words.offlineLabel,
        );
      }

      const started = Date.now();
      const summary = cached
        ? await updateSummary(cached.summary, numbered, call, budget)
        : await summarizeMessages(numbered, call, budget);
      const next = nextCache(cached, summary, numbered, fresh, context.now());
      await store.setJson(
        cacheKey,
        next,
        options.cacheTtlSeconds ?? retentionOf(context.settings).summarySeconds,
      );
      context.logger.info(
        {
          messages: fresh.length,
          calls: call.calls.count,
          incremental: Boolean(cached),
          durationMs: Date.now() - started,
        },
        'summary made',
      );
      if (cached) notes.push(words.updated(fresh.length));
      notes.push(
        words.covered(
          next.covered,
          describeTime(next.firstAt, timezone),
          `${describeTime(next.lastAt, timezone)} ${timezone}`,
        ),
      );
      return render(next, target.title, notes);
    },
  };
}

function nextCache(
  previous: CachedSummary | undefined,
  summary: string,
  numbered: NumberedMessage[],
  fresh: HistoryMessage[],
  now: Date,
): CachedSummary {
  const cited = new Set(citedNumbers(summary));
  // Keep only the entries the summary cites: the cache stays small however long the conversation.
  const citations = [
    ...(previous?.citations ?? []),
    ...numbered.map(({ number, message }) => ({ number, id: message.id, link: message.link })),
  ].filter((entry) => cited.has(entry.number));
  const sourceUrls = [
    ...new Set([...(previous?.sourceUrls ?? []), ...fresh.flatMap((message) => findUrls(message.text))]),
  ];
  return {
    summary,
    lastMessageId: fresh[fresh.length - 1].id,
    lastNumber: numbered[numbered.length - 1].number,
    citations,
    covered: (previous?.covered ?? 0) + fresh.length,
    firstAt: previous?.firstAt ?? fresh[0].at,
    lastAt: fresh[fresh.length - 1].at,
    sourceUrls: sourceUrls.slice(0, 500),
    updatedAt: now.toISOString(),
  };
}

function render(cache: CachedSummary, title: string, notes: string[], footnote?: string): Reply {
  const body = linkCitations(cache.summary, cache.citations, cache.sourceUrls);
  return {
    markdown: `**${title}**\n\n${body}\n\n_${notes.join(' ')}_`,
    footnote,
  };
}
