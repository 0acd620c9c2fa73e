import { meetingLengthLimits } from '../when/duration';

const { minMinutes, maxMinutes } = meetingLengthLimits;

/** What the schedule skill says, in English and Chinese. */
export const scheduleWording = {
  en: {
    defaultTitle: 'Meeting',
    needsWhen:
      'When should it be? For example: `schedule Budget review tomorrow 3pm 45m @alice @bob`, or `next Tue afternoon`.',
    past: 'That time has already passed. Pick a time in the future.',
    titleTooLong: (limit: number, length: number) =>
      `A meeting title can be at most ${limit} characters; this one has ${length.toLocaleString('en-US')}. Shorten it (details can go in the invite's thread), then ask again.`,
    badLength: (length: string) =>
      `“${length}” is not a meeting length I can book: use ${minMinutes} minutes to ${maxMinutes / 60} hours, e.g. 45m, 1.5h or 1h30m.`,
    confirm: 'Schedule this meeting?',
    busy: (names: string) => `${names} ${names.includes(',') ? 'are' : 'is'} busy then. Free times:`,
    dayPartFree: 'Free times that suit everyone:',
    noSlot: 'I found no time when everyone is free in the next days. Try another day.',
    book: (time: string) => `Book ${time}`,
    booked: 'Meeting booked',
    openEvent: 'Open in the calendar',
    invite: 'Add it to your calendar with the invite file.',
    with: 'with',
    reminderSet: 'I will post a reminder 10 minutes before it starts.',
    reminder: (title: string, time: string) => `⏰ Starting at ${time}: ${title}`,
    cancelled: 'Cancelled: no meeting was booked.',
    alreadyBooked: 'This meeting is already booked.',
    editHint: 'Change it and send it; it books right away:',
    noCalendar: '_No calendar for bots here, so this is an invite file rather than a calendar event._',
  },
  zh: {
    defaultTitle: '会议',
    needsWhen: '什么时候？例如：`日程 预算评审 明天下午3点 45分钟 @张三 @李四`，或 `下周二下午`。',
    past: '这个时间已经过去了，请选一个将来的时间。',
    titleTooLong: (limit: number, length: number) =>
      `会议标题最多 ${limit} 个字符，这个有 ${length} 个。请缩短（详情可放在话题里）后再试。`,
    badLength: (length: string) =>
      `“${length}”不是可以预约的会议时长：请用 ${minMinutes} 分钟到 ${maxMinutes / 60} 小时之间的时长，例如 45分钟、1.5小时 或 一个半小时。`,
    confirm: '要安排这个会议吗？',
    busy: (names: string) => `${names} 那个时间没空。可选时间：`,
    dayPartFree: '大家都有空的时间：',
    noSlot: '接下来几天没有找到大家都有空的时间，换一天试试。',
    book: (time: string) => `预约 ${time}`,
    booked: '会议已预约',
    openEvent: '在日历中打开',
    invite: '用邀请文件把它加入你的日历。',
    with: '参会人',
    reminderSet: '会议开始前 10 分钟我会发提醒。',
    reminder: (title: string, time: string) => `⏰ ${time} 开始：${title}`,
    cancelled: '已取消，没有预约会议。',
    alreadyBooked: '这个会议已经预约了。',
    editHint: '修改后发送即可直接预约：',
    noCalendar: '_这里的机器人无法使用日历，所以提供邀请文件而不是日历事件。_',
  },
};
