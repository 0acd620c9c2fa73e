import { z } from 'zod';
import type { HistoryMessage } from '../../core/history-message';
import { type Reply, textReply } from '../../core/reply';
import { requestText, type Skill, type SkillContext } from '../../core/skill';
import { detectLanguage, type Language } from '../../text/language';
import { toolArguments } from '../arguments';
import { replaceCard } from '../card';
import {
  confirmationButtons,
  type Proposal,
  proposalForClick,
  saveProposal,
  updateProposal,
} from '../proposals';
import { retentionOf } from '../retention';
import { invalidDate, invalidDateWording } from '../when/invalid-date';
import { invalidTimeOfDay, invalidTimeWording } from '../when/parse-when';
import { formatEditable } from '../when/timezone';
import { requesterTimezone } from '../when/user-timezone';
import { extractPhrase, gluedDoneWords, maxTodoLength, parseTodoCommand, parseTodoText } from './command';
import { extractTodos, type ProposedTodo, peopleOf } from './extract';
import { canReach, createTodo, doneButton, todoLine, todoReminderId } from './todo-actions';
import { type TodoItem, TodoStore } from './todo-store';
import { todoWording } from './wording';

/** Most "Done" buttons under one list (platforms cap buttons per message). */
const maxDoneButtons = 5;
/** Most messages read when extracting todos from a conversation. */
const maxSourceMessages = 300;

/** What the model may pass the todo skill. */
type TodoArguments = { from_conversation?: boolean | null };

interface TodoProposal {
  items: ProposedTodo[];
  timezone: string;
  language: Language;
}

function languageOf(context: SkillContext): Language {
  return detectLanguage(context.message.text || requestText(context.request));
}

async function listTodos(context: SkillContext, todos: TodoStore, all: boolean, notice?: string) {
  const language = languageOf(context);
  const words = todoWording[language];
  const timezone = requesterTimezone(context);
  const conversation = context.message.conversation;
  const mine = conversation.kind === 'dm';
  // A channel's todos are read from it: only for those who may read the channel.
  if (!mine) await context.access.allow(conversation);
  const items = mine
    ? await todos.userItems(conversation, context.message.author.id)
    : await todos.channelItems(conversation);
  const open = items.filter((item) => !item.doneAt);
  const shown = all ? items : open;
  const title = `**${mine ? words.mineTitle : words.channelTitle}** (${words.open(open.length)})`;
  const lines = shown.map(
    (item) => `${item.doneAt ? '✓' : '•'} #${item.number} ${todoLine(item, timezone, language)}`,
  );
  // Buttons stop at five (platforms cap them): the rest are closed by number, and the list says so.
  if (open.length > maxDoneButtons) lines.push('', words.moreThanButtons(maxDoneButtons));
  // After closing todos, an empty list adds nothing: the answer is the closing line alone.
  const body = shown.length > 0 ? [title, ...lines].join('\n') : notice ? '' : words.none;
  return textReply(notice && body ? `${notice}\n\n${body}` : (notice ?? body), {
    buttons: open.slice(0, maxDoneButtons).map((item) => doneButton(item, language)),
  });
}

async function markDone(
  context: SkillContext,
  todos: TodoStore,
  numbers: number[],
  language: Language,
): Promise<string[]> {
  const words = todoWording[language];
  const lines: string[] = [];
  for (const number of numbers) {
    const item = await todos.get(context.message.conversation, number);
    if (!item || !canReach(item, context)) {
      lines.push(words.notFound(number));
      continue;
    }
    const result = await todos.markDone(
      context.message.conversation,
      number,
      context.message.author.id,
      context.now(),
    );
    if (!result) {
      lines.push(words.notFound(number));
      continue;
    }
    if (result.changed) context.effects.record('closed', 'todo', `#${number}`);
    await context.reminders.cancel(todoReminderId(result.item)).catch(() => undefined);
    if (result.changed && result.item.task && context.platform.tasks?.completeTask) {
      // The todo is done in Deskmate's list either way; a task someone completed in Lark may refuse.
      await context.platform.tasks
        .completeTask(result.item.task.id, context.now())
        .catch((error: unknown) => {
          context.logger.warn({ err: error, todo: number }, 'could not complete the platform task');
        });
    }
    lines.push(result.changed ? words.markedDone(number, result.item.text) : words.alreadyDone(number));
  }
  return lines;
}

