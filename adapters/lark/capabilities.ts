import type {
  CalendarCapability,
  CreatedEvent,
  CreatedTask,
  EventDraft,
  TaskCapability,
  TaskDraft,
  TimeRange,
} from '../../src/core/chat-platform';
import { DeskmateError, isDeskmateError } from '../../src/core/errors';
import { idempotencyKey, unwrap } from './api';
import type { LarkContext } from './context';

function milliseconds(iso: string, field: string): number {
  const value = Date.parse(iso);
  if (!Number.isFinite(value)) throw new DeskmateError('bad_input', `${field} is not a date: ${iso}`);
  return value;
}

/** Lark tasks (task v2): create with assignee, due time and `client_token`, so a retry finds the first task. */
export function createTaskCapability(context: LarkContext): TaskCapability {
  return {
    async createTask(draft: TaskDraft): Promise<CreatedTask> {
      const data = await unwrap<{ task?: { guid?: string; url?: string } }>(
        'task.v2.task.create',
        context.client.task.v2.task.create({
          params: { user_id_type: 'open_id' },
          data: {
            summary: draft.summary,
            ...(draft.description ? { description: draft.description } : {}),
            ...(draft.due
              ? { due: { timestamp: String(milliseconds(draft.due, 'due')), is_all_day: false } }
              : {}),
            ...(draft.assigneeId
              ? { members: [{ id: draft.assigneeId, type: 'user', role: 'assignee' }] }
              : {}),
            client_token: idempotencyKey(draft.idempotencyKey),
          },
        }),
      );
      if (!data.task?.guid)
        throw new DeskmateError('platform_error', 'Lark created a task but returned no id');
      return { id: data.task.guid, ...(data.task.url ? { url: data.task.url } : {}) };
    },
    async completeTask(taskId: string, at: Date): Promise<void> {
      await unwrap(
        'task.v2.task.patch',
        context.client.task.v2.task.patch({
          path: { task_guid: taskId },
          params: { user_id_type: 'open_id' },
          data: { task: { completed_at: String(at.getTime()) }, update_fields: ['completed_at'] },
        }),
      );
    },
  };
}

interface FreeBusyItem {
  start_time: string;
  end_time: string;
}

/** Lark calendar: the bot's primary calendar, people's free/busy, events with attendees and `idempotency_key`. */
export function createCalendarCapability(context: LarkContext): CalendarCapability {
  const calendar = context.client.calendar.v4;
  let primaryCalendar: Promise<string> | undefined;

  const primaryCalendarId = () => {
    primaryCalendar ??= unwrap<{ calendars?: Array<{ calendar?: { calendar_id?: string } }> }>(
      'calendar.v4.calendar.primary',
      calendar.calendar.primary({ params: { user_id_type: 'open_id' } }),
    ).then((data) => {
      const id = data.calendars?.[0]?.calendar?.calendar_id;
      if (!id) throw new DeskmateError('platform_error', 'Lark returned no primary calendar for the bot');
      return id;
    });
    // A failed lookup is tried again next time.
    primaryCalendar.catch(() => {
      primaryCalendar = undefined;
    });
    return primaryCalendar;
  };

  const busyOfOne = async (userId: string, window: TimeRange): Promise<FreeBusyItem[]> => {
    const data = await unwrap<{ freebusy_list?: FreeBusyItem[] }>(
      'calendar.v4.freebusy.list',
      calendar.freebusy.list({
        params: { user_id_type: 'open_id' },
        data: { time_min: window.start, time_max: window.end, user_id: userId },
      }),
    );
    return data.freebusy_list ?? [];
  };

  return {
    async freeBusy(userIds, window) {
      const busy: Record<string, TimeRange[]> = {};
      const toRanges = (items: FreeBusyItem[]) =>
        items.map((item) => ({ start: item.start_time, end: item.end_time }));
      for (let index = 0; index < userIds.length; index += 10) {
        const batch = userIds.slice(index, index + 10);
        try {
          const data = await unwrap<{
            freebusy_lists?: Array<{ user_id?: string; freebusy_items?: FreeBusyItem[] }>;
          }>(
            'calendar.v4.freebusy.batch',
            calendar.freebusy.batch({
              params: { user_id_type: 'open_id' },
              data: { time_min: window.start, time_max: window.end, user_ids: batch, only_busy: true },
            }),
          );
          for (const entry of data.freebusy_lists ?? []) {
            if (entry.user_id) busy[entry.user_id] = toRanges(entry.freebusy_items ?? []);
          }
        } catch (error) {
          if (isDeskmateError(error) && error.retryable) throw error;
          // Older tenants have only the one-person query.
          for (const userId of batch) busy[userId] = toRanges(await busyOfOne(userId, window));
        }
        for (const userId of batch) busy[userId] ??= [];
      }
      return busy;
    },

    async createEvent(draft: EventDraft): Promise<CreatedEvent> {
      const calendarId = await primaryCalendarId();
      const seconds = (iso: string, field: string) => String(Math.floor(milliseconds(iso, field) / 1000));
      const created = await unwrap<{ event?: { event_id?: string; app_link?: string } }>(
        'calendar.v4.calendarEvent.create',
        calendar.calendarEvent.create({
          path: { calendar_id: calendarId },
          params: { idempotency_key: idempotencyKey(draft.idempotencyKey), user_id_type: 'open_id' },
          data: {
            summary: draft.title,
            ...(draft.description ? { description: draft.description } : {}),
            need_notification: true,
            start_time: { timestamp: seconds(draft.start, 'start'), timezone: draft.timezone },
            end_time: { timestamp: seconds(draft.end, 'end'), timezone: draft.timezone },
            attendee_ability: 'can_see_others',
          },
        }),
      );
      const eventId = created.event?.event_id;
      if (!eventId) throw new DeskmateError('platform_error', 'Lark created an event but returned no id');
      if (draft.attendeeIds.length > 0) {
        await unwrap(
          'calendar.v4.calendarEventAttendee.create',
          calendar.calendarEventAttendee.create({
            path: { calendar_id: calendarId, event_id: eventId },
            params: { user_id_type: 'open_id' },
            data: {
              attendees: draft.attendeeIds.map((id) => ({ type: 'user' as const, user_id: id })),
              need_notification: true,
            },
          }),
        );
      }
      return { id: eventId, ...(created.event?.app_link ? { url: created.event.app_link } : {}) };
    },
  };
}
