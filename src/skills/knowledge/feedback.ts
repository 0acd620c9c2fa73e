import { createHash } from 'node:crypto';
import type { InboundMessage } from '../../core/inbound-message';
import { type Reply, type ReplyButton, textReply } from '../../core/reply';
import type { SkillContext } from '../../core/skill';
import type { Language } from '../../text/language';
import { knowledgeWording } from './wording';

/** One knowledge answer and the asker's vote on it: ids only, never the question or the answer's text. */
export interface AnswerFeedback {
  /** The person who asked: the only one whose click counts. */
  asker: string;
  /** The language of the answer (for the click's reply). */
  language: Language;
  /** The sources the answer cited. */
  sources: string[];
  /** When it was answered (ISO 8601). */
  answeredAt: string;
  /** The asker's vote, once they clicked. */
  vote?: 'up' | 'down';
  /** When they voted (ISO 8601). */
  votedAt?: string;
}

/** Feedback is kept 90 days: long enough to review which sources answer well. */
const feedbackTtlSeconds = 90 * 24 * 60 * 60;

/** The skill that owns the feedback buttons. */
const buttonSkill = 'ask';

/**
 * The votes per cited source, as a counter record (`up:<source id>`, `down:<source id>`), so the web console
 * can show them without listing every answer's record. Kept 90 days from the first vote, then counting starts over.
 */
export const feedbackTotalsKey = 'knowledge-feedback-totals';

/** The counter fields a vote on an answer citing `sources` adds to (or, with -1, takes from). */
function totalsOf(sources: readonly string[], vote: 'up' | 'down', amount: number): Record<string, number> {
  return Object.fromEntries(sources.map((source) => [`${vote}:${source}`, amount]));
}

function feedbackKey(answerId: string): string {
  return `knowledge-feedback:${answerId}`;
}

/** A stable id for the answer to a message (a retried job gets the same one). */
export function answerIdOf(message: InboundMessage): string {
  const { platform, workspace } = message.conversation;
  return createHash('sha256')
    .update(`${platform}:${workspace}:${message.messageId}`)
    .digest('hex')
    .slice(0, 20);
}

/** Record an answer for its feedback, and the 👍/👎 buttons that vote on it. */
export async function feedbackButtons(
  context: SkillContext,
  language: Language,
  sources: readonly string[],
): Promise<ReplyButton[]> {
  const answerId = answerIdOf(context.message);
  const record: AnswerFeedback = {
    asker: context.message.author.id,
    language,
    sources: [...sources],
    answeredAt: context.now().toISOString(),
  };
  await context.store.setJson(feedbackKey(answerId), record, feedbackTtlSeconds);
  const words = knowledgeWording[language];
  return [
    { label: words.helpful, skill: buttonSkill, action: 'feedback', value: `${answerId}:up` },
    { label: words.unhelpful, skill: buttonSkill, action: 'feedback', value: `${answerId}:down` },
  ];
}

/** A click on 👍 or 👎: stored only when it is the asker's; anyone else is told privately and nothing changes. */
export async function recordFeedbackClick(context: SkillContext, value: string): Promise<Reply> {
  const match = /^([0-9a-f]{20}):(up|down)$/.exec(value);
  const record = match ? await context.store.getJson<AnswerFeedback>(feedbackKey(match[1])) : undefined;
  if (!match || !record) return textReply(knowledgeWording.en.feedbackExpired, { private: true });
  const words = knowledgeWording[record.language];
  if (record.asker !== context.message.author.id) {
    context.logger.info({ code: 'not_asker' }, 'feedback click by someone other than the asker ignored');
    return textReply(words.feedbackOnlyAsker, { private: true });
  }
  const vote = match[2] as 'up' | 'down';
  await context.store.setJson(
    feedbackKey(match[1]),
    { ...record, vote, votedAt: context.now().toISOString() },
    feedbackTtlSeconds,
  );
  if (record.vote !== vote) {
    // A changed vote moves from one side to the other; the same vote clicked again counts once.
    const increments = totalsOf(record.sources, vote, 1);
    if (record.vote) Object.assign(increments, totalsOf(record.sources, record.vote, -1));
    await context.store.incrementCounters(feedbackTotalsKey, increments, feedbackTtlSeconds);
  }
  context.logger.info({ vote, sources: record.sources.length }, 'knowledge answer feedback stored');
  return textReply(words.feedbackThanks, { private: true });
}
