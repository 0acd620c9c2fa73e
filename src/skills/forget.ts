import { type Reply, textReply } from '../core/reply';
import type { Skill, SkillContext } from '../core/skill';
import { userUsageKeys } from '../llm/usage-recorder';
import { withoutTrailingPunctuation } from '../text/command-text';
import { detectLanguage, type Language } from '../text/language';
import { memoryIndexKey } from './answer';
import { noArguments } from './arguments';
import { replaceCard } from './card';
import { proposalForClick, saveProposal, updateProposal } from './proposals';
import { retentionOf } from './retention';
import { todoReminderId } from './todo/todo-actions';
import { TodoStore } from './todo/todo-store';

const wording = {
  en: {
    usage:
      'Say `forget me` to delete what Deskmate keeps about you (remembered messages, your todos, usage records).',
    deleted: (turns: number, conversations: number, usageDays: number) =>
      `Deleted ${turns} remembered message${turns === 1 ? '' : 's'} of yours (and my answers to them) in ${conversations} conversation${conversations === 1 ? '' : 's'}, and ${usageDays} day${usageDays === 1 ? '' : 's'} of usage records.`,
    askTodos: (count: number) =>
      `You own ${count} todo${count === 1 ? '' : 's'}. Delete ${count === 1 ? 'it' : 'them'} too?`,
    noTodos: 'You own no todos.',
    todosDeleted: (count: number) => `Deleted ${count} todo${count === 1 ? '' : 's'} of yours.`,
    tasksStay: 'Their Lark tasks stay in Lark: delete them there if you want them gone.',
    todosKept: 'Your todos were kept.',
    deleteLabel: 'Delete my todos',
    keepLabel: 'Keep them',
    platformMessages:
      'Your messages in Slack or Lark are not Deskmate’s to delete: they stay as your workspace keeps them.',
  },
  zh: {
    usage: '发送 `删除我的数据` 可删除 Deskmate 保存的关于你的数据（对话记忆、你的待办、用量记录）。',
    deleted: (turns: number, conversations: number, usageDays: number) =>
      `已删除你在 ${conversations} 个会话中被记住的 ${turns} 条消息（及我的回复），以及 ${usageDays} 天的用量记录。`,
    askTodos: (count: number) => `你有 ${count} 项待办，也要删除吗？`,
    noTodos: '你没有待办。',
    todosDeleted: (count: number) => `已删除你的 ${count} 项待办。`,
    tasksStay: '对应的飞书任务仍保留在飞书中，如需删除请在飞书里操作。',
    todosKept: '你的待办已保留。',
    deleteLabel: '删除我的待办',
    keepLabel: '保留',
    platformMessages: '你在 Slack 或飞书中的消息不由 Deskmate 删除，它们按工作区的设置保留。',
  },
};

/**
 * Whole messages that ask Deskmate to delete what it keeps about the sender, as people write them (`请删除我的数据`,
 * `忘记我`, `delete my data`, `forget me please`), trailing punctuation already taken off. Anchored on both ends:
 * `忘记我说的话` or `delete my draft` is something else, and `forget` or `forget it` alone only explains.
 */
const forgetMePhrases: readonly RegExp[] = [
  /^(请|麻烦)?(你)?(帮我)?(删除|删掉|清除|清空|忘记|忘掉)(我的(全部|所有)?(数据|信息|资料|个人数据|个人信息)|关于我的(一切|所有|全部)?(数据|信息)?|我)(吧)?$/u,
  /^(please\s+)?(forget\s+(about\s+)?(me|my\s+data|everything\s+about\s+me|all\s+about\s+me)|delete\s+(all\s+)?(my\s+data|my\s+personal\s+data|everything\s+about\s+me))(\s*,?\s*please)?$/iu,
];

/** Whether a command (its word and text) asks to delete the sender's data, not just what `forget` does. */
function asksToForgetMe(word: string, text: string): boolean {
  // `forget me please` is the word and its text; `请删除我的数据` (a whole-sentence command) is the text alone.
  return [`${word} ${text}`, text].some((candidate) => {
    const sentence = withoutTrailingPunctuation(candidate.replace(/\s+/g, ' ').trim());
    return forgetMePhrases.some((phrase) => phrase.test(sentence));
  });
}

/** A request to delete a person's todos, waiting for their click. */
interface ForgetTodosProposal {
  numbers: number[];
  language: Language;
}

/** Delete the person's remembered turns, everywhere they are remembered; returns turns and conversations. */
async function forgetMemory(context: SkillContext): Promise<{ turns: number; conversations: number }> {
  const indexKey = memoryIndexKey(context.message);
  const conversations = Object.keys(await context.store.counters(indexKey));
  let turns = 0;
  let touched = 0;
  for (const conversation of conversations) {
    const removed = await context.store.forgetTurns(conversation, context.message.author.id);
    turns += removed;
    if (removed > 0) touched += 1;
  }
  await context.store.delete(indexKey);
  return { turns, conversations: touched };
}

