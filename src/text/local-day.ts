/**
 * The calendar day (yyyy-mm-dd) an instant falls on in a timezone: what "today" means to the person asking. In
 * Asia/Shanghai before 08:00 the UTC date is still yesterday's.
 */
export function localDay(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
