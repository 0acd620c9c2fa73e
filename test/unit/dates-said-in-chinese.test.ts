// The ways people wrote dates and meeting lengths in the bad-input report land where they meant: a Chinese
// weekday with a part of the day, meeting lengths like 一个半小时 or 1h30m, a bare "3点", month words
// (四月份, 月底, 下个月, 12.31前), and names with numerals (张三) in the summary's dates.

import { parseScheduleText } from '../../src/skills/schedule/request';
import { extractiveSummary } from '../../src/skills/summarize/extractive';
import { numberMessages } from '../../src/skills/summarize/transcript';
import { parseTodoText } from '../../src/skills/todo/command';
import { parseDuration, reasonableMeetingLength } from '../../src/skills/when/duration';

// Sunday 2026-12-06 04:45 UTC: 12:45 in Shanghai, the tester's clock. Friday is Dec 11.
const now = new Date('2026-12-06T04:45:00Z');
const timezone = 'Asia/Shanghai';
const reference = { now, timezone };

/** An instant shown as a Shanghai wall clock, as the user reads it ("Fri 12-11 14:00"). */
function shanghai(iso: string | Date | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const field = (type: string) => parts.find((part) => part.type === type)?.value;
  return `${field('weekday')} ${field('month')}-${field('day')} ${field('hour')}:${field('minute')}`;
}

function todo(text: string) {
  const parsed = parseTodoText(text, [], reference);
  return { text: parsed.text, due: shanghai(parsed.due) };
}

function meeting(text: string) {
  const request = parseScheduleText(text, [], reference);
  const end =
    request.end ?? (request.start && new Date(request.start.getTime() + request.durationMinutes * 60_000));
  return { title: request.title, start: shanghai(request.start), end: shanghai(end) };
}

