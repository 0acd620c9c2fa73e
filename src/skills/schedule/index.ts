import type { TimeRange } from '../../core/chat-platform';
import { type Reply, type ReplyButton, textReply } from '../../core/reply';
import { requestText, type Skill, type SkillContext } from '../../core/skill';
import { detectLanguage, type Language } from '../../text/language';
import { toolArguments } from '../arguments';
import { replaceCard } from '../card';
import {
  confirmationButtons,
  type Proposal,
  proposalForClick,
  saveProposal,
  updateProposal,
} from '../proposals';
import { reasonableMeetingLength } from '../when/duration';
import { invalidDate, invalidDateWording } from '../when/invalid-date';
import { invalidTimeOfDay, invalidTimeWording } from '../when/parse-when';
import { formatEditable } from '../when/timezone';
import { requesterTimezone } from '../when/user-timezone';
import { bookMeeting, describeSlot, everyone, type MeetingPlan, meetingCard } from './booking';
import {
  type MeetingRequest,
  meetingFromModel,
  modelMeetingShape,
  parseScheduleText,
  type ScheduleArguments,
} from './request';
import { freeSlots, isFree, searchWindow } from './slots';
import { scheduleWording } from './wording';

/** The longest meeting title Deskmate books (the model's tool input is held to the same). */
export const maxMeetingTitleLength = 200;

/** Alternatives offered when the time asked for is busy. */
const maxAlternatives = 3;

/** A meeting waiting for the requester's click, with the slot(s) to choose from. */
interface MeetingProposal {
  plan: MeetingPlan;
  slots: TimeRange[];
}

function toSlot(range: TimeRange): { start: Date; end: Date } {
  return { start: new Date(range.start), end: new Date(range.end) };
}

function toRange(slot: { start: Date; end: Date }): TimeRange {
  return { start: slot.start.toISOString(), end: slot.end.toISOString() };
}

async function proposeSlots(
  context: SkillContext,
  plan: MeetingPlan,
  slots: Array<{ start: Date; end: Date }>,
  heading: string,
): Promise<Reply> {
  const proposal = await saveProposal<MeetingProposal>(
    context.store,
    'schedule',
    context.message,
    { plan, slots: slots.map(toRange) },
    context.now(),
  );
  const words = scheduleWording[plan.language];
  if (slots.length === 1) {
    return textReply(`${heading}\n${meetingCard(plan, slots[0])}`, {
      buttons: confirmationButtons('schedule', proposal.id, plan.language),
    });
  }
  const buttons: ReplyButton[] = slots.map((slot, index) => ({
    label: words.book(describeSlot(slot, plan).replace(/ \(.*\)$/, '')),
    skill: 'schedule',
    action: 'book',
    value: `${proposal.id}:${index}`,
    ...(index === 0 ? { style: 'primary' as const } : {}),
  }));
  const cancel = confirmationButtons('schedule', proposal.id, plan.language).find(
    (button) => button.action === 'cancel',
  );
  const lines = slots.map((slot, index) => `${index + 1}. ${describeSlot(slot, plan)}`);
  return textReply([heading, ...lines, '', `**${plan.title}**`].join('\n'), {
    buttons: cancel ? [...buttons, cancel] : buttons,
  });
}

async function plan(context: SkillContext, request: MeetingRequest, timezone: string, language: Language) {
  const words = scheduleWording[language];
  const author = context.message.author;
  return {
    title: request.title || words.defaultTitle,
    durationMinutes: request.durationMinutes,
    attendees: request.attendees,
    requester: { id: author.id, name: author.name ?? author.id },
    conversation: context.message.conversation,
    timezone,
    language,
  } satisfies MeetingPlan;
}

