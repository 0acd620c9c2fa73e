// Dates in English and Chinese land on the right instants in the requester's timezone; todo and meeting
// commands split into their parts; free slots avoid busy times.

import { parseScheduleText } from '../../src/skills/schedule/request';
import { freeSlots } from '../../src/skills/schedule/slots';
import { parseTodoCommand, parseTodoText } from '../../src/skills/todo/command';
import {
  dayPartStart,
  endInstantOf,
  instantOf,
  invalidTimeOfDay,
  parseDuration,
  parseWhen,
} from '../../src/skills/when/parse-when';
import { readNumber } from '../../src/text/chinese-number';

// Saturday 2026-11-28 10:00 UTC: 18:00 in Shanghai, 05:00 in New York, 11:00 in Berlin.
const now = new Date('2026-11-28T10:00:00Z');

function startOf(text: string, timezone: string): string | undefined {
  const when = parseWhen(text, { now, timezone });
  return when && instantOf(when, timezone, dayPartStart[when.dayPart ?? 'day']).toISOString();
}

describe('dates in the requester timezone', () => {
  test.each([
    ['明天下午3点', 'Asia/Shanghai', '2026-11-29T07:00:00.000Z'],
    ['下周二下午3点', 'Asia/Shanghai', '2026-12-01T07:00:00.000Z'],
    ['后天上午10点', 'Asia/Shanghai', '2026-11-30T02:00:00.000Z'],
    ['12月3日 14:00', 'Asia/Shanghai', '2026-12-03T06:00:00.000Z'],
    ['两小时后', 'Asia/Shanghai', '2026-11-28T12:00:00.000Z'],
    ['next Tue 3pm', 'America/New_York', '2026-12-01T20:00:00.000Z'],
    ['tomorrow at noon', 'Europe/Berlin', '2026-11-29T11:00:00.000Z'],
    ['Dec 5 10am', 'America/Los_Angeles', '2026-12-05T18:00:00.000Z'],
    ['in 2 hours', 'UTC', '2026-11-28T12:00:00.000Z'],
  ])('%s in %s → %s', (text, timezone, expected) => {
    expect(startOf(text, timezone)).toBe(expected);
  });

  test('the same words are different instants in different timezones', () => {
    expect(startOf('tomorrow 9am', 'Asia/Shanghai')).toBe('2026-11-29T01:00:00.000Z');
    expect(startOf('tomorrow 9am', 'America/New_York')).toBe('2026-11-29T14:00:00.000Z');
  });

  test('a summer date keeps its own offset (daylight saving)', () => {
    expect(startOf('July 1 9am', 'America/New_York')).toBe('2027-07-01T13:00:00.000Z');
  });

  test('a day with only a part of the day is not a time; the afternoon starts at 14:00', () => {
    const when = parseWhen('下周二下午', { now, timezone: 'Asia/Shanghai' });
    expect(when).toMatchObject({ day: { year: 2026, month: 12, day: 1 }, dayPart: 'afternoon' });
    expect(when?.time).toBeUndefined();
    expect(startOf('next Tuesday afternoon', 'Asia/Shanghai')).toBe('2026-12-01T06:00:00.000Z');
  });

  test('a range ends after it starts, in both languages', () => {
    for (const text of ['明天下午3点到4点', 'tomorrow 3pm to 4pm']) {
      const when = parseWhen(text, { now, timezone: 'Asia/Shanghai' });
      if (!when) throw new Error(`no date in ${text}`);
      const start = instantOf(when, 'Asia/Shanghai', dayPartStart.day);
      expect(endInstantOf(when, 'Asia/Shanghai', start)?.toISOString()).toBe('2026-11-29T08:00:00.000Z');
    }
  });

  test('durations are read, and never taken for times', () => {
    expect(parseDuration('30 min')?.minutes).toBe(30);
    expect(parseDuration('for 1.5 hours')?.minutes).toBe(90);
    expect(parseDuration('45m')?.minutes).toBe(45);
    expect(parseDuration('半小时')?.minutes).toBe(30);
    expect(parseDuration('1小时')?.minutes).toBe(60);
    expect(parseDuration('10am')).toBeUndefined();
    expect(parseDuration('2小时后')).toBeUndefined();
    expect(startOf('set up 30 min with @alice next Tuesday afternoon', 'UTC')).toBe(
      '2026-12-01T14:00:00.000Z',
    );
  });

  test('"tomorrow" is the requester\'s tomorrow, whatever the server clock says, and Chinese weeks start on Monday', () => {
    // Saturday 22:50 UTC is already Sunday 06:50 in Shanghai.
    const late = new Date('2026-11-28T22:50:00Z');
    const at = (text: string) => {
      const when = parseWhen(text, { now: late, timezone: 'Asia/Shanghai' });
      return when && instantOf(when, 'Asia/Shanghai', dayPartStart.day).toISOString();
    };
    const previousTimezone = process.env.TZ;
    try {
      for (const serverTimezone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = serverTimezone;
        expect(at('明天下午3点')).toBe('2026-11-30T07:00:00.000Z');
        expect(at('tomorrow 3pm')).toBe('2026-11-30T07:00:00.000Z');
        expect(at('下周二上午10点')).toBe('2026-12-01T02:00:00.000Z');
        expect(at('next Tuesday 10am')).toBe('2026-12-01T02:00:00.000Z');
      }
    } finally {
      if (previousTimezone === undefined) delete process.env.TZ;
      else process.env.TZ = previousTimezone;
    }
  });

  test('no date, no match', () => {
    expect(parseWhen('weekly sync with the team', { now, timezone: 'UTC' })).toBeUndefined();
  });
});