/** Delete the person's daily usage records; returns how many days had one. */
async function forgetUsage(context: SkillContext): Promise<number> {
  const { platform, workspace } = context.message.conversation;
  let days = 0;
  const kept = retentionOf(context.settings).usageDays;
  for (const key of userUsageKeys(
    `${platform}:${workspace}`,
    context.message.author.id,
    context.now(),
    kept,
  )) {
    if (Object.keys(await context.store.counters(key)).length === 0) continue;
    await context.store.delete(key);
    days += 1;
  }
  return days;
}

async function confirmTodos(context: SkillContext, todos: TodoStore): Promise<Reply | undefined> {
  const action = context.message.action;
  if (!action) return undefined;
  const clicked = await proposalForClick<ForgetTodosProposal>(
    context,
    action.value,
    (payload) => payload.language,
  );
  if ('refusal' in clicked) return clicked.refusal;
  const { proposal } = clicked;
  const words = wording[proposal.payload.language];
  if (proposal.status !== 'pending') return undefined;
  if (action.action === 'cancel') {
    await updateProposal(context.store, { ...proposal, status: 'cancelled' });
    return replaceCard(context, textReply(words.todosKept));
  }
  if (action.action !== 'delete') return undefined;
  let deleted = 0;
  let withTasks = false;
  for (const number of proposal.payload.numbers) {
    const item = await todos.get(proposal.conversation, number);
    if (!item || (item.ownerId ?? item.createdBy) !== proposal.requestedBy) continue;
    // Its reminder first (it holds the todo's text and the person's id, and would still post): a failure here
    // leaves the todo in place for the retry.
    await context.reminders.cancel(todoReminderId(item));
    await todos.remove(item);
    context.effects.record('deleted', 'todo', `#${item.number}`);
    if (item.task) withTasks = true;
    deleted += 1;
  }
  await updateProposal(context.store, { ...proposal, status: 'created' });
  return replaceCard(
    context,
    textReply([words.todosDeleted(deleted), ...(withTasks ? [words.tasksStay] : [])].join(' ')),
  );
}

/**
 * Create the "forget me" skill: deletes the requester's remembered messages (and the answers to them) and
 * usage records at once, and the todos they own after a confirmation click; says what went, in counts, and
 * that their messages in the platform are not Deskmate's to delete. Only ever run by the command itself.
 */
export function createForgetSkill(): Skill {
  return {
    name: 'forget',
    commandWords: ['forget', '删除我的数据'],
    commandPhrases: forgetMePhrases,
    description: 'Delete what Deskmate keeps about the requester.',
    ...noArguments,
    help: {
      en: 'Delete what Deskmate keeps about you: remembered messages, usage records, and (after you confirm) your todos.',
      zh: '删除 Deskmate 保存的关于你的数据：对话记忆、用量记录，以及（确认后）你的待办。',
      examples: ['forget me', '删除我的数据'],
    },
    routable: false,
    ownsButtons: true,
    async run(context) {
      const todos = new TodoStore(context.store, retentionOf(context.settings).doneTodoSeconds);
      const { request, message } = context;
      if (request.kind === 'action') return confirmTodos(context, todos);
      const language = detectLanguage(message.text);
      const words = wording[language];
      const asked = request.kind === 'command' && asksToForgetMe(request.word, request.text);
      if (!asked) return textReply(words.usage);
      const memory = await forgetMemory(context);
      const usageDays = await forgetUsage(context);
      context.logger.info(
        { turns: memory.turns, conversations: memory.conversations, usageDays },
        'personal data forgotten',
      );
      const owned = (await todos.userItems(message.conversation, message.author.id)).filter(
        (item) => (item.ownerId ?? item.createdBy) === message.author.id,
      );
      const lines = [words.deleted(memory.turns, memory.conversations, usageDays), words.platformMessages];
      if (owned.length === 0) return textReply([...lines, words.noTodos].join('\n\n'));
      const proposal = await saveProposal<ForgetTodosProposal>(
        context.store,
        'forget',
        message,
        { numbers: owned.map((item) => item.number), language },
        context.now(),
      );
      return textReply([...lines, words.askTodos(owned.length)].join('\n\n'), {
        buttons: [
          {
            label: words.deleteLabel,
            skill: 'forget',
            action: 'delete',
            value: proposal.id,
            style: 'danger',
          },
          { label: words.keepLabel, skill: 'forget', action: 'cancel', value: proposal.id },
        ],
      });
    },
  };
}
