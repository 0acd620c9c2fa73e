import { readNumber } from '../../text/chinese-number';

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The most days each month has (February 29 in leap years). */
const longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const englishMonthDay =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/giu;
const englishDayMonth =
  /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/giu;
const chineseMonthDay =
  /([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号號]/gu;
const isoDate = /\b(\d{4})-(\d{2})-(\d{2})\b/gu;

/** Whether a day exists in a month (a year given: February 29 only in leap years). */
function exists(month: number, day: number, year?: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1)) return false;
  if (year !== undefined) return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= longestMonth[month - 1];
}

/** Dates written that no calendar has ("Feb 30", "2月30日", "2026-13-01"), as written; undefined when none. */
export function invalidDate(text: string): string | undefined {
  for (const match of text.matchAll(englishMonthDay)) {
    if (!exists(monthNames.indexOf(match[1].slice(0, 3).toLowerCase()) + 1, Number(match[2])))
      return match[0];
  }
  for (const match of text.matchAll(englishDayMonth)) {
    if (!exists(monthNames.indexOf(match[2].slice(0, 3).toLowerCase()) + 1, Number(match[1])))
      return match[0];
  }
  for (const match of text.matchAll(chineseMonthDay)) {
    if (!exists(readNumber(match[1]), readNumber(match[2]))) return match[0];
  }
  for (const match of text.matchAll(isoDate)) {
    if (!exists(Number(match[2]), Number(match[3]), Number(match[1]))) return match[0];
  }
  return undefined;
}

/** What is said about a date no calendar has, in English and Chinese. */
export const invalidDateWording = {
  en: (date: string) =>
    `“${date}” is not a date on the calendar: check the day and the month, then ask again.`,
  zh: (date: string) => `“${date}”不是日历上的日期：请检查月份和日期后再试。`,
};