describe('numbers in Chinese', () => {
  test.each([
    ['3', 3],
    ['两', 2],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['二十四', 24],
    ['半', 0.5],
    ['一个半', 1.5],
  ])('%s is %d', (text, value) => {
    expect(readNumber(text)).toBe(value);
  });

  test('what is not a number is NaN', () => {
    expect(readNumber('几')).toBeNaN();
  });
});

describe('todo commands', () => {
  test('subcommands in English and Chinese', () => {
    expect(parseTodoCommand('')).toEqual({ kind: 'list', all: false });
    expect(parseTodoCommand('list all')).toEqual({ kind: 'list', all: true });
    expect(parseTodoCommand('列表')).toEqual({ kind: 'list', all: false });
    expect(parseTodoCommand('done 3, 4')).toEqual({ kind: 'done', numbers: [3, 4] });
    expect(parseTodoCommand('完成 #7')).toEqual({ kind: 'done', numbers: [7] });
    expect(parseTodoCommand('from this thread')).toMatchObject({ kind: 'extract', source: 'thread' });
    expect(parseTodoCommand('从这个讨论中提取')).toMatchObject({ kind: 'extract' });
    expect(parseTodoCommand('add Done deal review')).toEqual({ kind: 'add', text: 'Done deal review' });
    expect(parseTodoCommand('Send the report')).toEqual({ kind: 'add', text: 'Send the report' });
    // Three words after a list word: a task ("list the vendors"), added with a hint in case a list was meant.
    expect(parseTodoCommand('list the vendors')).toEqual({
      kind: 'add',
      text: 'list the vendors',
      startsWithListWord: true,
    });
  });

  test('a close with no number is answered with its usage, never added as a todo', () => {
    for (const text of ['done abc', 'done', 'done #abc', 'close 3a', 'completed the slides', '已完成 周报']) {
      expect(parseTodoCommand(text)).toEqual({ kind: 'usage', of: 'done' });
    }
    // A todo may start with a verb that also closes one.
    expect(parseTodoCommand('finish the slides')).toEqual({ kind: 'add', text: 'finish the slides' });
  });

  test('Chinese closes without a space, extraction with a trailing 待办, deletes that never add a todo', () => {
    // Chinese is written without spaces: the number may follow the done word directly.
    expect(parseTodoCommand('完成3')).toEqual({ kind: 'done', numbers: [3] });
    expect(parseTodoCommand('完成#3、4')).toEqual({ kind: 'done', numbers: [3, 4] });
    // "finish 3 reports" is a todo, not a close of #3.
    expect(parseTodoCommand('完成3份报告')).toEqual({ kind: 'add', text: '完成3份报告' });
    for (const text of [
      '从这个讨论中提取待办',
      '从讨论中提取待办',
      '请从这个讨论中提取待办',
      '整理这个讨论的待办',
    ]) {
      expect(parseTodoCommand(text)).toMatchObject({ kind: 'extract', source: 'thread' });
    }
    expect(parseTodoCommand('delete 1')).toEqual({ kind: 'usage', of: 'delete', numbers: [1] });
    expect(parseTodoCommand('remove #2, 3')).toEqual({ kind: 'usage', of: 'delete', numbers: [2, 3] });
    expect(parseTodoCommand('删除 1')).toEqual({ kind: 'usage', of: 'delete', numbers: [1] });
    expect(parseTodoCommand('删除')).toEqual({ kind: 'usage', of: 'delete', numbers: [] });
    // A task that starts with the verb is still a task.
    expect(parseTodoCommand('remove the old banners')).toEqual({
      kind: 'add',
      text: 'remove the old banners',
    });
    expect(parseTodoCommand('删除 旧分支')).toEqual({ kind: 'add', text: '删除 旧分支' });
  });

  test('text, owner and due split apart; a day without a time is due at 17:00', () => {
    const english = parseTodoText(
      'Send the weekly report by Friday @Alice Smith',
      [{ id: 'U1', name: 'Alice Smith' }],
      { now, timezone: 'Europe/Berlin' },
    );
    expect(english).toEqual({
      text: 'Send the weekly report',
      ownerId: 'U1',
      ownerName: 'Alice Smith',
      due: '2026-12-04T16:00:00.000Z',
    });
    const chinese = parseTodoText('@张三 明天下午3点前提交预算', [{ id: 'ou_z', name: '张三' }], {
      now,
      timezone: 'Asia/Shanghai',
    });
    expect(chinese).toEqual({
      text: '提交预算',
      ownerId: 'ou_z',
      ownerName: '张三',
      due: '2026-11-29T07:00:00.000Z',
    });
  });
});

