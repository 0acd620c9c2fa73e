import type { ReplyButton } from '../../core/reply';
import type { SkillContext } from '../../core/skill';
import type { Language } from '../../text/language';
import { escapeRegExp } from '../../text/regexp';
import { confirmationButtons, saveProposal } from '../proposals';
import { extractTodos, type ProposedTodo, peopleOf } from '../todo/extract';
import { todoLine } from '../todo/todo-actions';
import { todoWording } from '../todo/wording';
import { requesterTimezone } from '../when/user-timezone';

/** The lines under the action-items heading of minutes (`**Action items**` up to the next bold heading). */
export function actionItemsSection(minutes: string, heading: string): string {
  const start = new RegExp(`^\\*\\*${escapeRegExp(heading)}\\*\\*.*$`, 'mu').exec(minutes);
  if (!start) return '';
  const rest = minutes.slice(start.index + start[0].length);
  const next = /^\*\*[^*\n]+\*\*/mu.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).replace(/\s*\[\d+\]/g, '').trim();
}

/**
 * The action items of minutes as todos: the model reads only the minutes' action-items lines (fenced, through
 * the todo skill's validated extraction); owners and due dates are resolved in the requester's timezone.
 * Nothing is created here.
 */
export async function todosFromMinutes(
  context: SkillContext,
  minutes: string,
  heading: string,
): Promise<ProposedTodo[]> {
  const section = actionItemsSection(minutes, heading);
  if (!section) return [];
  const history = [
    {
      id: `${context.message.messageId}:minutes`,
      author: context.message.author,
      text: section,
      at: context.now().toISOString(),
      isBot: false,
    },
  ];
  return extractTodos(context, {
    history,
    people: peopleOf(context, []),
    timezone: requesterTimezone(context),
  });
}

/**
 * The todo confirmation card for proposed items, made for this requester (the todo skill handles its
 * Create / Edit / Cancel buttons): the lines to show and the buttons.
 */
export async function proposeTodos(
  context: SkillContext,
  items: ProposedTodo[],
  language: Language,
): Promise<{ lines: string[]; buttons: ReplyButton[] }> {
  const timezone = requesterTimezone(context);
  const proposal = await saveProposal(
    context.store,
    'todo',
    context.message,
    { items, timezone, language },
    context.now(),
  );
  const words = todoWording[language];
  return {
    lines: [
      words.proposalTitle(items.length),
      ...items.map((item, index) => `${index + 1}. ${todoLine(item, timezone, language)}`),
    ],
    buttons: confirmationButtons('todo', proposal.id, language),
  };
}
