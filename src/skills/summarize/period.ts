import { readNumber } from '../../text/chinese-number';
import { wallClock, zonedInstant } from '../when/timezone';

/** A time window to summarize. */
export interface Period {
  /** Start of the window. */
  since: Date;
  /** A label for the reply ("the last 24 hours", "today"). */
  label: string;
  /** A stable key for caching ("1440m", "today"). */
  key: string;
}

const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

/** Midnight (in the timezone) of the day `daysBack` days before `now`, as an instant. */
export function startOfDay(now: Date, timezone: string, daysBack = 0): Date {
  const today = wallClock(now, timezone);
  return new Date(zonedInstant(timezone, { ...today, hour: 0, minute: 0 }).getTime() - daysBack * day);
}

const units: Array<[RegExp, number]> = [
  [/^(minutes?|mins?|m|分钟)$/u, minute],
  [/^(hours?|hrs?|h|个?小时)$/u, hour],
  [/^(days?|d|天)$/u, day],
  [/^(weeks?|w|周|星期|个星期)$/u, 7 * day],
];

const amountPattern =
  /(\d+|[一二两三四五六七八九十])\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|分钟|个小时|小时|天|个星期|星期|周|[mhdw])(?![a-z])/iu;

/** Parse a period from request text; undefined when it names none (the caller then uses 24 h). */
export function parsePeriod(text: string, now: Date, timezone: string): Period | undefined {
  const lower = text.toLowerCase();
  if (/\btoday\b|今天|今日/u.test(lower))
    return { since: startOfDay(now, timezone), label: 'today', key: 'today' };
  if (/\byesterday\b|昨天|昨日/u.test(lower)) {
    return { since: startOfDay(now, timezone, 1), label: 'since yesterday', key: 'yesterday' };
  }
  if (/\bthis week\b|本周|这周|这个星期/u.test(lower)) {
    const today = startOfDay(now, timezone);
    const weekday = (new Date(today.getTime() + 12 * hour).getUTCDay() + 6) % 7;
    return { since: startOfDay(now, timezone, weekday), label: 'this week', key: 'this-week' };
  }
  if (/\blast week\b|上周|上个星期/u.test(lower)) {
    return { since: new Date(now.getTime() - 7 * day), label: 'the last 7 days', key: `${7 * 24 * 60}m` };
  }
  const match = amountPattern.exec(lower);
  if (!match) return undefined;
  const amount = readNumber(match[1]);
  const unit = units.find(([pattern]) => pattern.test(match[2]))?.[1];
  if (!amount || !unit) return undefined;
  const milliseconds = Math.min(amount * unit, 90 * day);
  return {
    since: new Date(now.getTime() - milliseconds),
    label: `the last ${match[1]} ${match[2]}`,
    key: `${Math.round(milliseconds / minute)}m`,
  };
}

/** The default window: the last 24 hours. */
export function defaultPeriod(now: Date): Period {
  return { since: new Date(now.getTime() - day), label: 'the last 24 hours', key: `${24 * 60}m` };
}