describe('next week and impossible times', () => {
  test('"next week" without a day is the Monday of next week; with a day or a time, that day or time then', () => {
    // `now` is Saturday 2026-11-28: next week starts on Monday 2026-11-30.
    expect(startOf('next week', 'UTC')).toBe('2026-11-30T09:00:00.000Z');
    expect(startOf('next week 3pm', 'UTC')).toBe('2026-11-30T15:00:00.000Z');
    expect(startOf('next week on Thursday', 'UTC')).toBe('2026-12-03T09:00:00.000Z');
    expect(startOf('下周开会', 'Asia/Shanghai')).toBe('2026-11-30T01:00:00.000Z');
    expect(startOf('下周 下午3点', 'Asia/Shanghai')).toBe('2026-11-30T07:00:00.000Z');
    expect(startOf('下个星期三', 'Asia/Shanghai')).toBe('2026-12-02T01:00:00.000Z');
  });

  test('a meeting "with bob next week" keeps its "with" and waits for a Monday click', () => {
    const request = parseScheduleText('a meeting with bob next week', [], { now, timezone: 'UTC' });
    expect(request).toMatchObject({
      title: 'a meeting with bob',
      start: new Date('2026-11-30T09:00:00.000Z'),
      timeGiven: false,
    });
  });

  test('clock times that are no time of day are found as written', () => {
    expect(invalidTimeOfDay('sync tomorrow 25:00')).toBe('25:00');
    expect(invalidTimeOfDay('review at 3:75')).toBe('3:75');
    expect(invalidTimeOfDay('lunch at 13pm')).toBe('13pm');
    expect(invalidTimeOfDay('明天25点开会')).toBe('25点');
    for (const fine of ['tomorrow 23:59', 'at 12pm', '明天下午3点', 'version 2.13 at 9:05', '00:00']) {
      expect(invalidTimeOfDay(fine)).toBeUndefined();
    }
  });
});

describe('meeting commands', () => {
  test('title, time, length and attendees', () => {
    const request = parseScheduleText(
      'Budget review tomorrow 3pm 45m with @Alice and @Bob',
      [
        { id: 'U1', name: 'Alice' },
        { id: 'U2', name: 'Bob' },
      ],
      { now, timezone: 'Asia/Shanghai' },
    );
    expect(request).toMatchObject({
      title: 'Budget review',
      start: new Date('2026-11-29T07:00:00.000Z'),
      timeGiven: true,
      durationMinutes: 45,
      attendees: [
        { id: 'U1', name: 'Alice' },
        { id: 'U2', name: 'Bob' },
      ],
    });
    const chinese = parseScheduleText('周会 下周二下午 1小时 @张三', [{ id: 'ou_z', name: '张三' }], {
      now,
      timezone: 'Asia/Shanghai',
    });
    expect(chinese).toMatchObject({
      title: '周会',
      timeGiven: false,
      dayPart: 'afternoon',
      durationMinutes: 60,
    });
  });

  test('free slots skip busy times, the past, and weekends', () => {
    const busy = [
      { start: '2026-12-01T06:00:00.000Z', end: '2026-12-01T07:00:00.000Z' },
      { start: '2026-12-01T07:30:00.000Z', end: '2026-12-01T08:00:00.000Z' },
    ];
    const slots = freeSlots(busy, {
      around: new Date('2026-12-01T06:00:00.000Z'),
      dayPart: 'afternoon',
      durationMs: 30 * 60_000,
      timezone: 'Asia/Shanghai',
      notBefore: now,
      limit: 3,
    });
    // Tuesday afternoon in Shanghai: 14:00–15:00 and 15:30–16:00 are busy, so 13:00, 13:30, 15:00.
    expect(slots.map((slot) => slot.start.toISOString())).toEqual([
      '2026-12-01T05:00:00.000Z',
      '2026-12-01T05:30:00.000Z',
      '2026-12-01T07:00:00.000Z',
    ]);
    const fromSaturday = freeSlots([], {
      around: new Date('2026-11-28T12:00:00.000Z'),
      durationMs: 60 * 60_000,
      timezone: 'Asia/Shanghai',
      notBefore: now,
      limit: 30,
    });
    const weekdays = fromSaturday.map((slot) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(slot.start),
    );
    // Saturday evening is past the working day; Sunday is skipped; Monday comes next.
    expect(weekdays[0]).toBe('Mon');
    expect(weekdays).not.toContain('Sun');
  });
});