async function schedule(context: SkillContext<ScheduleArguments>, explicit: boolean): Promise<Reply> {
  const text = requestText(context.request) || context.message.text;
  const language = detectLanguage(context.message.text || text);
  const words = scheduleWording[language];
  const timezone = requesterTimezone(context);
  const now = context.now();
  const reference = { now, timezone };
  const mentions = context.message.mentions ?? [];
  // "25:00" is a mistake to point out, not part of the title.
  const badTime = invalidTimeOfDay(explicit ? text : (context.args.when ?? ''));
  if (badTime) return textReply(invalidTimeWording[language](badTime));
  const badDate = invalidDate(explicit ? text : (context.args.when ?? ''));
  if (badDate) return textReply(invalidDateWording[language](badDate));
  const request = explicit
    ? parseScheduleText(text, mentions, reference)
    : meetingFromModel(context.args, mentions, reference);
  // "30h" or "0m" is a typo to point out, never a 30-minute meeting with the length in its title.
  if (!reasonableMeetingLength(request.durationMinutes)) {
    return textReply(words.badLength(request.durationText ?? `${request.durationMinutes}m`));
  }
  if (!request.start) return textReply(words.needsWhen);
  // A title, not a document: it goes into calendars and invite files as it is.
  if (request.title.length > maxMeetingTitleLength) {
    return textReply(words.titleTooLong(maxMeetingTitleLength, request.title.length));
  }
  const meeting = await plan(context, request, timezone, language);
  const durationMs = meeting.durationMinutes * 60_000;
  const start = request.start;
  const end = request.end ?? new Date(start.getTime() + durationMs);
  if (end.getTime() <= now.getTime()) return textReply(words.past);
  const asked = { start, end };

  const calendar = context.platform.calendar;
  if (!calendar) {
    if (explicit && request.timeGiven) return bookMeeting(context, meeting, asked, context.message.eventId);
    return proposeSlots(context, meeting, [asked], words.confirm);
  }
  const people = everyone(meeting);
  const ids = people.map((person) => person.id).filter((id): id is string => Boolean(id));
  const search = {
    around: start,
    ...(request.dayPart ? { dayPart: request.dayPart } : {}),
    durationMs: end.getTime() - start.getTime(),
    timezone,
    notBefore: now,
    limit: maxAlternatives,
  };
  const busyByUser = await calendar.freeBusy(ids, searchWindow(search));
  const busy = Object.values(busyByUser).flat();
  if (request.timeGiven && isFree(asked, busy)) {
    if (explicit) return bookMeeting(context, meeting, asked, context.message.eventId);
    return proposeSlots(context, meeting, [asked], words.confirm);
  }
  const slots = freeSlots(busy, search);
  if (slots.length === 0) return textReply(words.noSlot);
  if (!request.timeGiven) return proposeSlots(context, meeting, slots, words.dayPartFree);
  const busyNames = people
    .filter((person) => person.id && isFree(asked, busyByUser[person.id] ?? []) === false)
    .map((person) => `@${person.name}`)
    .join(', ');
  return proposeSlots(context, meeting, slots, words.busy(busyNames));
}

function editableCommand(proposal: MeetingProposal, slot: { start: Date; end: Date }): string {
  const { plan: meeting } = proposal;
  const local = formatEditable(slot.start, meeting.timezone);
  const minutes = Math.round((slot.end.getTime() - slot.start.getTime()) / 60_000);
  const names = meeting.attendees.map((attendee) => ` @${attendee.name}`).join('');
  const command = meeting.language === 'zh' ? '日程' : 'schedule';
  return `\`${command} ${meeting.title} ${local} ${minutes}${meeting.language === 'zh' ? '分钟' : 'm'}${names}\``;
}

async function handleAction(context: SkillContext): Promise<Reply | undefined> {
  const action = context.message.action;
  if (!action) return undefined;
  const [proposalId, slotText] = action.value.split(':');
  const clicked = await proposalForClick<MeetingProposal>(
    context,
    proposalId,
    (payload) => payload.plan.language,
  );
  if ('refusal' in clicked) return clicked.refusal;
  const { proposal } = clicked;
  const words = scheduleWording[proposal.payload.plan.language];
  const slotIndex = action.action === 'book' ? Number(slotText) : 0;
  const range = proposal.payload.slots[slotIndex];
  if (action.action === 'cancel') {
    if (proposal.status === 'created') return textReply(words.alreadyBooked, { private: true });
    await updateProposal(context.store, { ...proposal, status: 'cancelled' });
    return replaceCard(context, textReply(words.cancelled));
  }
  if (!range) return undefined;
  if (action.action === 'edit') {
    return textReply(`${words.editHint}\n${editableCommand(proposal.payload, toSlot(range))}`);
  }
  if (action.action === 'create' || action.action === 'book') {
    if (proposal.status === 'cancelled') return replaceCard(context, textReply(words.cancelled));
    return replaceCard(context, await confirm(context, proposal, toSlot(range)));
  }
  return undefined;
}

async function confirm(
  context: SkillContext,
  proposal: Proposal<MeetingProposal>,
  slot: { start: Date; end: Date },
): Promise<Reply> {
  // One key per proposal: a second click (even on another slot) books nothing more.
  const reply = await bookMeeting(context, proposal.payload.plan, slot, proposal.id);
  await updateProposal(context.store, { ...proposal, status: 'created' });
  return reply;
}

/** Create the schedule skill: meetings on real calendars (Lark) or as `.ics` invites, in the requester's timezone. */
export function createScheduleSkill(): Skill<ScheduleArguments> {
  return {
    name: 'schedule',
    commandWords: ['schedule', '日程', '约会议'],
    description:
      'Schedule a meeting: title, when (as the user said it), length and attendees. Use it when the user asks ' +
      'to set up, book or arrange a meeting or call.',
    ...toolArguments(modelMeetingShape),
    help: {
      en: 'Schedule a meeting, with free/busy on Lark and an invite file on Slack.',
      zh: '安排会议：飞书上查询忙闲并创建日程，Slack 上提供邀请文件。',
      examples: ['schedule Budget review tomorrow 3pm 45m @alice', '日程 周会 明天下午3点 1小时 @张三'],
    },
    routable: true,
    ownsButtons: true,
    async run(context) {
      if (context.request.kind === 'action') return handleAction(context);
      // Only a command the person typed books at once; what the model chose waits for a click.
      return schedule(context, context.request.kind === 'command');
    },
  };
}
