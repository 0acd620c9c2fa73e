import type { HistoryMessage } from '../../core/history-message';
import { estimateTokens } from '../../llm/token-estimator';
import {
  findUrls,
  neutralizeMassMentions,
  removeForeignUrls,
  removeInvisibleCharacters,
} from '../../text/sanitize';
import { formatEditable } from '../when/timezone';

/** A history message with its citation number (1-based, stable across chunks and incremental updates). */
export interface NumberedMessage {
  /** The number the model cites as `[n]`. */
  number: number;
  /** The message. */
  message: HistoryMessage;
}

/** What the reply needs to turn `[n]` into links: number → message id and link. */
export interface CitationEntry {
  /** Citation number. */
  number: number;
  /** Message id. */
  id: string;
  /** Permalink, when the platform has one. */
  link?: string;
}

/** Number messages starting at `first`. */
export function numberMessages(messages: HistoryMessage[], first = 1): NumberedMessage[] {
  return messages.map((message, index) => ({ number: first + index, message }));
}

/** `YYYY-MM-DD HH:MM` on the asker's clock, as the prompt's "today" is. */
function formatTime(iso: string, timezone: string): string {
  return formatEditable(new Date(iso), timezone);
}

/**
 * One transcript entry: `n Alice: text`, the number alone (cheaper than `[n]` or `n|`); invisible characters
 * removed; a message's further lines indented, so only a message starts a line with a number.
 */
export function transcriptLine({ number, message }: NumberedMessage): string {
  const text = removeInvisibleCharacters(message.text).replace(/\r/g, '').trim().replace(/\n/g, '\n  ');
  const replies = message.replyCount ? ` (${message.replyCount} replies)` : '';
  return `${number} ${message.author.name ?? message.author.id}${replies}: ${text}`;
}

/**
 * The time line before a message that starts a new hour: `(YYYY-MM-DD HH:MM)` when the date differs from the
 * previous message's, else `(HH:MM)` (the date once a day saves tokens); none within the same hour.
 */
function timeLine(time: string, previous: string): string | undefined {
  if (time.slice(0, 10) !== previous.slice(0, 10)) return `(${time})`;
  if (time.slice(0, 13) !== previous.slice(0, 13)) return `(${time.slice(11)})`;
  return undefined;
}

/**
 * The transcript as fenced, untrusted data for a prompt; a time line, on the asker's clock, starts each new hour
 * (saves tokens).
 */
export function fencedTranscript(messages: NumberedMessage[], timezone = 'UTC'): string {
  let previous = '';
  const lines: string[] = [];
  for (const entry of messages) {
    const time = formatTime(entry.message.at, timezone);
    const line = timeLine(time, previous);
    if (line) lines.push(line);
    previous = time;
    lines.push(transcriptLine(entry));
  }
  const body = lines.join('\n');
  // The fence cannot be closed from inside: a message containing the closing tag is defanged.
  return `<transcript>\n${body.replace(/<\/?transcript>/gi, '[transcript tag removed]')}\n</transcript>`;
}

/** Estimated tokens of a message's transcript line. */
export function transcriptLineTokens(entry: NumberedMessage): number {
  return estimateTokens(transcriptLine(entry)) + 1;
}

/**
 * Turn the model's `[n]` citations into links to the messages, drop numbers that match no message (never an
 * invented link), remove URLs that appear in no source message, and neutralize mass mentions.
 */
export function linkCitations(markdown: string, citations: CitationEntry[], sourceTexts: string[]): string {
  const byNumber = new Map(citations.map((entry) => [entry.number, entry]));
  const allowedUrls = new Set(sourceTexts.flatMap(findUrls));
  for (const entry of citations) if (entry.link) allowedUrls.add(entry.link);
  const withoutForeignUrls = removeForeignUrls(markdown, allowedUrls);
  // Groups like [3, 5] or [3][5] or [3-5] become individual citations.
  const expanded = withoutForeignUrls.replace(/\[(\d+(?:\s*[,，、]\s*\d+)+)\]/g, (_whole, list: string) =>
    list
      .split(/\s*[,，、]\s*/)
      .map((number) => `[${number}]`)
      .join(''),
  );
  const linked = expanded.replace(/\s?\[(\d+)\](?!\()/g, (whole, digits: string) => {
    const entry = byNumber.get(Number(digits));
    if (!entry) return '';
    const space = whole.startsWith(' ') ? ' ' : '';
    return entry.link ? `${space}[[${digits}]](${entry.link})` : `${space}[${digits}]`;
  });
  return neutralizeMassMentions(linked);
}

/** The citation numbers a text uses. */
export function citedNumbers(markdown: string): number[] {
  return [...markdown.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}
