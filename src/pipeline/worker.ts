import { type JobUsage, meteredProvider } from '../audit/metered-llm';
import type { ChatPlatform } from '../core/chat-platform';
import type { Platform } from '../core/conversation';
import { DeskmateError, type ErrorCode, errorDetail, isDeskmateError } from '../core/errors';
import type { InboundMessage } from '../core/inbound-message';
import type { JobAttempt, JobHandler } from '../core/job-queue';
import type { LlmProvider } from '../core/llm-provider';
import type { Logger } from '../core/logger';
import type { ReminderScheduler } from '../core/reminder';
import type { Reply } from '../core/reply';
import type { KnowledgeBase, Skill, SkillKnowledge, SkillSettings } from '../core/skill';
import type { StateStore } from '../core/state-store';
import { isDocumentError } from '../documents/document-error';
import type { RequestGuard } from '../limits/request-guard';
import { detectLanguage } from '../text/language';
import { failureMessage } from '../text/messages';
import { knowledgePrincipals } from './knowledge-access';
import { removeKnowledgeOf } from './knowledge-removal';
import { createResponder } from './responder';
import { routeMessage } from './router';
import { createSourceAccess, withSourceAccess } from './source-access';
import { filesNotReadNotice, messageLanguage, unreadableNotice } from './unreadable';

/**
 * Conditions the requester or the setup causes, not bugs: answered politely and logged at info without a
 * stack (the console shows warnings only). Stacks are for the rest.
 */
const expectedCodes = new Set<ErrorCode>([
  'not_configured',
  'not_found',
  'bad_input',
  'content_filtered',
  'context_too_long',
  'budget_exceeded',
]);

const noReminders: ReminderScheduler = {
  async schedule() {
    throw new DeskmateError('not_configured', 'no reminder scheduler is configured');
  },
  async cancel() {},
};

/** The message with what the platform adds on the job side (names, timezone); as received if that fails. */
async function prepare(
  platform: ChatPlatform,
  message: InboundMessage,
  logger: Logger,
): Promise<InboundMessage> {
  if (!platform.prepareMessage) return message;
  try {
    return await platform.prepareMessage(message);
  } catch (error) {
    logger.warn({ err: error }, 'names and timezone not looked up; the job goes on without them');
    return message;
  }
}

/** What the worker needs to run jobs. */
export interface WorkerOptions {
  /** The platform ports, by platform name. */
  platforms: Partial<Record<Platform, ChatPlatform>>;
  /** Every skill; one of them must be named `chat` (the fallback for conversation). */
  skills: readonly Skill[];
  /** The language model. */
  llm: LlmProvider;
  /** The state store. */
  store: StateStore;
  /** Delivers reminders at their time (default: one that refuses, for setups without reminders). */
  reminders?: ReminderScheduler;
  /** The logger. */
  logger: Logger;
  /** Settings skills read. */
  settings: SkillSettings;
  /** Current time (tests pin it). */
  now?: () => Date;
  /** Checked before each job (allow-lists, rate limits): a verdict here answers, or drops, instead of the skill. */
  guard?: RequestGuard;
  /**
   * Called once per finished job (metrics, the audit record). The job ends, and leaves the queue, only once it
   * has settled: what it returns must never reject.
   */
  onJobFinished?: (outcome: JobOutcome) => void | Promise<void>;
  /** The knowledge base skills search and add to (`ask`, `kb`), when one is configured. */
  knowledge?: KnowledgeBase;
}

/** How a job ended, for metrics and the audit trail (ids, counts and codes; never text). */
export interface JobOutcome {
  /** The skill that ran, when one was chosen. */
  skill?: string;
  /** `ok`, or the error code. */
  outcome: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** The job id. */
  jobId: string;
  /** The message the job answered. */
  message: InboundMessage;
  /** What picked the skill. */
  routedBy?: string;
  /** The models the job called and their tokens. */
  usage: JobUsage;
  /** What the skill created, closed or deleted. */
  effects: Array<{ action: 'created' | 'closed' | 'deleted'; kind: string; id: string }>;
  /** A failed job's error and causes in one line, for the Playground (kept out of the audit trail). */
  errorDetail?: string;
}

