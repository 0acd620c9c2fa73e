import type { ConversationTurn, MemoryLimits } from '../core/state-store';

/** Drop the oldest turns until the limits hold; the newest turn is always kept. */
export function applyMemoryLimits(turns: ConversationTurn[], limits: MemoryLimits): ConversationTurn[] {
  let kept = turns.slice(-Math.max(1, limits.maxTurns));
  let total = kept.reduce((sum, turn) => sum + turn.tokens, 0);
  while (kept.length > 1 && total > limits.maxTokens) {
    total -= kept[0].tokens;
    kept = kept.slice(1);
  }
  return kept;
}

/** The turns without a person's own (and the assistant turns that answered them, up to the next user turn). */
export function withoutTurnsOf(turns: ConversationTurn[], userId: string): ConversationTurn[] {
  let dropping = false;
  return turns.filter((turn) => {
    if (turn.role === 'user') dropping = turn.userId === userId;
    return !dropping;
  });
}
