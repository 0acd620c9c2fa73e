import type { TimeRange } from '../../core/chat-platform';
import type { DayPart } from '../when/parse-when';
import { wallClock, zonedInstant } from '../when/timezone';

/** Working hours searched for a free slot, by part of the day. */
const searchHours: Record<DayPart | 'day', { from: number; to: number }> = {
  morning: { from: 9, to: 12 },
  afternoon: { from: 13, to: 18 },
  evening: { from: 18, to: 21 },
  day: { from: 9, to: 18 },
};

const slotStepMs = 30 * 60_000;

function overlaps(start: number, end: number, busy: readonly TimeRange[]): boolean {
  return busy.some((range) => Date.parse(range.start) < end && Date.parse(range.end) > start);
}

/** Whether nobody is busy during the range. */
export function isFree(range: { start: Date; end: Date }, busy: readonly TimeRange[]): boolean {
  return !overlaps(range.start.getTime(), range.end.getTime(), busy);
}

/** What to search: the day asked for, the part of it asked for first. */
export interface SlotSearch {
  /** A time on the day asked for. */
  around: Date;
  /** The part of the day asked for, if any. */
  dayPart?: DayPart;
  /** Meeting length. */
  durationMs: number;
  /** The requester's timezone (working hours are theirs). */
  timezone: string;
  /** No slot starts before this (now). */
  notBefore: Date;
  /** At most this many slots. */
  limit: number;
}

/** The window of days a search reads busy times for: the day asked for and the next few. */
export function searchWindow(search: SlotSearch, days = 8): TimeRange {
  const clock = wallClock(search.around, search.timezone);
  const start = zonedInstant(search.timezone, { ...clock, hour: 0, minute: 0 });
  const end = new Date(start.getTime() + days * 24 * 60 * 60_000);
  return { start: start.toISOString(), end: end.toISOString() };
}

/**
 * Free slots near the time asked for, in the requester's working hours, on half hours: first the part of
 * the day asked for, then the rest of that day, then the following weekdays.
 */
export function freeSlots(
  busy: readonly TimeRange[],
  search: SlotSearch,
  days = 3,
): Array<{ start: Date; end: Date }> {
  const slots: Array<{ start: Date; end: Date }> = [];
  const seen = new Set<number>();
  const first = wallClock(search.around, search.timezone);
  const preferred = searchHours[search.dayPart ?? 'day'];
  const windows: Array<{ dayOffset: number; from: number; to: number }> = [
    { dayOffset: 0, ...preferred },
    { dayOffset: 0, ...searchHours.day },
  ];
  for (let dayOffset = 1; dayOffset < days + 4 && windows.length < days + 2; dayOffset += 1) {
    const noon = zonedInstant(search.timezone, { ...first, hour: 12, minute: 0 });
    const weekday = wallClock(
      new Date(noon.getTime() + dayOffset * 24 * 60 * 60_000),
      search.timezone,
    ).weekday;
    if (weekday !== 0 && weekday !== 6) windows.push({ dayOffset, ...searchHours.day });
  }
  for (const window of windows) {
    const noon = zonedInstant(search.timezone, { ...first, hour: 12, minute: 0 });
    const day = wallClock(new Date(noon.getTime() + window.dayOffset * 24 * 60 * 60_000), search.timezone);
    const from = zonedInstant(search.timezone, { ...day, hour: window.from, minute: 0 }).getTime();
    const to = zonedInstant(search.timezone, { ...day, hour: window.to, minute: 0 }).getTime();
    for (let start = from; start + search.durationMs <= to; start += slotStepMs) {
      if (start < search.notBefore.getTime() || seen.has(start)) continue;
      if (overlaps(start, start + search.durationMs, busy)) continue;
      seen.add(start);
      slots.push({ start: new Date(start), end: new Date(start + search.durationMs) });
      if (slots.length >= search.limit) return slots;
    }
  }
  return slots;
}