async function addTodo(
  context: SkillContext,
  todos: TodoStore,
  text: string,
  startsWithListWord: boolean,
): Promise<Reply> {
  const language = languageOf(context);
  const words = todoWording[language];
  const timezone = requesterTimezone(context);
  const badTime = invalidTimeOfDay(text);
  if (badTime) return textReply(invalidTimeWording[language](badTime));
  const badDate = invalidDate(text);
  if (badDate) return textReply(invalidDateWording[language](badDate));
  const parsed = parseTodoText(text, context.message.mentions ?? [], { now: context.now(), timezone });
  if (!parsed.text) return textReply(words.missingText);
  if (parsed.text.length > maxTodoLength) return textReply(words.tooLong(maxTodoLength, parsed.text.length));
  const result = await createTodo(
    context,
    todos,
    { ...parsed, conversation: context.message.conversation, createdBy: context.message.author.id },
    context.message.eventId,
    language,
  );
  const headline = result.created ? words.added(result.item.number) : words.alreadyAdded(result.item.number);
  const lines = [`${headline}: ${todoLine(result.item, timezone, language)}`];
  // Added all the same (it may be a late entry), but the person should know it is already overdue.
  const due = result.item.due ? Date.parse(result.item.due) : Number.NaN;
  if (result.created && due <= context.now().getTime()) lines.push(words.overdue);
  if (result.reminder === 'unavailable') lines.push(words.remindersOff);
  if (startsWithListWord && result.created) lines.push(words.listHint(result.item.number));
  const owner = result.item.ownerId;
  return textReply(lines.join('\n'), {
    buttons: [doneButton(result.item, language)],
    ...(owner && owner !== context.message.author.id ? { notify: [owner] } : {}),
  });
}

async function readSource(context: SkillContext): Promise<HistoryMessage[] | undefined> {
  const conversation = context.message.conversation;
  if (context.message.inThread && conversation.thread) {
    const result = await context.platform.history(conversation, {
      thread: conversation.thread,
      limit: maxSourceMessages,
    });
    return result.messages;
  }
  // A direct chat is read only inside a thread; the console's session is its one conversation.
  if (conversation.kind === 'dm' && conversation.platform !== 'console') return undefined;
  const since = new Date(context.now().getTime() - 24 * 60 * 60 * 1000).toISOString();
  const result = await context.platform.history(
    { ...conversation, thread: undefined },
    { since, limit: maxSourceMessages },
  );
  return result.messages;
}

function proposalLines(items: ProposedTodo[], timezone: string, language: Language): string[] {
  return items.map((item, index) => `${index + 1}. ${todoLine(item, timezone, language)}`);
}

async function propose(context: SkillContext, fromConversation: boolean): Promise<Reply> {
  const language = languageOf(context);
  const words = todoWording[language];
  if (!context.llm.configured) return textReply(words.needsModel);
  const timezone = requesterTimezone(context);
  let history: HistoryMessage[];
  if (fromConversation) {
    const read = await readSource(context);
    if (!read) return textReply(words.needsThread);
    // The request itself and Deskmate's own posts are not action items.
    history = read.filter((message) => !message.isBot && message.id !== context.message.messageId);
  } else {
    history = [
      {
        id: context.message.messageId,
        author: context.message.author,
        text: requestText(context.request) || context.message.text,
        at: context.message.receivedAt,
        isBot: false,
      },
    ];
  }
  await context.respond.progress(language === 'zh' ? '正在整理待办…' : 'Finding action items…');
  const items = await extractTodos(context, { history, people: peopleOf(context, history), timezone });
  if (items.length === 0) return textReply(words.noItems);
  const proposal = await saveProposal<TodoProposal>(
    context.store,
    'todo',
    context.message,
    { items, timezone, language },
    context.now(),
  );
  const lines = proposalLines(items, timezone, language);
  return textReply([words.proposalTitle(items.length), ...lines].join('\n'), {
    buttons: confirmationButtons('todo', proposal.id, language),
  });
}

function editableCommand(item: ProposedTodo, timezone: string, language: Language): string {
  const command = language === 'zh' ? '待办 添加' : 'todo add';
  const due = item.due
    ? ` ${language === 'zh' ? '截止' : 'by'} ${formatEditable(new Date(item.due), timezone)}`
    : '';
  const owner = item.ownerName ? ` @${item.ownerName}` : '';
  return `\`${command} ${item.text}${due}${owner}\``;
}

