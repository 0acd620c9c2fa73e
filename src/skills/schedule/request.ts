import { z } from 'zod';
import type { Author } from '../../core/inbound-message';
import { escapeRegExp } from '../../text/regexp';
import { removeDirectionControls } from '../../text/sanitize';
import {
  type DayPart,
  dayPartStart,
  endInstantOf,
  instantOf,
  parseDuration,
  parseWhen,
} from '../when/parse-when';
import { saidTimezone } from '../when/said-timezone';

/** A person invited: a platform id when a mention named them, else the name as written. */
export interface Attendee {
  id?: string;
  name: string;
}

/** A meeting request read from a command or from the model's tool input. */
export interface MeetingRequest {
  /** Title; empty when none was given. */
  title: string;
  /** Start, when a day was named (at the part of the day or 09:00 when no time was). */
  start?: Date;
  /** End, when a range was named. */
  end?: Date;
  /** Whether a time of day was named (not only a day). */
  timeGiven: boolean;
  /** The part of the day named without a time. */
  dayPart?: DayPart;
  /** Length in minutes. */
  durationMinutes: number;
  /** The words that said the length, to quote them when it is no meeting length ("30h"). */
  durationText?: string;
  /** The people invited (the requester is added when booking). */
  attendees: Attendee[];
}

/** Meetings are 30 minutes unless the request says otherwise. */
export const defaultDurationMinutes = 30;

function whenFields(
  words: string,
  asker: { now: Date; timezone: string },
): Omit<MeetingRequest, 'title' | 'durationMinutes' | 'attendees'> & { text?: string; zoneText?: string } {
  // "3pm tomorrow Asia/Tokyo": read in the zone it names; shown to the asker on their own clock.
  const zone = saidTimezone(words);
  const reference = zone ? { ...asker, timezone: zone.timezone } : asker;
  const when = parseWhen(zone ? words.replace(zone.text, ' ') : words, reference);
  if (!when) return { timeGiven: false };
  const start = instantOf(when, reference.timezone, dayPartStart[when.dayPart ?? 'day']);
  const end = endInstantOf(when, reference.timezone, start);
  return {
    start,
    ...(end ? { end } : {}),
    timeGiven: Boolean(when.time),
    ...(when.dayPart ? { dayPart: when.dayPart } : {}),
    text: when.text,
    ...(zone ? { zoneText: zone.text } : {}),
  };
}

/** Read `schedule Budget review tomorrow 3pm 45m @alice @bob` (or `日程 预算评审 明天下午3点 1小时 @张三`). */
export function parseScheduleText(
  input: string,
  mentions: readonly Author[],
  reference: { now: Date; timezone: string },
): MeetingRequest {
  let text = input;
  const attendees: Attendee[] = [];
  for (const mention of mentions) {
    if (mention.name && text.includes(`@${mention.name}`)) {
      attendees.push({ id: mention.id, name: mention.name });
      text = text.split(`@${mention.name}`).join(' ');
    }
  }
  for (const written of text.matchAll(/(^|\s)@([\p{L}\p{N}._-]+)/gu)) attendees.push({ name: written[2] });
  text = text.replace(/(^|\s)@[\p{L}\p{N}._-]+/gu, ' ');
  const duration = parseDuration(text);
  if (duration) text = text.replace(duration.text, ' ');
  const { text: whenText, zoneText, ...when } = whenFields(text, reference);
  if (zoneText) text = text.replace(zoneText, ' ');
  if (whenText) {
    // "本周五" / "这周五": chrono reads the weekday without 本, which would be left in the title.
    const before = `(\\b(on|at)\\s+|(本|这个?)(?=[周星礼]))?`;
    text = text.replace(new RegExp(`${before}${escapeRegExp(whenText)}`, 'iu'), ' ');
  }
  let title = removeDirectionControls(text)
    .replace(/[\s,，、;；]+/gu, ' ')
    .trim();
  // Only connectors left dangling once the mentions and the date are out: "Budget review with and" loses
  // them, "a meeting with bob" keeps its "with".
  const dangling = /(^|\s)(with|and|[和与跟同])\s*$|^\s*(with|and|[和与跟同])(\s|$)/iu;
  while (dangling.test(title)) title = title.replace(dangling, ' ').trim();
  return {
    title,
    ...when,
    durationMinutes: duration?.minutes ?? defaultDurationMinutes,
    ...(duration ? { durationText: duration.text } : {}),
    attendees,
  };
}

/** The schedule skill's tool input from the model. */
export const modelMeetingShape = {
  title: z.string().trim().max(200).nullish().describe('Meeting title; short.'),
  when: z.string().trim().max(200).nullish().describe('The date and time exactly as the user said it.'),
  duration_minutes: z
    .number()
    .int()
    .positive()
    .max(24 * 60)
    .nullish()
    .describe('Length in minutes, when the user said it.'),
  attendees: z
    .array(z.string().trim().max(100))
    .max(50)
    .nullish()
    .describe('People to invite, as named by the user (@name).'),
};

/** The schedule skill's arguments, as its schema reads the model's input. */
export type ScheduleArguments = z.infer<z.ZodObject<typeof modelMeetingShape>>;

/** A meeting request from the model's tool input; names resolve against the people mentioned. */
export function meetingFromModel(
  args: ScheduleArguments,
  mentions: readonly Author[],
  reference: { now: Date; timezone: string },
): MeetingRequest {
  const attendees: Attendee[] = (args.attendees ?? []).map((written) => {
    const name = written.replace(/^@/, '');
    const found = mentions.find(
      (mention) => mention.id === name || mention.name?.toLowerCase() === name.toLowerCase(),
    );
    return found ? { id: found.id, name: found.name ?? name } : { name };
  });
  // A mention the model left out is still an attendee.
  for (const mention of mentions) {
    if (!attendees.some((attendee) => attendee.id === mention.id)) {
      attendees.push({ id: mention.id, name: mention.name ?? mention.id });
    }
  }
  const { text: _whenText, zoneText: _zoneText, ...when } = whenFields(args.when ?? '', reference);
  const durationText = args.when ? parseDuration(args.when) : undefined;
  return {
    title: args.title ?? '',
    ...when,
    durationMinutes: args.duration_minutes ?? durationText?.minutes ?? defaultDurationMinutes,
    ...(args.duration_minutes ? {} : durationText ? { durationText: durationText.text } : {}),
    attendees,
  };
}
