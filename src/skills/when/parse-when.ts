import type { ParsedComponents, ParsedResult } from 'chrono-node';
import { readNumber } from '../../text/chinese-number';
import {
  afternoonForBareHour,
  chineseMonthWords,
  maskNameNumerals,
  type Reference,
  weekdayDay,
  wholeMonthDay,
} from './chinese-dates';
import { dateParsers } from './date-parsers';
import { parseDuration } from './duration';
import { offsetMinutes, wallClock, zonedInstant } from './timezone';

/** A part of the day named without a time ("afternoon", "下午"). */
export type DayPart = 'morning' | 'afternoon' | 'evening';

/** A time of day. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** A date or date and time found in a request, in the requester's timezone. */
export interface WhenMatch {
  /** The words that said it, to take them out of a title. */
  text: string;
  /** The calendar day. */
  day: { year: number; month: number; day: number };
  /** The time of day, when one was said. */
  time?: TimeOfDay;
  /** The end time, when a range was said ("3pm to 4pm", "3点到4点"). */
  endTime?: TimeOfDay;
  /** The part of the day, when one was said without a time. */
  dayPart?: DayPart;
  /** The exact instant, for relative times ("in 2 hours"), which are not rounded to the minute. */
  exact?: Date;
  /** A month named alone ("四月份"): `day` is its last day. */
  wholeMonth?: boolean;
  /** Minutes ahead of UTC the request itself said its time is in (`3pm JST`, `9am UTC`). */
  offsetMinutes?: number;
}

export { type DurationMatch, parseDuration } from './duration';

const relativePattern =
  /(\d+|[一两二三四五六七八九十半]+)\s*(?:个)?\s*(小时|钟头|分钟|天)\s*(?:后|以后|之后)|\bin\s+(\d+|an?)\s+(hours?|minutes?|mins?|days?)\b/iu;

function relativeMatch(text: string, now: Date, timezone: string): WhenMatch | undefined {
  const match = relativePattern.exec(text);
  if (!match) return undefined;
  let amount: number;
  let unit: string;
  if (match[1]) {
    amount = readNumber(match[1]);
    unit = match[2] === '分钟' ? 'minute' : match[2] === '天' ? 'day' : 'hour';
  } else {
    amount = /^an?$/i.test(match[3]) ? 1 : Number(match[3]);
    unit = /^h/i.test(match[4]) ? 'hour' : /^d/i.test(match[4]) ? 'day' : 'minute';
  }
  const unitMinutes = unit === 'day' ? 24 * 60 : unit === 'hour' ? 60 : 1;
  if (!Number.isFinite(amount)) return undefined;
  const exact = new Date(now.getTime() + amount * unitMinutes * 60_000);
  const clock = wallClock(exact, timezone);
  return {
    text: match[0].trim(),
    ...(unit === 'day' ? {} : { exact }),
    day: { year: clock.year, month: clock.month, day: clock.day },
    ...(unit === 'day' ? {} : { time: { hour: clock.hour, minute: clock.minute } }),
  };
}

function dayPartOf(text: string): DayPart | undefined {
  if (/afternoon|下午|午后/iu.test(text)) return 'afternoon';
  if (/morning|上午|早上|早晨|\bam\b/iu.test(text)) return 'morning';
  if (/evening|tonight|night|晚上|今晚|傍晚/iu.test(text)) return 'evening';
  return undefined;
}

function timeOf(components: ParsedComponents): TimeOfDay | undefined {
  if (!components.isCertain('hour')) return undefined;
  return { hour: components.get('hour') ?? 0, minute: components.get('minute') ?? 0 };
}

/**
 * Keep a time only when it is a time; chrono reads a lone day part as an hour. Its day is corrected where
 * chrono dates it wrongly (a Chinese weekday with a part of the day, a month named alone), and a bare early
 * hour is moved to the afternoon (see `afternoonForBareHour`).
 */
