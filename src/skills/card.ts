import type { Reply } from '../core/reply';
import type { SkillContext } from '../core/skill';

/**
 * Answer a button click by replacing the card that holds the button (so a confirmed card shows what was
 * created, not stale buttons); without a source message, the reply is sent as a new message.
 */
export async function replaceCard(context: SkillContext, reply: Reply): Promise<Reply | undefined> {
  const source = context.message.action?.sourceMessageId;
  if (!source) return reply;
  await context.platform.update(
    context.message.conversation,
    { id: source, channel: context.message.conversation.channel },
    reply,
  );
  return undefined;
}
