import { type AuditLog, auditRecordOf } from '../../audit/audit-log';
import type { HistoryMessage } from '../../core/history-message';
import type { InboundMessage } from '../../core/inbound-message';
import type { LlmProvider, LlmStreamEvent } from '../../core/llm-provider';
import type { Logger } from '../../core/logger';
import type { ReminderScheduler } from '../../core/reminder';
import type { KnowledgeBase, Skill, SkillSettings } from '../../core/skill';
import { createOfflineProvider } from '../../llm/offline-provider';
import { createJobHandler, type JobOutcome } from '../../pipeline/worker';
import { createMemoryStateStore } from '../../state/memory-state-store';
import { detectLanguage, type Language } from '../../text/language';
import { type CapturedReply, createPlaygroundPlatform } from './playground-platform';
import type { ThreadLine } from './samples';

/** What the playground runs with: the jobs' own model (limits, usage, metrics), the skills and their settings. */
export interface PlaygroundEngine {
  /** The configured model, wrapped as the job side wraps it (usage is recorded in the real store). */
  llm: LlmProvider;
  /** Every skill, as the job side has them. */
  skills: readonly Skill[];
  /** Settings skills read. */
  settings: SkillSettings;
  /** The knowledge base `ask` and `kb` search (the jobs' own; read only in a `web` process), when one is set up. */
  knowledge?: KnowledgeBase;
}

/** The workspace the playground's requests are counted under (`console:playground` in Usage). */
export const playgroundWorkspace = 'playground';

/** One run asked for in the form. */
export interface PlaygroundInput {
  /** A new random id. */
  runId: string;
  /** The thread. */
  thread: ThreadLine[];
  /** The sample's id, or `pasted`. */
  threadName: string;
  /** `auto` (the router decides) or a skill's name. */
  skill: string;
  /** What the person asks; empty for the skill's usual request. */
  request: string;
  /** Run without a model. */
  offline: boolean;
  /** The absolute URL of the run's page: message links are `<linkBase>#message-<n>`. */
  linkBase: string;
}

/** A finished run: what was asked, what the skills did, what they posted, and what it cost. */
export interface PlaygroundRun {
  /** The run id. */
  id: string;
  /** When it ran (ISO 8601). */
  createdAt: string;
  /** The sample's id, or `pasted`. */
  threadName: string;
  /** The thread it ran on. */
  thread: ThreadLine[];
  /** The skill picked in the form (`auto`: the router's choice). */
  skillAsked: string;
  /** What was typed in the form (empty: the skill's usual request); runs kept from before have none. */
  request?: string;
  /** The message the router got. */
  text: string;
  /** Whether it ran without a model. */
  offline: boolean;
  /** The skill that ran. */
  skill?: string;
  /** What picked it. */
  routedBy?: string;
  /** `ok` or the error code. */
  outcome: string;
  /** A failed run's error and its causes (for the admin; the reply holds what a user would read). */
  errorDetail?: string;
  /** Models called. */
  models: string[];
  /** Tokens sent and received. */
  tokens: { input: number; output: number };
  /** Milliseconds to the model's first token (or first whole answer). */
  firstTokenMs?: number;
  /** Milliseconds until the first text was shown. */
  firstShownMs?: number;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** What the job posted, each in its final form. */
  replies: CapturedReply[];
  /** Reminders the job would have scheduled. */
  reminders: number;
}

const usualRequests: Record<string, Record<Language, string>> = {
  auto: { en: 'summarize this thread', zh: '总结一下这个讨论' },
  draft: {
    en: 'a short announcement of the release plan for the whole team',
    zh: '给全体同事写一段简短的发布计划公告',
  },
  todo: { en: 'from this thread', zh: '从这个讨论中提取' },
  schedule: { en: 'Release go/no-go tomorrow 3pm 30m', zh: '发布评审 明天下午3点 30分钟' },
  chat: { en: 'What could still stop the release?', zh: '发布还有哪些风险？' },
};

/** The request the form suggests for a skill in a language (empty: the skill's own default). */
export function usualRequest(skill: string, language: Language): string {
  return usualRequests[skill]?.[language] ?? '';
}

/** The skills the playground offers: all but `forget` (nothing of a person is kept here to forget). */
export function playgroundSkills(skills: readonly Skill[]): Skill[] {
  return skills.filter((skill) => skill.name !== 'forget');
}

/** The message the router gets: a command word of the skill in the thread's language, or the plain request. */
function requestMessage(
  input: PlaygroundInput,
  skill: Skill | undefined,
  language: Language,
  at: Date,
): InboundMessage {
  const asked = input.request.trim() || usualRequest(input.skill, language);
  const base = {
    eventId: `playground-${input.runId}`,
    messageId: `request-${input.runId}`,
    conversation: {
      platform: 'console' as const,
      workspace: playgroundWorkspace,
      channel: 'playground',
      thread: 'm1',
      kind: 'group' as const,
    },
    author: { id: 'admin', name: 'Admin' },
    inThread: true,
    receivedAt: at.toISOString(),
  };
  // Chat has no command word: it is asked as its slash command. Other skills through their command word.
  if (skill?.name === 'chat') {
    return { ...base, text: asked, via: 'command', command: { name: 'chat', args: asked } };
  }
  if (!skill) return { ...base, text: asked, via: 'mention' };
  const firstWord = asked.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (skill.commandWords.includes(firstWord)) return { ...base, text: asked, via: 'mention' };
  const word =
    (language === 'zh'
      ? skill.commandWords.find((candidate) => /\p{Script=Han}/u.test(candidate))
      : undefined) ??
    skill.commandWords[0] ??
    skill.name;
  return { ...base, text: `${word} ${asked}`.trim(), via: 'mention' };
}

