import type { ReplyStream } from '../core/chat-platform';
import { conversationKey } from '../core/conversation';
import { LlmError } from '../core/errors';
import type { InboundMessage } from '../core/inbound-message';
import type { LlmRequest, UsageScope } from '../core/llm-provider';
import type { SkillContext } from '../core/skill';
import type { MemoryLimits } from '../core/state-store';
import { estimateTokens } from '../llm/token-estimator';
import { detectLanguage } from '../text/language';
import { cutShortNote } from '../text/messages';
import { neutralizeMassMentions } from '../text/sanitize';
import { retentionOf } from './retention';

/** How much conversation Deskmate remembers per thread. */
export const conversationMemoryLimits: MemoryLimits = {
  maxTurns: 20,
  maxTokens: 6000,
  ttlSeconds: 24 * 60 * 60,
};

/** The record of the conversations a person's words are remembered in. */
export function memoryIndexKey(message: Pick<InboundMessage, 'conversation' | 'author'>): string {
  return `memory-index:${message.conversation.platform}:${message.conversation.workspace}:${message.author.id}`;
}

/** Who a model call is for, for usage accounting and budgets. */
export function usageScope(message: InboundMessage): UsageScope {
  return {
    workspace: `${message.conversation.platform}:${message.conversation.workspace}`,
    user: message.author.id,
  };
}

/**
 * Stream the model's answer to the user and return its final text. The platform stream opens at the first
 * token, so a model that fails before answering leaves no empty message; mass mentions never get through; an
 * answer the output limit cut short says so under it, and no answer at all is an `empty_answer` error.
 */
export async function streamAnswer(context: SkillContext, request: LlmRequest): Promise<string> {
  let stream: ReplyStream | undefined;
  let text = '';
  let truncated = false;
  for await (const event of context.llm.stream({ ...request, signal: context.signal })) {
    if (event.type === 'text') {
      text += event.text;
      stream ??= await context.respond.stream();
      // The responder shows only the settled part of the text, so a mention split across pieces is caught.
      await stream.append(event.text);
    } else {
      text = event.result.text;
      truncated = event.result.truncated;
    }
  }
  // Nothing to show (a reasoning model spent its tokens thinking): the worker says so, never an empty post.
  if (text.trim().length === 0) {
    throw new LlmError('empty_answer', 'the model ended without answer text', { retryable: false });
  }
  const answer = neutralizeMassMentions(text.trim());
  const note = truncated ? `\n\n${cutShortNote[detectLanguage(context.message.text)]}` : '';
  const reply = { markdown: `${answer}${note}` };
  if (stream) await stream.finish(reply);
  else await context.respond.send(reply);
  return answer;
}

/** Remember one exchange (the user's words and the answer) in the conversation's memory. */
export async function rememberExchange(
  context: SkillContext,
  skill: string,
  userText: string,
  answer: string,
): Promise<void> {
  const key = conversationKey(context.message.conversation);
  const at = context.now().toISOString();
  const userId = context.message.author.id;
  const limits = { ...conversationMemoryLimits, ttlSeconds: retentionOf(context.settings).memorySeconds };
  await context.store.appendTurn(
    key,
    { role: 'user', text: userText, at, tokens: estimateTokens(userText), skill, userId },
    limits,
  );
  // Which conversations hold this person's words, so "forget me" finds them all (kept as long as memory).
  await context.store.incrementCounters(memoryIndexKey(context.message), { [key]: 1 }, limits.ttlSeconds);
  await context.store.appendTurn(
    key,
    { role: 'assistant', text: answer, at, tokens: estimateTokens(answer), skill },
    limits,
  );
}