async function handleAction(context: SkillContext, todos: TodoStore): Promise<Reply | undefined> {
  const action = context.message.action;
  if (!action) return undefined;
  if (action.action === 'done') {
    const stored = await todos.get(context.message.conversation, Number(action.value));
    const language = detectLanguage(stored?.text ?? '');
    const [line] = await markDone(context, todos, [Number(action.value)], language);
    return replaceCard(context, await listTodos(context, todos, false, line));
  }
  const clicked = await proposalForClick<TodoProposal>(context, action.value, (payload) => payload.language);
  if ('refusal' in clicked) return clicked.refusal;
  const { proposal } = clicked;
  const language = proposal.payload.language;
  const words = todoWording[language];
  if (action.action === 'cancel') {
    if (proposal.status === 'created') return textReply(words.alreadyCreated, { private: true });
    await updateProposal(context.store, { ...proposal, status: 'cancelled' });
    return replaceCard(context, textReply(words.cancelled));
  }
  if (action.action === 'edit') {
    const { items, timezone } = proposal.payload;
    return textReply(
      [words.editHint, ...items.map((item) => editableCommand(item, timezone, language))].join('\n'),
    );
  }
  if (action.action === 'create') return replaceCard(context, await createProposed(context, todos, proposal));
  return undefined;
}

async function createProposed(
  context: SkillContext,
  todos: TodoStore,
  proposal: Proposal<TodoProposal>,
): Promise<Reply> {
  const { items, timezone, language } = proposal.payload;
  const words = todoWording[language];
  if (proposal.status === 'cancelled') return textReply(words.cancelled);
  const created: TodoItem[] = [];
  for (const [index, item] of items.entries()) {
    const result = await createTodo(
      context,
      todos,
      { ...item, conversation: proposal.conversation, createdBy: proposal.requestedBy },
      `${proposal.id}:${index}`,
      language,
    );
    created.push(result.item);
  }
  await updateProposal(context.store, { ...proposal, status: 'created' });
  const owners = [...new Set(created.map((item) => item.ownerId).filter((id): id is string => Boolean(id)))];
  return textReply(
    [
      words.created(created.length),
      ...created.map((item) => `• #${item.number} ${todoLine(item, timezone, language)}`),
    ].join('\n'),
    {
      buttons: created.slice(0, maxDoneButtons).map((item) => doneButton(item, language)),
      ...(owners.length > 0 ? { notify: owners.filter((id) => id !== proposal.requestedBy) } : {}),
    },
  );
}

/** Create the todo skill: explicit commands create at once; what the model finds waits for a confirmation click. */
export function createTodoSkill(): Skill<TodoArguments> {
  return {
    name: 'todo',
    // `待办完成 3`: Chinese is written without spaces, and these two are never the first word of anything else.
    commandWords: ['todo', 'todos', '待办', '任务', ...gluedDoneWords],
    // `从这个讨论中提取待办` asks for extraction without a command word; only this exact shape is taken.
    commandPhrases: [extractPhrase],
    description:
      'Turn requests or a discussion into todos (action items with owner and due date), or list and close todos. ' +
      'Use it when the user asks to remember, track or assign work.',
    ...toolArguments({
      from_conversation: z
        .boolean()
        .nullish()
        .describe('True when the user asks for the action items of this thread or channel.'),
    }),
    help: {
      en: 'Todos: add, list and close them, or turn a thread into todos.',
      zh: '待办：添加、查看、完成待办，或从讨论中提取待办。',
      examples: [
        'todo add Send the report by Friday @alice',
        'todo list',
        'todo done 3',
        'todo from this thread',
        '待办 明天下午3点前提交预算 @张三',
        '待办 列表',
        '待办 完成 3',
        '待办 从这个讨论中提取待办',
      ],
      needsModel: ['todo from this thread', '待办 从这个讨论中提取待办'],
    },
    routable: true,
    ownsButtons: true,
    async run(context) {
      const todos = new TodoStore(context.store, retentionOf(context.settings).doneTodoSeconds);
      const { request } = context;
      if (request.kind === 'action') return handleAction(context, todos);
      // What the model chose is only ever proposed: todos are made by the requester's click.
      if (request.kind !== 'command') return propose(context, context.args.from_conversation === true);
      const command = parseTodoCommand(
        gluedDoneWords.includes(request.word) ? `完成 ${request.text}` : request.text,
      );
      const language = languageOf(context);
      switch (command.kind) {
        case 'list':
          return listTodos(context, todos, command.all);
        case 'done':
          return listTodos(
            context,
            todos,
            false,
            (await markDone(context, todos, command.numbers, language)).join('\n'),
          );
        case 'extract':
          return propose(context, true);
        case 'add':
          return addTodo(context, todos, command.text, command.startsWithListWord === true);
        case 'usage':
          return textReply(
            command.of === 'delete'
              ? todoWording[language].deleteUsage(command.numbers)
              : todoWording[language].doneUsage,
          );
      }
    },
  };
}
