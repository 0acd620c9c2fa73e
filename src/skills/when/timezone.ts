import type { Language } from '../../text/language';

/** Whether the name is an IANA timezone this runtime knows. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a timezone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday. */
  weekday: number;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The date and time an instant shows on a clock in the timezone. */
export function wallClock(instant: Date, timezone: string): WallClock {
  const fields: Record<string, string> = {};
  for (const part of partsFormatter(timezone).formatToParts(instant)) fields[part.type] = part.value;
  return {
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour) % 24,
    minute: Number(fields.minute),
    weekday: weekdays.indexOf(fields.weekday),
  };
}

/** Minutes the timezone is ahead of UTC at the instant (480 for Asia/Shanghai). */
export function offsetMinutes(timezone: string, instant: Date): number {
  const clock = wallClock(instant, timezone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  const truncated = Math.floor(instant.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - truncated) / 60_000);
}

/** The instant a wall-clock time in the timezone refers to. */
export function zonedInstant(
  timezone: string,
  fields: { year: number; month: number; day: number; hour: number; minute: number },
): Date {
  const guess = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  // Two passes settle the offset across a daylight-saving change.
  let instant = guess - offsetMinutes(timezone, new Date(guess)) * 60_000;
  instant = guess - offsetMinutes(timezone, new Date(instant)) * 60_000;
  return new Date(instant);
}

/** A date and time as people read it in the timezone ("Tue, Dec 1, 15:00" / "12月1日 周二 15:00"). */
export function formatDateTime(instant: Date, timezone: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-US', {
    timeZone: timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

/** A day as people read it in the timezone ("Fri, Dec 11" / "12月11日周五"). */
export function formatDate(instant: Date, timezone: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-US', {
    timeZone: timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(instant);
}

/** A time of day as people read it in the timezone ("15:30"). */
export function formatTime(instant: Date, timezone: string): string {
  const clock = wallClock(instant, timezone);
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

/** "2026-12-04 17:00" in the timezone: a form people can edit and the date parser reads back. */
export function formatEditable(instant: Date, timezone: string): string {
  const clock = wallClock(instant, timezone);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${clock.year}-${two(clock.month)}-${two(clock.day)} ${two(clock.hour)}:${two(clock.minute)}`;
}
