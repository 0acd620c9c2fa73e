import { isKnownTimezone } from './timezone';

/** A timezone a request names in words, and the words (to take out of a title). */
export interface SaidTimezone {
  /** The IANA name (`Asia/Tokyo`, `UTC`, `Etc/GMT-9`). */
  timezone: string;
  /** The words as written. */
  text: string;
}

const zoneNamePattern = /(?<![\w/])([A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_-]+){1,2})(?![\w/])/u;
const offsetPattern = /(?<![\w])(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?![\d:])/u;

/**
 * The timezone a request is written in, when it names one: an IANA name (`3pm tomorrow Asia/Tokyo`) or an offset
 * from UTC (`UTC+9`, `GMT-5`). Abbreviations (`JST`, `3pm UTC`) are read with the date itself.
 */
export function saidTimezone(text: string): SaidTimezone | undefined {
  const named = zoneNamePattern.exec(text);
  if (named && isKnownTimezone(named[1])) return { timezone: named[1], text: named[0] };
  const offset = offsetPattern.exec(text);
  const hours = offset ? Number(offset[2]) : Number.NaN;
  if (offset && hours <= 14) {
    // IANA's Etc zones count the other way: UTC+9 is Etc/GMT-9.
    const timezone = hours === 0 ? 'UTC' : `Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}`;
    return { timezone, text: offset[0] };
  }
  return undefined;
}
