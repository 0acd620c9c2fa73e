import type { Author } from '../../core/inbound-message';
import { normalizeCommandText } from '../../text/command-text';
import { escapeRegExp } from '../../text/regexp';
import { removeDirectionControls } from '../../text/sanitize';
import { dayPartStart, instantOf, parseWhen, type TimeOfDay, type WhenMatch } from '../when/parse-when';

/** What a `todo …` command asks for; `usage` when its arguments do not fit (`todo done abc`). */
export type TodoCommand =
  | { kind: 'list'; all: boolean }
  | { kind: 'add'; text: string; startsWithListWord?: boolean }
  | { kind: 'done'; numbers: number[] }
  | { kind: 'extract'; source: 'thread' | 'text'; text: string }
  | { kind: 'usage'; of: 'done' }
  | { kind: 'usage'; of: 'delete'; numbers: number[] };

/** The longest todo text Deskmate keeps (a title, not a document). */
export const maxTodoLength = 500;

const listWords = /^(list|ls|show|mine|all|列表|清单|查看|全部|所有)$/iu;
const addWords = /^(add|new|create|添加|新建|加)$/iu;
const doneWordList = 'done|finish|finished|complete|completed|close|完成|已完成|搞定';
const doneWords = new RegExp(`^(${doneWordList})$`, 'iu');
/**
 * A done word with only numbers stuck to it (`待办 完成3`: Chinese is written without spaces); `完成3份报告` is a
 * todo ("finish 3 reports") and stays one.
 */
const gluedDonePattern = new RegExp(`^(${doneWordList})(#?\\d[#\\d\\s,，、]*)$`, 'iu');
/** Words that ask to delete a todo (`todo delete 1`, `待办 删除 1`). */
const deleteWords = /^(delete|remove|rm|del|删除|删掉|移除|去掉)$/iu;
/** Done words that are not the first word of a task ("finish the slides" is a todo, "done the slides" is not). */
const closedWords = /^(done|finished|completed|已完成|搞定)$/iu;
const fromThreadPattern =
  /^(from\s+(this|the)\s+(thread|conversation|discussion|channel)|from\s+here|(请|帮我|请帮我)?从(这个|本|此)?(讨论|帖子|话题|对话|线程|会话|群聊)(中|里)?(提取|整理)?(待办|任务)?|整理(这个|本)?(讨论|话题|对话)(中|里)?(的)?(待办|任务)?)\s*$/iu;

/** Command words that are `待办` and `完成` written together (`待办完成 3`, `完成待办 3`). */
export const gluedDoneWords: readonly string[] = ['待办完成', '完成待办'];

/** A whole message asking for a thread's todos without a command word (`从这个讨论中提取待办`). */
export const extractPhrase =
  /^(请|帮我|请帮我)?从(这个|本|此)?(讨论|帖子|话题|对话|线程|会话|群聊)(中|里)?(提取|整理)(出)?(待办|待办事项|任务)$/u;

