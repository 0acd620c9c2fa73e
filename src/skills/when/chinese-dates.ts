import type { ParsedResult } from 'chrono-node';
import { wallClock } from './timezone';

/** When the words were said, and where. */
export interface Reference {
  now: Date;
  timezone: string;
}

/** A calendar day. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

function dayOf(date: Date): CalendarDay {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function todayOf(reference: Reference) {
  return wallClock(reference.now, reference.timezone);
}

function lastDayOfMonth(year: number, month: number): CalendarDay {
  return dayOf(new Date(Date.UTC(year, month, 0)));
}

/**
 * The day a weekday names, when chrono dated it wrongly: its zh parser reads "周五下午" (and 星期五下午,
 * 礼拜五下午, 这周五下午, "周五 下午") as one match dated today, the weekday kept aside. Such a day is the
 * coming one (today when today is that weekday); after 上周 / 上个星期, the last one. Undefined when chrono's
 * day already is that weekday.
 */
export function weekdayDay(result: ParsedResult, reference: Reference): CalendarDay | undefined {
  const start = result.start;
  if (!start.isCertain('weekday')) return undefined;
  const weekday = start.get('weekday') ?? 0;
  const dated = new Date(
    Date.UTC(start.get('year') ?? 0, (start.get('month') ?? 1) - 1, start.get('day') ?? 1),
  );
  if (dated.getUTCDay() === weekday) return undefined;
  const today = todayOf(reference);
  const ahead = (weekday - today.weekday + 7) % 7;
  const offset = /上个?(周|星期|礼拜)/u.test(result.text) ? ahead - 7 : ahead;
  return dayOf(new Date(Date.UTC(today.year, today.month - 1, today.day + offset)));
}

/**
 * A month named alone ("四月份", "in April"): chrono gives it today's day of the month (April 6). Work for a
 * month is due by its end, so it is the month's last day.
 */
export function wholeMonthDay(result: ParsedResult): CalendarDay | undefined {
  const start = result.start;
  if (!start.isCertain('month') || start.isCertain('day') || start.isCertain('weekday')) return undefined;
  if (start.isCertain('hour')) return undefined;
  return lastDayOfMonth(start.get('year') ?? 0, start.get('month') ?? 1);
}

const meridiemWords =
  /\b(am|pm|a\.m\.|p\.m\.|morning|afternoon|evening|night|tonight|noon|midnight)\b|上午|下午|中午|午后|凌晨|早上|早晨|清晨|晚上|傍晚|夜|今晚|明晚|昨晚/iu;

/**
 * A bare hour from 1 to 6 with no am/pm and no part of the day ("明天3点", "tomorrow at 3") is in the
 * afternoon: in an office nobody books 3 a.m., and calendar apps' quick-add read it the same way. 7 to 11
 * stay in the morning, and so does an hour said with 上午 / 凌晨 / am or written 03:00. The new time, and its
 * day when no day was said (chrono moved "3点" to tomorrow once 03:00 had passed; 15:00 may still be today).
 */
export function afternoonForBareHour(
  result: ParsedResult,
  text: string,
  time: { hour: number; minute: number },
  reference: Reference,
): { time: { hour: number; minute: number }; day?: CalendarDay } | undefined {
  if (time.hour < 1 || time.hour > 6 || result.start.isCertain('meridiem')) return undefined;
  if (meridiemWords.test(text) || /(?<!\d)0\d[:：]\d{2}/u.test(text)) return undefined;
  const moved = { hour: time.hour + 12, minute: time.minute };
  if (result.start.isCertain('day') || result.start.isCertain('weekday')) return { time: moved };
  const today = todayOf(reference);
  const stillToday = today.hour * 60 + today.minute < moved.hour * 60 + moved.minute;
  const day = dayOf(new Date(Date.UTC(today.year, today.month - 1, today.day + (stillToday ? 0 : 1))));
  return { time: moved, day };
}

const nameNumeral =
  /(?<=\p{Script=Han})(?<![周期拜初十廿月年第])[一二三四五六七八九十两]+(?![点點时時分刻日号號月年天个個小周星礼半])/gu;

/**
 * The text with the numerals of names blanked (张三, 李四, 王五: chrono's zh parser reads "三：" as 3
 * o'clock and a lone "四" as 4 o'clock). A numeral after another Chinese character that no date or time unit
 * follows is part of a word, not a date; 周三, 星期三, 初三, 三点, 三月 and 十三日 are kept. Same length, so
 * positions still match the original.
 */
export function maskNameNumerals(text: string): string {
  return text.replace(nameNumeral, (numeral) => ' '.repeat(numeral.length));
}

/** A date said in Chinese words that chrono does not read. */
export interface MonthWords {
  text: string;
  index: number;
  day: CalendarDay;
}

function firstWorkingDay(year: number, month: number): CalendarDay {
  const first = new Date(Date.UTC(year, month - 1, 1));
  while (first.getUTCDay() === 0 || first.getUTCDay() === 6) first.setUTCDate(first.getUTCDate() + 1);
  return dayOf(first);
}

/**
 * 月底 / 本月底 / 月末 (the last day of this month), 下个月底 (of next month), 下个月 / 下月, and M.D before
 * 前 or 号 ("12.31前"). "下个月" alone is the first working day of next month, as "next week" is its Monday:
 * a calendar assistant puts the item where the month starts, so its reminder comes while there is still time
 * to do it (a deadline at the month's end is said 下个月底).
 */
export function chineseMonthWords(text: string, reference: Reference): MonthWords | undefined {
  const today = todayOf(reference);
  const monthEnd = /(本|这个?|下个?)?月(?:底|末)/u.exec(text);
  if (monthEnd) {
    const next = monthEnd[1]?.startsWith('下') ? 1 : 0;
    const target = new Date(Date.UTC(today.year, today.month - 1 + next, 1));
    return {
      text: monthEnd[0],
      index: monthEnd.index,
      day: lastDayOfMonth(target.getUTCFullYear(), target.getUTCMonth() + 1),
    };
  }
  const nextMonth = /下个?月(?![底末初\d一二三四五六七八九十])/u.exec(text);
  if (nextMonth) {
    const target = new Date(Date.UTC(today.year, today.month, 1));
    return {
      text: nextMonth[0],
      index: nextMonth.index,
      day: firstWorkingDay(target.getUTCFullYear(), target.getUTCMonth() + 1),
    };
  }
  // Only before 前 / 号 / 日: elsewhere "12.31" may be a price or a version.
  const dotted =
    /(?<![\d.])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?![\d.])(?=\s*(?:前|之前|以前|号|日))/u.exec(text);
  if (dotted) {
    const month = Number(dotted[1]);
    const day = Number(dotted[2]);
    const passed = month < today.month || (month === today.month && day < today.day);
    const date = new Date(Date.UTC(today.year + (passed ? 1 : 0), month - 1, day));
    if (date.getUTCMonth() !== month - 1) return undefined;
    return { text: dotted[0], index: dotted.index, day: dayOf(date) };
  }
  return undefined;
}
