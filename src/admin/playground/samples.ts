import type { Language } from '../../text/language';
import english from './samples/launch-thread-en.json';
import chinese from './samples/launch-thread-zh.json';

/** One message of a playground thread: who wrote it, what, and how many minutes after the first. */
export interface ThreadLine {
  /** The author's name. */
  author: string;
  /** The text. */
  text: string;
  /** Minutes after the thread's first message. */
  minute: number;
}

/** A sample thread shipped with Deskmate (`src/admin/playground/samples/*.json`). */
export interface SampleThread {
  /** Stable id (`launch-en`). */
  id: string;
  /** The language it is written in. */
  language: Language;
  /** Its name in each language. */
  title: Record<Language, string>;
  /** Its messages, oldest first. */
  messages: ThreadLine[];
}

/** The sample threads, English first. */
export const sampleThreads: readonly SampleThread[] = [english as SampleThread, chinese as SampleThread];

/** A day as the sample's language writes it: `Thursday, December 10` or `12月10日（周四）`. */
function writtenDay(day: Date, language: Language): string {
  const part = (options: Intl.DateTimeFormatOptions, locale = 'en-US') =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(day);
  if (language === 'zh')
    return `${day.getUTCMonth() + 1}月${day.getUTCDate()}日（${part({ weekday: 'short' }, 'zh-CN')}）`;
  return `${part({ weekday: 'long' })}, ${part({ month: 'long' })} ${day.getUTCDate()}`;
}

/**
 * A sample as shown or run at `now`: its `{day+N}` written out as the day N days after today in `timeZone`, so
 * the thread's dates agree with its messages' times (the thread happens just before the run).
 */
export function datedSample(sample: SampleThread, now: Date, timeZone: string): SampleThread {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number);
  const fill = (text: string) =>
    text.replace(/\{day\+(\d)\}/g, (_, offset: string) =>
      writtenDay(new Date(Date.UTC(year, month - 1, day + Number(offset))), sample.language),
    );
  return {
    ...sample,
    messages: sample.messages.map((message) => ({ ...message, text: fill(message.text) })),
  };
}

/** The sample with this id. */
export function findSample(id: string): SampleThread | undefined {
  return sampleThreads.find((sample) => sample.id === id);
}

/** Most messages a pasted thread may have. */
export const maxPastedMessages = 500;

/**
 * A pasted thread: one message per line as `Name: text` (a full-width colon too); a line without a name
 * continues the message before it. Blank lines are skipped; one minute between messages.
 */
export function parsePastedThread(text: string): ThreadLine[] {
  const lines: ThreadLine[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([^:：]{1,40})[:：]\s*(.+)$/u.exec(line);
    if (match) lines.push({ author: match[1].trim(), text: match[2].trim(), minute: lines.length });
    else if (lines.length > 0) lines[lines.length - 1].text += `\n${line}`;
    else lines.push({ author: 'someone', text: line, minute: 0 });
    if (lines.length > maxPastedMessages) break;
  }
  return lines.slice(0, maxPastedMessages);
}

/** A thread as the paste box shows it. */
export function threadAsText(messages: readonly ThreadLine[]): string {
  return messages.map((message) => `${message.author}: ${message.text}`).join('\n');
}