describe('a Chinese weekday with a part of the day is that weekday, not today', () => {
  test.each([
    ['周五下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['周三上午交A', '交A', 'Wed 12-09 09:00'],
    ['周五晚上交D', '交D', 'Fri 12-11 19:00'],
    ['星期五下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['礼拜五下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['本周五下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['这周五下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['周五 下午交报告', '交报告', 'Fri 12-11 14:00'],
    ['周一下午交报告', '交报告', 'Mon 12-07 14:00'],
  ])('todo %s is "%s", due %s', (input, text, due) => {
    expect(todo(input)).toEqual({ text, due });
  });

  test('a meeting on "周五下午" is proposed for Friday, with a clean title', () => {
    expect(meeting('周会 周五下午')).toMatchObject({ title: '周会', start: 'Fri 12-11 14:00' });
    expect(meeting('周会 本周五下午')).toMatchObject({ title: '周会', start: 'Fri 12-11 14:00' });
  });

  test("下周五下午 is next week's Friday (weeks start on Monday)", () => {
    // On Sunday next week starts tomorrow, so it is Dec 11; on Wednesday Dec 9 it is Dec 18, 周五 Dec 11.
    expect(todo('下周五下午交报告').due).toBe('Fri 12-11 14:00');
    const wednesday = { now: new Date('2026-12-09T04:45:00Z'), timezone };
    expect(shanghai(parseTodoText('下周五下午交报告', [], wednesday).due)).toBe('Fri 12-18 14:00');
    expect(shanghai(parseTodoText('周五下午交报告', [], wednesday).due)).toBe('Fri 12-11 14:00');
  });
});

describe('meeting lengths', () => {
  test.each([
    ['周会 明天下午3点 一个半小时', '周会', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['周会 明天下午3点 1个半小时', '周会', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['周会 后天上午十点 一个半小时', '周会', 'Tue 12-08 10:00', 'Tue 12-08 11:30'],
    ['周会 明天下午3点 一小时三十分', '周会', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['周会 明天下午3点 1小时30分钟', '周会', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['sync tomorrow 3pm 1h30m', 'sync', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['sync tomorrow 3pm 1 hour 30 minutes', 'sync', 'Mon 12-07 15:00', 'Mon 12-07 16:30'],
    ['周会 明天下午3点 两个小时', '周会', 'Mon 12-07 15:00', 'Mon 12-07 17:00'],
    ['周会 明天下午3点 半小时', '周会', 'Mon 12-07 15:00', 'Mon 12-07 15:30'],
  ])('%s → %s %s–%s', (text, title, start, end) => {
    expect(meeting(text)).toEqual({ title, start, end });
  });

  test('an unreasonable length is read as said (to be refused), never left in the title', () => {
    for (const [text, said] of [
      ['sync tomorrow 3pm 30h', '30h'],
      ['sync tomorrow 3pm 10 days', '10 days'],
      ['sync tomorrow 3pm 0m', '0m'],
    ]) {
      const request = parseScheduleText(text, [], reference);
      expect(request.title).toBe('sync');
      expect(request.durationText).toBe(said);
      expect(reasonableMeetingLength(request.durationMinutes)).toBe(false);
    }
    expect(reasonableMeetingLength(90)).toBe(true);
  });

  test('relative times are still not lengths', () => {
    expect(parseDuration('两小时后')).toBeUndefined();
    expect(parseDuration('in 2 days')).toBeUndefined();
    expect(parseDuration('三天后')).toBeUndefined();
  });
});

describe('a bare hour from 1 to 6 is in the afternoon', () => {
  test('明天3点, tomorrow at 3 and 3点 are 15:00; 上午, 凌晨, am, 03:00 and 7–11 keep the morning', () => {
    expect(todo('明天3点交报告')).toEqual({ text: '交报告', due: 'Mon 12-07 15:00' });
    expect(meeting('sync tomorrow at 3')).toMatchObject({ title: 'sync', start: 'Mon 12-07 15:00' });
    // Said at 12:45 with no day: 15:00 is still today.
    expect(meeting('周会 3点开会').start).toBe('Sun 12-06 15:00');
    expect(meeting('周会 明天3点到5点')).toMatchObject({ start: 'Mon 12-07 15:00', end: 'Mon 12-07 17:00' });
    expect(meeting('周会 明天上午3点').start).toBe('Mon 12-07 03:00');
    expect(meeting('周会 明天凌晨3点').start).toBe('Mon 12-07 03:00');
    expect(meeting('sync tomorrow 3am').start).toBe('Mon 12-07 03:00');
    expect(meeting('sync 2026-12-07 03:00').start).toBe('Mon 12-07 03:00');
    expect(meeting('周会 明天10点').start).toBe('Mon 12-07 10:00');
    expect(meeting('sync tomorrow at 7').start).toBe('Mon 12-07 07:00');
  });
});

describe('month words in todos', () => {
  test('a month that describes the work keeps its words and is due by its end, not on "April 6"', () => {
    expect(todo('准备四月份的预算')).toEqual({ text: '准备四月份的预算', due: 'Fri 04-30 17:00' });
    // A day that describes the work ("yesterday's report") is not its due date.
    expect(todo('昨天的报告要补交')).toEqual({ text: '昨天的报告要补交', due: undefined });
  });

  test.each([
    ['月底前交报告', 'Thu 12-31 17:00'],
    ['月底交报告', 'Thu 12-31 17:00'],
    ['下个月底前交报告', 'Sun 01-31 17:00'],
    // "下个月" is the first working day of next month (as "next week" is its Monday).
    ['下个月交报告', 'Fri 01-01 17:00'],
    ['12.31前交报告', 'Thu 12-31 17:00'],
    ['12月31日前交报告', 'Thu 12-31 17:00'],
  ])('%s is due %s with the text clean', (text, due) => {
    expect(todo(text)).toEqual({ text: '交报告', due });
  });

  test('"12.31" elsewhere is not a date (a price, a version)', () => {
    expect(todo('报销 12.31 元').due).toBeUndefined();
  });
});

describe("the summary's dates mentioned", () => {
  test('names with numerals (张三, 李四, 王五) are not dates; 周五下午 is Friday', () => {
    const at = now.toISOString();
    const messages = numberMessages(
      [
        { id: 'a', author: { id: 'U1', name: '张三' }, text: '张三：周五前把预算发给我', at, isBot: false },
        { id: 'b', author: { id: 'U2', name: '李四' }, text: '李四：好的', at, isBot: false },
        { id: 'c', author: { id: 'U3', name: '王五' }, text: '王五：周五下午开会', at, isBot: false },
      ],
      1,
    );
    const summary = extractiveSummary(messages, 'zh', now, timezone);
    const dates = summary.slice(summary.indexOf('- 周五')).split('\n');
    expect(dates).toEqual([
      '- 周五 → 12月11日周五 (Asia/Shanghai) [1]',
      '- 周五下午 → 12月11日周五 (Asia/Shanghai) [3]',
    ]);
    expect(summary).not.toMatch(/- 三|- 四|- 五/u);
  });
});
