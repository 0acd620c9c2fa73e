import type { ReplyButton } from '../../src/core/reply';
import type { Language } from '../../src/text/language';

/** What the console says about `/click`, in the language of the card the buttons are on. */
export const clickWording = {
  en: {
    hint: 'type /click and a number to press a button',
    noCard: 'There is nothing to click yet: /click presses a button of the last card that had buttons.',
    usage: (count: number) =>
      count === 1
        ? 'Type /click 1 to press the button of the last card.'
        : `Type /click and a button's number, from 1 to ${count} (e.g. /click 1).`,
    noSuchButton: (number: string, count: number) =>
      count === 1
        ? `There is no button ${number}: the last card has one button, /click 1.`
        : `There is no button ${number}: the last card has buttons 1 to ${count}.`,
  },
  zh: {
    hint: '输入 /click 加编号来点击按钮',
    noCard: '目前没有可点击的按钮：/click 用于点击最近一张带按钮的卡片上的按钮。',
    usage: (count: number) =>
      count === 1
        ? '输入 /click 1 点击最近卡片上的按钮。'
        : `请输入 /click 加按钮编号，范围 1 到 ${count}（例如 /click 1）。`,
    noSuchButton: (number: string, count: number) =>
      count === 1
        ? `没有按钮 ${number}：最近的卡片只有一个按钮，/click 1。`
        : `没有按钮 ${number}：最近的卡片只有按钮 1 到 ${count}。`,
  },
} satisfies Record<Language, unknown>;

/** A `/click` line read against the last card's buttons: the button pressed, or what to say instead. */
export type ClickResult = { button: ReplyButton } | { answer: string };

/**
 * Read a line typed in the console as a click: `/click 2` presses the second button of the last card.
 * Undefined when the line is not a `/click`; an answer (never a model request) when it names no button.
 */
export function readClick(
  line: string,
  buttons: readonly ReplyButton[],
  language: Language,
): ClickResult | undefined {
  const match = /^\/click(?:\s+(\S+))?\s*$/iu.exec(line.trim());
  if (!match && !/^\/click\b/iu.test(line.trim())) return undefined;
  const words = clickWording[language];
  if (buttons.length === 0) return { answer: words.noCard };
  const typed = match?.[1];
  if (!typed || !/^\d+$/.test(typed)) return { answer: words.usage(buttons.length) };
  const button = buttons[Number(typed) - 1];
  return button ? { button } : { answer: words.noSuchButton(typed, buttons.length) };
}