function fromResult(result: ParsedResult, text: string, reference: Reference): WhenMatch {
  const start = result.start;
  let time = timeOf(start);
  const endTime = result.end ? timeOf(result.end) : undefined;
  const wholeMonth = time ? undefined : wholeMonthDay(result);
  let day = weekdayDay(result, reference) ??
    wholeMonth ?? {
      year: start.get('year') ?? 0,
      month: start.get('month') ?? 0,
      day: start.get('day') ?? 0,
    };
  const afternoon = time ? afternoonForBareHour(result, text, time, reference) : undefined;
  if (afternoon) {
    time = afternoon.time;
    day = afternoon.day ?? day;
  }
  // "3pm JST", "9am UTC": the time is in the zone it names, not the asker's.
  const offsetMinutes = time && start.isCertain('timezoneOffset') ? start.get('timezoneOffset') : undefined;
  return {
    text,
    day,
    ...(time ? { time } : {}),
    ...(typeof offsetMinutes === 'number' ? { offsetMinutes } : {}),
    ...(time && endTime ? { endTime } : {}),
    ...(time ? {} : dayPartOf(text) ? { dayPart: dayPartOf(text) } : {}),
    ...(wholeMonth ? { wholeMonth: true } : {}),
  };
}

/** Chinese weeks start on Monday: on a Sunday, "下周二" is two days away, not nine (chrono counts from Sunday). */
function mondayWeeks(match: WhenMatch, reference: { now: Date; timezone: string }): WhenMatch {
  if (!/(下|下个)(周|星期|礼拜)/u.test(match.text)) return match;
  if (wallClock(reference.now, reference.timezone).weekday !== 0) return match;
  const earlier = new Date(Date.UTC(match.day.year, match.day.month - 1, match.day.day - 7));
  return {
    ...match,
    day: { year: earlier.getUTCFullYear(), month: earlier.getUTCMonth() + 1, day: earlier.getUTCDate() },
  };
}

const nextWeekPattern =
  /\bnext\s+week\b(?:\s+on)?(?:\s+(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)?|下个?(?:周|星期|礼拜)(?!末)([一二三四五六日天1-7])?/iu;
const englishWeekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const chineseWeekdays = '一二三四五六';

/**
 * "next week" (下周) in the text: the day it names in next week, weeks starting on Monday. Without a weekday
 * it is the week's first working day, its Monday ("a meeting next week" is not a Saturday a week away).
 */
function nextWeekOf(
  text: string,
  reference: { now: Date; timezone: string },
): { text: string; index: number; day: WhenMatch['day'] } | undefined {
  const match = nextWeekPattern.exec(text);
  if (!match) return undefined;
  const named = match[1]?.toLowerCase() ?? match[2];
  let offset = 0;
  if (named && /^[a-z]/.test(named)) offset = englishWeekdays.indexOf(named.slice(0, 3));
  else if (named)
    offset = /[日天7]/u.test(named)
      ? 6
      : /\d/.test(named)
        ? Number(named) - 1
        : chineseWeekdays.indexOf(named);
  const today = wallClock(reference.now, reference.timezone);
  const daysToMonday = 7 - ((today.weekday + 6) % 7);
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + daysToMonday + Math.max(offset, 0)));
  return {
    text: match[0],
    index: match.index,
    day: { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
  };
}

/** Put "next week" into what chrono read: its day wins, a time said with it or next to it stays. */
function withNextWeek(
  found: WhenMatch | undefined,
  text: string,
  reference: { now: Date; timezone: string },
) {
  const week = nextWeekOf(text, reference);
  if (!week) return found;
  if (!found) return { text: week.text, day: week.day };
  const at = text.indexOf(found.text);
  const weekEnd = week.index + week.text.length;
  const foundEnd = at + found.text.length;
  const overlaps = at >= 0 && at <= weekEnd + 1 && foundEnd >= week.index - 1;
  if (!overlaps) return found;
  const joined = text.slice(Math.min(at, week.index), Math.max(foundEnd, weekEnd)).trim();
  return { ...found, text: joined, day: week.day };
}

/** What Deskmate says about a clock time that is no time of day, per language. */
export const invalidTimeWording = {
  en: (time: string) => `“${time}” is not a time of day: use 00:00–23:59 or am/pm, e.g. 15:00 or 3pm.`,
  zh: (time: string) => `“${time}”不是有效的时间：请用 00:00–23:59 或“下午3点”这样的写法。`,
};

/** Clock times that are no time of day ("25:00", "3:75", "13pm", "25点"), as written; undefined when none. */
export function invalidTimeOfDay(text: string): string | undefined {
  for (const match of text.matchAll(/(?<![\d:：])(\d{1,2})[:：](\d{2})(?![\d:：])/gu)) {
    if (Number(match[1]) > 23 || Number(match[2]) > 59) return match[0];
  }
  for (const match of text.matchAll(/(?<![\d:])\b(\d{1,2})(?::\d{2})?\s*(am|pm)\b/giu)) {
    if (Number(match[1]) === 0 || Number(match[1]) > 12) return match[0];
  }
  for (const match of text.matchAll(/(?<!\d)(\d{2})\s*[点點]/gu)) {
    if (Number(match[1]) > 24) return match[0];
  }
  return undefined;
}

