import { isDeskmateError } from '../../core/errors';
import type { ReplyButton } from '../../core/reply';
import type { SkillContext } from '../../core/skill';
import type { Language } from '../../text/language';
import { formatDateTime } from '../when/timezone';
import type { NewTodo, TodoItem, TodoStore } from './todo-store';
import { todoWording } from './wording';

/** What creating one todo did. */
export interface CreatedTodo {
  /** The todo (the first one, when the idempotency key was seen before). */
  item: TodoItem;
  /** False when the same request had already created it. */
  created: boolean;
  /** Whether a reminder is set for its due time. */
  reminder: 'set' | 'unavailable' | 'none';
}

/** The reminder id of a todo: stable, so scheduling it again keeps one reminder. */
export function todoReminderId(item: Pick<TodoItem, 'conversation' | 'number'>): string {
  return `todo-${item.conversation.platform}-${item.conversation.workspace}-${item.number}`;
}

/**
 * Create a todo everywhere it lives: Deskmate's list, the platform's task service when it has one (Lark),
 * and a reminder at its due time. Every step is idempotent, so a retried job creates nothing twice.
 */
export async function createTodo(
  context: SkillContext,
  todos: TodoStore,
  todo: NewTodo,
  idempotencyKey: string,
  language: Language,
): Promise<CreatedTodo> {
  const now = context.now();
  let { item, created } = await todos.add(todo, idempotencyKey, now);
  if (created) context.effects.record('created', 'todo', `#${item.number}`);
  const tasks = context.platform.tasks;
  if (tasks && !item.task) {
    const task = await tasks.createTask({
      summary: item.text,
      ...(item.ownerId ? { assigneeId: item.ownerId } : {}),
      ...(item.due ? { due: item.due } : {}),
      idempotencyKey: `todo:${idempotencyKey}`,
    });
    item = { ...item, task: { id: task.id, ...(task.url ? { url: task.url } : {}) } };
    context.effects.record('created', 'task', task.id);
    await todos.save(item);
  }
  let reminder: CreatedTodo['reminder'] = 'none';
  if (item.due && Date.parse(item.due) > now.getTime() && !item.doneAt) {
    try {
      await context.reminders.schedule({
        id: todoReminderId(item),
        dueAt: item.due,
        conversation: item.conversation,
        userId: item.ownerId ?? item.createdBy,
        text: todoWording[language].reminder(item.number, item.text),
      });
      reminder = 'set';
    } catch (error) {
      if (!isDeskmateError(error) || error.code !== 'not_configured') throw error;
      reminder = 'unavailable';
    }
  }
  return { item, created, reminder };
}

/** What a todo line shows (a saved todo, or one the model proposed, which has no number yet). */
export type TodoLineFields = Pick<TodoItem, 'text' | 'ownerId' | 'ownerName' | 'due' | 'task' | 'doneAt'>;

/** One todo as a line: `Send the report · @Alice · due Fri, Dec 4, 17:00 · [Open the task](…)`. */
export function todoLine(item: TodoLineFields, timezone: string, language: Language): string {
  const words = todoWording[language];
  const parts = [item.doneAt ? `~${item.text}~` : item.text];
  if (item.ownerName || item.ownerId) parts.push(`@${item.ownerName ?? item.ownerId}`);
  if (item.due) parts.push(`${words.due} ${formatDateTime(new Date(item.due), timezone, language)}`);
  if (item.task?.url) parts.push(`[${words.openTask}](${item.task.url})`);
  return parts.join(' · ');
}

/** A "Done #n" button for a todo. */
export function doneButton(item: TodoItem, language: Language): ReplyButton {
  return {
    label: todoWording[language].doneLabel(item.number),
    skill: 'todo',
    action: 'done',
    value: String(item.number),
  };
}

/** Whether the user may see and close the todo from this conversation. */
export function canReach(item: TodoItem, context: SkillContext): boolean {
  const here = context.message.conversation;
  const user = context.message.author.id;
  return (
    (item.conversation.channel === here.channel && item.conversation.workspace === here.workspace) ||
    item.ownerId === user ||
    item.createdBy === user
  );
}