/** The numbers a close or delete names, when its words are only numbers (`3`, `#3, 4`, `3、4`). */
function numbersOf(text: string): number[] | undefined {
  const numbers = [...text.matchAll(/\d+/g)].map((match) => Number(match[0]));
  return numbers.length > 0 && /^[#\d\s,，、]+$/u.test(text) ? numbers : undefined;
}

/** Read the text after `todo` / `待办`: list, add, done, or extraction from the thread. */
export function parseTodoCommand(text: string): TodoCommand {
  // Full-width digits and spaces as ASCII for reading the subcommand (`待办 完成 ３`).
  const trimmed = normalizeCommandText(text).trim().replace(gluedDonePattern, '$1 $2');
  if (trimmed.length === 0) return { kind: 'list', all: false };
  if (fromThreadPattern.test(trimmed)) return { kind: 'extract', source: 'thread', text: trimmed };
  const [first, ...rest] = trimmed.split(/\s+/);
  const remainder = rest.join(' ');
  if (listWords.test(first) && rest.length <= 1) {
    return { kind: 'list', all: /^(all|全部|所有)$/iu.test(first) || /^(all|全部|所有)$/iu.test(remainder) };
  }
  if (doneWords.test(first)) {
    const numbers = numbersOf(remainder);
    if (numbers) return { kind: 'done', numbers };
    // `todo done abc` is a mistyped close, never a new todo called "done abc"; `todo finish the slides` is a todo.
    if (!remainder || closedWords.test(first) || /^#|^\S*\d\S*$/u.test(remainder)) {
      return { kind: 'usage', of: 'done' };
    }
  }
  // `todo delete 1` never adds a todo called "delete 1", and does not close #1 either: closing marks it done,
  // which tells its owner and the list it was done when it was dropped. The answer says how to close it, with
  // its number, so one more message takes it off the list. `todo remove the old banners` is still a todo.
  if (deleteWords.test(first)) {
    const numbers = numbersOf(remainder);
    if (numbers || !remainder || remainder.startsWith('#')) {
      return { kind: 'usage', of: 'delete', numbers: numbers ?? [] };
    }
  }
  if (addWords.test(first)) return { kind: 'add', text: remainder };
  // "todo list the vendors" is a task, "todo list foo bar" may be a mistyped list: added, with a hint.
  if (listWords.test(first)) return { kind: 'add', text: trimmed, startsWithListWord: true };
  return { kind: 'add', text: trimmed };
}

/** A todo read from an explicit `todo add` command. */
export interface ParsedTodo {
  /** What to do, with the date words and the owner's mention taken out. */
  text: string;
  /** The owner's platform id, when a real mention named them. */
  ownerId?: string;
  /** The owner's name. */
  ownerName?: string;
  /** Due time (ISO 8601). */
  due?: string;
}

/** When a due date has no time, it is due at the end of the working day. */
export const endOfWorkingDay: TimeOfDay = { hour: 17, minute: 0 };

/** The due instant of a date read from the text (a day without a time: 17:00, or its part of day). */
function dueOf(when: WhenMatch, timezone: string): string {
  const fallback = when.dayPart ? dayPartStart[when.dayPart] : endOfWorkingDay;
  return instantOf(when, timezone, fallback).toISOString();
}

/** The due instant of date words in the user's timezone (a day without a time: 17:00, or its part of day). */
export function dueFromWords(words: string, now: Date, timezone: string): string | undefined {
  const when = parseWhen(words, { now, timezone });
  if (!when) {
    const parsed = Date.parse(words);
    return Number.isFinite(parsed) && /\d{4}-\d{2}-\d{2}/.test(words)
      ? new Date(parsed).toISOString()
      : undefined;
  }
  return dueOf(when, timezone);
}

/**
 * Split `Send the report by Friday @alice` into its text, owner and due time. The owner is the first
 * person mentioned (a real mention when the platform gave one, else a written `@name`).
 */
export function parseTodoText(
  input: string,
  mentions: readonly Author[],
  reference: { now: Date; timezone: string },
): ParsedTodo {
  let text = removeDirectionControls(input);
  let ownerId: string | undefined;
  let ownerName: string | undefined;
  const mentioned = mentions.find((mention) => mention.name && text.includes(`@${mention.name}`));
  if (mentioned?.name) {
    ownerId = mentioned.id;
    ownerName = mentioned.name;
    text = text.replace(`@${mentioned.name}`, ' ');
  } else {
    const written = /(^|\s)@([\p{L}\p{N}._-]+)/u.exec(text);
    if (written) {
      ownerName = written[2];
      text = text.replace(written[0], ' ');
    }
  }
  const when = parseWhen(text, reference);
  let due: string | undefined;
  // A date that describes something ("四月份的预算", "昨天的报告") is part of what to do, not when: the text
  // keeps it. Work for a named month is still due by that month's end.
  const describes = when && new RegExp(`${escapeRegExp(when.text)}份?的`, 'u').test(text);
  if (when && describes) {
    if (when.wholeMonth) due = dueOf(when, reference.timezone);
  } else if (when) {
    due = dueOf(when, reference.timezone);
    text = text.replace(
      new RegExp(
        `(\\b(by|before|due|on|until)\\s+|(在|于|截止到?|到)\\s*|(本|这个?)(?=[周星礼]))?${escapeRegExp(when.text)}份?(\\s*(前|之前|以前))?`,
        'iu',
      ),
      ' ',
    );
  }
  text = text
    .replace(/\s+/g, ' ')
    .replace(/\s*([,，;；])\s*$/u, '')
    .trim();
  return {
    text,
    ...(ownerId ? { ownerId } : {}),
    ...(ownerName ? { ownerName } : {}),
    ...(due ? { due } : {}),
  };
}