/**
 * The date and time a request names, in English or Chinese, read in the requester's timezone: "next Tue
 * 3pm", "明天下午3点", "下周二下午", "周五下午", "3点到4点", "in 2 hours", "next week" (its Monday), "月底",
 * "下个月", "12.31前". Durations are removed first, so "30 min" is never read as a time. Undefined when the
 * text names no date.
 */
export function parseWhen(input: string, reference: { now: Date; timezone: string }): WhenMatch | undefined {
  const duration = parseDuration(input);
  const text = duration ? input.replace(duration.text, ' '.repeat(duration.text.length)) : input;
  const found = withNextWeek(chronoWhen(text, reference), text, reference);
  const month = chineseMonthWords(text, reference);
  // 月底, 下个月, 12.31前: chrono reads none of them; they win unless chrono's match already holds them.
  if (month && !found?.text.includes(month.text)) return { text: month.text, day: month.day };
  return found;
}

/** What chrono-node (and the relative-time reader) find in the text. */
function chronoWhen(text: string, reference: { now: Date; timezone: string }): WhenMatch | undefined {
  const relative = relativeMatch(text, reference.now, reference.timezone);
  if (relative) return relative;
  const offset = offsetMinutes(reference.timezone, reference.now);
  // The English parser honours a timezone offset; the Chinese one reads "today" from the instant itself, so
  // it is given the instant shifted to the wall clock of the timezone, as UTC.
  const { english, chinese } = dateParsers();
  const results = [
    ...english.casual.parse(text, { instant: reference.now, timezone: offset }, { forwardDate: true }),
    ...chinese.hans.parse(
      maskNameNumerals(text),
      { instant: new Date(reference.now.getTime() + offset * 60_000), timezone: 0 },
      { forwardDate: true },
    ),
  ].sort((left, right) => left.index - right.index || right.text.length - left.text.length);
  if (results.length === 0) return undefined;

  // "下周二" + "下午": chrono splits a day and the part of the day that follows it; join them.
  const [first, second] = results;
  if (
    second &&
    !first.start.isCertain('hour') &&
    second.index >= first.index + first.text.length &&
    second.index - (first.index + first.text.length) <= 1 &&
    !dayPartOf(first.text)
  ) {
    const joined = text.slice(first.index, second.index + second.text.length).trim();
    const match = fromResult(first, joined, reference);
    const said = timeOf(second.start);
    const time = said && (afternoonForBareHour(second, joined, said, reference)?.time ?? said);
    return mondayWeeks(
      { ...match, ...(time ? { time, dayPart: undefined } : { dayPart: dayPartOf(second.text) }) },
      reference,
    );
  }
  const longest = results.reduce((best, result) => (result.text.length > best.text.length ? result : best));
  return mondayWeeks(fromResult(longest, longest.text.trim(), reference), reference);
}

/** Default start times for a day named without a time, by part of the day. */
export const dayPartStart: Record<DayPart | 'day', TimeOfDay> = {
  morning: { hour: 9, minute: 0 },
  afternoon: { hour: 14, minute: 0 },
  evening: { hour: 19, minute: 0 },
  day: { hour: 9, minute: 0 },
};

/** The instant of a match in the timezone, at its time or the given time of day. */
export function instantOf(match: WhenMatch, timezone: string, fallback: TimeOfDay): Date {
  if (match.exact) return match.exact;
  const time = match.time ?? fallback;
  if (match.offsetMinutes !== undefined) {
    const { year, month, day } = match.day;
    return new Date(Date.UTC(year, month - 1, day, time.hour, time.minute) - match.offsetMinutes * 60_000);
  }
  return zonedInstant(timezone, { ...match.day, ...time });
}

/** The end instant of a range ("3pm to 4pm"), after the start (a "4" after "3pm" is 4pm). */
export function endInstantOf(match: WhenMatch, timezone: string, start: Date): Date | undefined {
  if (!match.endTime) return undefined;
  let end = instantOf({ ...match, time: match.endTime }, timezone, match.endTime);
  const halfDay = 12 * 60 * 60_000;
  for (let tries = 0; tries < 2 && end.getTime() <= start.getTime(); tries += 1) {
    end = new Date(end.getTime() + halfDay);
  }
  return end.getTime() > start.getTime() ? end : undefined;
}
