import type { ConversationRef } from '../../core/conversation';
import { isDeskmateError } from '../../core/errors';
import { type Reply, textReply } from '../../core/reply';
import type { SkillContext } from '../../core/skill';
import type { Language } from '../../text/language';
import { formatDateTime, formatTime } from '../when/timezone';
import { icsInvite } from './ics-invite';
import type { Attendee } from './request';
import { scheduleWording } from './wording';

/** A meeting ready to book: everything but the confirmation. */
export interface MeetingPlan {
  title: string;
  durationMinutes: number;
  attendees: Attendee[];
  /** The requester: organizer and first attendee. */
  requester: Attendee;
  /** Where it was asked (reminders go there). */
  conversation: ConversationRef;
  timezone: string;
  language: Language;
}

/** Reminders go out this long before a meeting booked without a calendar. */
const reminderLeadMs = 10 * 60_000;

/** "Tue, Dec 1, 15:00–15:30 (Asia/Shanghai)". */
export function describeSlot(
  slot: { start: Date; end: Date },
  plan: Pick<MeetingPlan, 'timezone' | 'language'>,
): string {
  return `${formatDateTime(slot.start, plan.timezone, plan.language)}–${formatTime(slot.end, plan.timezone)} (${plan.timezone})`;
}

/** Everyone invited, the requester first, each once. */
export function everyone(plan: Pick<MeetingPlan, 'attendees' | 'requester'>): Attendee[] {
  const people: Attendee[] = [plan.requester];
  for (const attendee of plan.attendees) {
    if (!people.some((person) => (attendee.id ? person.id === attendee.id : person.name === attendee.name))) {
      people.push(attendee);
    }
  }
  return people;
}

/** A card describing a meeting: title, time, people. */
export function meetingCard(plan: MeetingPlan, slot: { start: Date; end: Date }): string {
  const words = scheduleWording[plan.language];
  const names = everyone(plan)
    .map((person) => `@${person.name}`)
    .join(', ');
  return `**${plan.title}**\n${describeSlot(slot, plan)}\n${words.with}: ${names}`;
}

/**
 * Book the meeting: a real calendar event with the attendees where the platform has a calendar (Lark), else
 * an `.ics` invite attached to the reply and a reminder before it starts. The idempotency key makes a retried
 * job or a second click book nothing twice.
 */
export async function bookMeeting(
  context: SkillContext,
  plan: MeetingPlan,
  slot: { start: Date; end: Date },
  idempotencyKey: string,
): Promise<Reply> {
  const words = scheduleWording[plan.language];
  const people = everyone(plan);
  const notify = people
    .map((person) => person.id)
    .filter((id): id is string => Boolean(id) && id !== plan.requester.id);
  const calendar = context.platform.calendar;
  if (calendar) {
    const event = await calendar.createEvent({
      title: plan.title,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      timezone: plan.timezone,
      attendeeIds: people.map((person) => person.id).filter((id): id is string => Boolean(id)),
      idempotencyKey: `meeting:${idempotencyKey}`,
    });
    context.effects.record('created', 'calendar_event', event.id);
    const link = event.url ? `\n[${words.openEvent}](${event.url})` : '';
    return textReply(`📅 ${words.booked}: ${meetingCard(plan, slot)}${link}`, { notify });
  }
  const lines = [`📅 ${meetingCard(plan, slot)}`, words.invite];
  const remindAt = slot.start.getTime() - reminderLeadMs;
  if (remindAt > context.now().getTime()) {
    try {
      await context.reminders.schedule({
        id: `meeting-${idempotencyKey}`,
        dueAt: new Date(remindAt).toISOString(),
        conversation: plan.conversation,
        userId: plan.requester.id,
        text: words.reminder(plan.title, formatTime(slot.start, plan.timezone)),
      });
      lines.push(words.reminderSet);
    } catch (error) {
      if (!isDeskmateError(error) || error.code !== 'not_configured') throw error;
    }
  }
  context.effects.record('created', 'meeting_invite', idempotencyKey);
  const file = icsInvite({
    uid: `${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '-')}@deskmate`,
    title: plan.title,
    start: slot.start,
    end: slot.end,
    attendeeNames: people.map((person) => person.name),
  });
  return textReply(lines.join('\n'), { file, notify });
}
