import { readNumber } from '../../text/chinese-number';

/** A duration found in a request ("30 min", "1.5 hours", "一个半小时", "1h30m"). */
export interface DurationMatch {
  /** The words that said it. */
  text: string;
  /** Its length in minutes (possibly no sensible meeting length: see `reasonableMeetingLength`). */
  minutes: number;
}

/** Meeting lengths Deskmate books: longer is an all-day event or a typo ("30h"), shorter is a typo ("0m"). */
export const meetingLengthLimits = { minMinutes: 5, maxMinutes: 12 * 60 };

/** Whether a meeting may last this long. */
export function reasonableMeetingLength(minutes: number): boolean {
  return minutes >= meetingLengthLimits.minMinutes && minutes <= meetingLengthLimits.maxMinutes;
}

const chineseAmount = '\\d+(?:\\.\\d+)?|[一两二三四五六七八九十]+';

/** Each reader: a pattern and how its match counts minutes. Compound forms come first to win ties. */
const readers: Array<{ pattern: RegExp; minutes: (match: RegExpExecArray) => number }> = [
  {
    // "1h30m", "1 hour 30 minutes", "1 hr and 30 min"
    pattern: /\b(\d+)\s*(?:h|hrs?|hours?)\s*(?:and\s+)?(\d+)\s*(?:m|mins?|minutes?)\b/iu,
    minutes: (match) => Number(match[1]) * 60 + Number(match[2]),
  },
  {
    // "一个半小时", "1个半小时", "两个小时", "半小时", "一小时三十分", "1小时30分钟"
    pattern: new RegExp(
      `(?:(${chineseAmount})\\s*个?\\s*(半)?|(半))\\s*个?\\s*(?:小时|钟头)(?:\\s*(${chineseAmount})\\s*分钟?)?`,
      'u',
    ),
    minutes: (match) => {
      const hours = match[3] ? 0.5 : readNumber(match[1]) + (match[2] ? 0.5 : 0);
      return hours * 60 + (match[4] ? readNumber(match[4]) : 0);
    },
  },
  {
    pattern: new RegExp(`(${chineseAmount})\\s*分钟`, 'u'),
    minutes: (match) => readNumber(match[1]),
  },
  {
    pattern: /\b(?:for\s+)?(\d+(?:\.\d+)?|an?|half an?)\s*(hours?|hrs?|minutes?|mins?|days?)\b/iu,
    minutes: (match) => {
      const amount = /^half/i.test(match[1]) ? 0.5 : /^an?$/i.test(match[1]) ? 1 : Number(match[1]);
      return amount * (/^h/i.test(match[2]) ? 60 : /^d/i.test(match[2]) ? 24 * 60 : 1);
    },
  },
  {
    pattern: /\b(\d+(?:\.\d+)?)(h|m|d)\b/iu,
    minutes: (match) =>
      Number(match[1]) * (match[2].toLowerCase() === 'h' ? 60 : match[2].toLowerCase() === 'd' ? 24 * 60 : 1),
  },
  {
    // "两天": a length only a typo gives a meeting, read so it is refused rather than left in the title.
    pattern: new RegExp(`(${chineseAmount})\\s*个?\\s*天`, 'u'),
    minutes: (match) => readNumber(match[1]) * 24 * 60,
  },
];

/**
 * The length said in the text, the earliest (the longest where two start together), even when it is no
 * sensible meeting length, so that it is refused rather than booked as 30 minutes with "30h" in the title.
 * Relative times ("in 2 hours", "2小时后", "3天后") are not durations.
 */
export function parseDuration(text: string): DurationMatch | undefined {
  let best: { match: RegExpExecArray; minutes: number } | undefined;
  for (const reader of readers) {
    const match = reader.pattern.exec(text);
    if (!match) continue;
    const following = text.slice(match.index + match[0].length);
    const preceding = text.slice(0, match.index);
    if (/^\s*(后|以后|之后|内|以内|later|from now|ago)/iu.test(following) || /\bin\s*$/i.test(preceding))
      continue;
    const minutes = reader.minutes(match);
    if (!Number.isFinite(minutes)) continue;
    if (!best || match.index < best.match.index) best = { match, minutes };
  }
  if (!best) return undefined;
  return { text: best.match[0].trim(), minutes: Math.round(best.minutes) };
}