/** How long a reply that met a passing failure (a Redis command timed out) waits before it is sent again. */
const answerRetryMs = 500;

/**
 * Send the skill's answer; one that met a retryable failure (the store or platform briefly away, a Redis command
 * timed out on a busy process) is sent once more before the job gives up and apologises: the answer is ready,
 * and the responder's records make a second send safe (it updates what the first one posted, never posts twice).
 */
async function sendAnswer(
  respond: ReturnType<typeof createResponder>,
  reply: Reply,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  try {
    await respond.send(reply);
  } catch (error) {
    if (!isDeskmateError(error) || !error.retryable || signal.aborted) throw error;
    logger.warn({ code: error.code }, 'answer not sent; sending it once more');
    await new Promise((resolve) => setTimeout(resolve, answerRetryMs));
    await respond.send(reply);
  }
}

/**
 * Create the job handler: routes each message to a skill and runs it. It is the one place that catches
 * a skill's errors: it answers the user politely, in their language, and logs once.
 */
export function createJobHandler(options: WorkerOptions): JobHandler {
  const chatSkill = options.skills.find((skill) => skill.name === 'chat');
  if (!chatSkill) throw new Error('the skill list needs a `chat` skill');
  const now = options.now ?? (() => new Date());

  return async (received: InboundMessage, attempt: JobAttempt) => {
    const platform = options.platforms[received.conversation.platform];
    const logger = options.logger.child({
      jobId: attempt.jobId,
      attempt: attempt.attemptsMade,
      platform: received.conversation.platform,
      workspace: received.conversation.workspace,
      channel: received.conversation.channel,
      user: received.author.id,
    });
    if (!platform) {
      logger.error({ code: 'not_configured' }, 'no adapter for this platform; job dropped');
      return;
    }
    const started = Date.now();
    // The reply's place and the reader are the payload's; names and timezone are added after the guard.
    let message = received;
    // Images and media it cannot read are named under the answer to the words (or file) that came with them.
    const answered = received.text.trim() || received.files?.length;
    const unreadable = received.unreadable?.length && answered ? received.unreadable : undefined;
    const respond = createResponder({
      platform,
      store: options.store,
      message,
      jobId: attempt.jobId,
      footnote: unreadable && unreadableNotice(unreadable, messageLanguage(received)).footnote,
    });
    const access = createSourceAccess({ platform, message, keepPrivate: respond.keepPrivate });
    const metered = meteredProvider(options.llm);
    const effects: JobOutcome['effects'] = [];
    let skillName: string | undefined;
    let routedBy: string | undefined;
    const finished = async (outcome: string, skill?: string, errorDetail?: string) =>
      await options.onJobFinished?.({
        ...(skill ? { skill } : {}),
        ...(errorDetail ? { errorDetail } : {}),
        outcome,
        durationMs: Date.now() - started,
        jobId: attempt.jobId,
        message,
        ...(routedBy ? { routedBy } : {}),
        usage: metered.usage(),
        effects,
      });
    try {
      // Content removed on the platform is no one's request: its knowledge goes, and nothing is answered.
      if (received.via === 'event') {
        if (received.removed && options.knowledge) {
          const count = await removeKnowledgeOf(options.knowledge.index, received, logger);
          if (count > 0) effects.push({ action: 'deleted', kind: 'knowledge_source', id: String(count) });
        }
        await finished('ok');
        return;
      }
      // Allow-lists and rate limits first: a refused or dropped request costs no platform lookups.
      const verdict = await options.guard?.(received);
      if (verdict?.kind === 'drop') {
        logger.info({ code: verdict.reason }, 'job dropped by limits: the requester was told once already');
        await finished('dropped');
        return;
      }
      if (verdict) {
        await respond.send(verdict.reply);
        logger.info({ code: 'refused' }, 'job refused by limits');
        await finished('refused');
        return;
      }
      message = await prepare(platform, received, logger);
      const route = await routeMessage(message, options.skills, {
        llm: metered.llm,
        store: options.store,
        chatSkill,
        now: now(),
        timezone: options.settings.defaultTimezone,
        signal: attempt.signal,
        logger,
        platformName: platform.displayName,
      });
      if (route.kind === 'reply') {
        await respond.send(route.reply);
        logger.info({ code: route.reason }, 'answered by the router');
        await finished(route.reason);
        return;
      }
      skillName = route.skill.name;
      routedBy = route.routedBy;
      // Files shared with the message are read only by the skills that read files; the others' answers say so.
      if (message.files?.length && !route.skill.readsFiles) {
        respond.addFootnote(filesNotReadNotice(messageLanguage(received)));
      }
      // A click acts on the conversation its card is in: the clicker must be able to read it.
      if (route.request.kind === 'action') await access.allow(message.conversation);
      const knowledge = options.knowledge;
      let principals: ReturnType<SkillKnowledge['principals']> | undefined;
      const prepared = message;
      const reply = await route.skill.run({
        message,
        request: route.request,
        args: route.args,
        platform: withSourceAccess(platform, access),
        access,
        effects: { record: (action, kind, id) => effects.push({ action, kind, id }) },
        llm: metered.llm,
        store: options.store,
        reminders: options.reminders ?? noReminders,
        respond,
        logger: logger.child({ skill: route.skill.name }),
        now,
        settings: options.settings,
        signal: attempt.signal,
        ...(knowledge
          ? {
              knowledge: {
                ...knowledge,
                // Decided once per job, for the place the answer goes, through the platform itself.
                principals: () => {
                  principals ??= knowledgePrincipals(platform, prepared, knowledge.index);
                  return principals;
                },
              },
            }
          : {}),
      });
      if (reply) await sendAnswer(respond, reply, logger, attempt.signal);
      const durationMs = Date.now() - started;
      logger.info({ skill: skillName, routedBy: route.routedBy, durationMs }, 'job done');
      await finished('ok', skillName);
    } catch (error) {
      // Stopped past the grace period: the job goes back to the queue and runs again; no apology now.
      if (attempt.signal.aborted) throw error;
      // A removal has no one to answer: it is logged and the queue runs it again.
      if (received.via === 'event') {
        logger.error(
          { err: error, code: isDeskmateError(error) ? error.code : 'internal' },
          'removal event failed',
        );
        await finished('internal');
        throw error;
      }
      const code = isDeskmateError(error) ? error.code : 'internal';
      const language = detectLanguage(message.text, messageLanguage(received));
      // A file that cannot be read says why, in the asker's language (encrypted, scanned, too large…).
      const userText = isDocumentError(error)
        ? error.messageIn(language)
        : isDeskmateError(error) && error.userMessage
          ? typeof error.userMessage === 'string'
            ? error.userMessage
            : error.userMessage[language]
          : failureMessage(code, language);
      const durationMs = Date.now() - started;
      if (code === 'forbidden') {
        // Expected: someone asked for what they may not read. No stack; the refusal says why.
        logger.info(
          { code, skill: skillName, durationMs },
          'job refused: the requester may not read the source',
        );
      } else if (expectedCodes.has(code) || isDocumentError(error)) {
        // Expected and answered (no model configured, input it cannot use): one line, no stack.
        const reason = error instanceof Error ? error.message : String(error);
        logger.info({ code, reason, skill: skillName, durationMs }, 'job answered with a known condition');
      } else {
        logger.error({ err: error, code, skill: skillName, durationMs }, 'job failed');
      }
      await finished(code, skillName, errorDetail(error));
      // A refusal goes only to the person refused. If even the apology cannot be posted, the queue
      // retries the job (the post is idempotent).
      await respond.send({ markdown: userText, private: code === 'forbidden' });
    }
  };
}