/** The thread as history: numbered ids, one author id per name, each message linked to its line on the run page. */
function historyOf(input: PlaygroundInput, at: Date): HistoryMessage[] {
  const authors = [...new Set(input.thread.map((line) => line.author))];
  const lastMinute = Math.max(0, ...input.thread.map((line) => line.minute));
  const start = at.getTime() - (lastMinute + 5) * 60_000;
  return input.thread.map((line, index) => ({
    id: `m${index + 1}`,
    author: { id: `person-${authors.indexOf(line.author) + 1}`, name: line.author },
    text: line.text,
    at: new Date(start + line.minute * 60_000).toISOString(),
    link: `${input.linkBase}#message-${index + 1}`,
    isBot: false,
  }));
}

/** The model with the time of its first token noted. */
function timed(llm: LlmProvider, started: number, note: (ms: number) => void): LlmProvider {
  return {
    name: llm.name,
    configured: llm.configured,
    ...(llm.offlineReason ? { offlineReason: llm.offlineReason } : {}),
    async complete(request) {
      const result = await llm.complete(request);
      note(Date.now() - started);
      return result;
    },
    async *stream(request): AsyncIterable<LlmStreamEvent> {
      for await (const event of llm.stream(request)) {
        if (event.type === 'text' || event.type === 'done') note(Date.now() - started);
        yield event;
      }
    },
  };
}

/**
 * Run one request through the real job handler (router, skills, responder) against the playground's own
 * platform. Skills keep their state in a store of this run only (no todo or summary of a real workspace is
 * touched); the model's use is recorded as the job side records it, and the run leaves an audit record.
 */
export async function runPlayground(
  engine: PlaygroundEngine,
  input: PlaygroundInput,
  parts: { audit: AuditLog; logger: Logger },
): Promise<PlaygroundRun> {
  const now = new Date();
  const started = Date.now();
  const language = detectLanguage(input.thread.map((line) => line.text).join('\n'));
  const skills = playgroundSkills(engine.skills);
  const chosen = skills.find((skill) => skill.name === input.skill);
  const message = requestMessage(input, chosen, language, now);
  const playground = createPlaygroundPlatform(historyOf(input, now));
  let firstTokenMs: number | undefined;
  const llm = timed(input.offline ? createOfflineProvider('offline_run') : engine.llm, started, (ms) => {
    firstTokenMs ??= ms;
  });
  let reminders = 0;
  const scheduler: ReminderScheduler = {
    async schedule() {
      reminders += 1;
    },
    async cancel() {},
  };
  let outcome: JobOutcome | undefined;
  const logger = parts.logger.child({ runId: input.runId });
  const handler = createJobHandler({
    platforms: { console: playground.platform },
    skills: engine.skills,
    llm,
    store: createMemoryStateStore(),
    reminders: scheduler,
    logger,
    settings: engine.settings,
    ...(engine.knowledge ? { knowledge: engine.knowledge } : {}),
    onJobFinished: (finished) => {
      outcome = finished;
    },
  });
  await handler(message, { jobId: message.eventId, attemptsMade: 1, signal: new AbortController().signal });
  if (outcome) {
    await parts.audit.write(auditRecordOf(outcome, new Date())).catch((error: unknown) => {
      logger.warn({ err: error }, 'playground audit record not written');
    });
  }
  const run: PlaygroundRun = {
    id: input.runId,
    createdAt: now.toISOString(),
    threadName: input.threadName,
    thread: input.thread,
    skillAsked: input.skill,
    request: input.request,
    text: message.text,
    offline: input.offline,
    ...(outcome?.skill ? { skill: outcome.skill } : {}),
    ...(outcome?.routedBy ? { routedBy: outcome.routedBy } : {}),
    outcome: outcome?.outcome ?? 'internal',
    ...(outcome?.errorDetail ? { errorDetail: outcome.errorDetail } : {}),
    models: outcome?.usage.models ?? [],
    tokens: outcome?.usage.tokens ?? { input: 0, output: 0 },
    ...(firstTokenMs === undefined ? {} : { firstTokenMs }),
    ...(playground.firstShownMs() === undefined ? {} : { firstShownMs: playground.firstShownMs() }),
    durationMs: Date.now() - started,
    replies: playground.replies(),
    reminders,
  };
  logger.info(
    { skill: run.skill, outcome: run.outcome, replies: run.replies.length, durationMs: run.durationMs },
    'playground run done',
  );
  return run;
}
