import { DeskmateError } from '../../core/errors';
import type { ReplyFile } from '../../core/reply';

/** What goes into an invite file. */
export interface InviteDetails {
  /** Stable id, so importing the invite twice updates one event. */
  uid: string;
  title: string;
  start: Date;
  end: Date;
  /** Names of the people invited. */
  attendeeNames: string[];
  description?: string;
}

/** An `.ics` invite (times in UTC, so every calendar shows them in its own timezone), made with the `ics` library. */
export function icsInvite(details: InviteDetails): ReplyFile {
  // Loaded on the first invite rather than at start (about 30 ms of the time to ready).
  const { createEvent } = require('ics') as typeof import('ics');
  const { error, value } = createEvent({
    uid: details.uid,
    title: details.title,
    start: details.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: details.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    productId: 'deskmate/ics',
    ...(details.description ? { description: details.description } : {}),
    attendees: details.attendeeNames.map((name) => ({ name, rsvp: true, role: 'REQ-PARTICIPANT' as const })),
    alarms: [{ action: 'display', description: details.title, trigger: { minutes: 10, before: true } }],
  });
  if (error || !value)
    throw new DeskmateError('internal', 'could not build the invite file', { cause: error });
  const safeName =
    details.title
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .slice(0, 60) || 'meeting';
  return { filename: `${safeName}.ics`, contentType: 'text/calendar', content: value };
}
