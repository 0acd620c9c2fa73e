// What a user sees when a date or a length in a command is off: a todo due in the past is added with a note
// that it is overdue, and a meeting length no meeting has ("30h", "10 days", "0m") is refused with the lengths
// allowed, in the user's language, before anything is booked.

import { createSkills } from '../../src/skills';
import { RecordingPlatform } from '../fakes/recording-platform';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

// Sunday 2026-12-06 12:45 in Shanghai.
const now = new Date('2026-12-06T04:45:00Z');

/** The replies Deskmate posts to the commands, in order. */
async function replies(commands: string[]): Promise<string[]> {
  const platform = new RecordingPlatform('console');
  platform.members.add('U1'); // the asker, so the channel's todo list may be read
  const pipeline = await startTestPipeline({
    platforms: { console: platform },
    skills: createSkills(),
    now: () => now,
    defaultTimezone: 'Asia/Shanghai',
  });
  for (const command of commands) await pipeline.queue.enqueue(inboundMessage(command));
  await pipeline.drain();
  await pipeline.stop();
  return platform.sends.flatMap((send) => ('reply' in send && send.reply ? [send.reply.markdown ?? ''] : []));
}

describe('todo due dates already past', () => {
  test('added, with a note that it is overdue; a future one has no note', async () => {
    const [yesterday, tomorrow, chinese] = await replies([
      'todo add call bob yesterday',
      'todo add call alice tomorrow',
      '待办 添加 昨天下午交报告',
    ]);
    expect(yesterday).toContain('Added todo #1: call bob · due Sat, Dec 5, 17:00');
    expect(yesterday).toContain('Its due time has already passed, so it is overdue from the start.');
    expect(tomorrow).toContain('Added todo #2: call alice');
    expect(tomorrow).not.toMatch(/overdue/);
    expect(chinese).toContain('已添加待办 #3: 交报告');
    expect(chinese).toContain('它的截止时间已经过去，所以一添加就已逾期。');
  });
});

describe('meeting lengths no meeting has', () => {
  test('refused with the lengths allowed, in English and Chinese; 1h30m is booked as 90 minutes', async () => {
    const [hours, days, zero, chinese, fine] = await replies([
      'schedule sync tomorrow 3pm 30h',
      'schedule sync tomorrow 3pm 10 days',
      'schedule sync tomorrow 3pm 0m',
      '日程 周会 明天下午3点 30小时',
      'schedule sync tomorrow 3pm 1h30m',
    ]);
    expect(hours).toBe(
      '“30h” is not a meeting length I can book: use 5 minutes to 12 hours, e.g. 45m, 1.5h or 1h30m.',
    );
    expect(days).toContain('“10 days” is not a meeting length I can book');
    expect(zero).toContain('“0m” is not a meeting length I can book');
    expect(chinese).toBe(
      '“30小时”不是可以预约的会议时长：请用 5 分钟到 12 小时之间的时长，例如 45分钟、1.5小时 或 一个半小时。',
    );
    expect(fine).toMatch(/sync[\s\S]*Mon, Dec 7, 15:00–16:30/);
    expect(fine).not.toMatch(/1h30m/);
  });
});

describe('what a todo or a meeting keeps of what was typed', () => {
  test('a title too long for a calendar is refused with its length; direction overrides are dropped', async () => {
    const [long, chinese, overridden, meeting] = await replies([
      `schedule ${'Quarterly planning '.repeat(20)}tomorrow 3pm`,
      `日程 ${'季度规划会议'.repeat(40)} 明天下午3点`,
      'todo add fix\u202ebug tomorrow',
      'schedule Review\u202e tomorrow 3pm',
    ]);
    expect(long).toBe(
      "A meeting title can be at most 200 characters; this one has 379. Shorten it (details can go in the invite's thread), then ask again.",
    );
    expect(chinese).toBe('会议标题最多 200 个字符，这个有 240 个。请缩短（详情可放在话题里）后再试。');
    expect(overridden).toContain('Added todo #1: fixbug · due Mon, Dec 7, 17:00');
    expect(overridden).not.toContain('\u202e');
    expect(meeting).toContain('Review');
    expect(meeting).not.toContain('\u202e');
  });
});

describe('a long todo list', () => {
  test('buttons for the first five, and a line saying how to close the others', async () => {
    const sent = await replies([
      ...Array.from({ length: 7 }, (_, number) => `todo add task ${number + 1}`),
      'todo list',
      '待办 列表',
    ]);
    const [english, chinese] = sent.slice(-2);
    expect(english).toContain('• #7 task 7');
    expect(english).toContain(
      '_The buttons are for the first 5; close any other with `todo done <number>`._',
    );
    expect(chinese).toContain('_按钮只对应前 5 项；其他待办请发送 `待办 完成 <编号>` 完成。_');
  });
});

describe('a time said in another timezone', () => {
  test('is read in that zone, shown on the asker’s clock, and the zone is not left in the title', async () => {
    const [tokyo, utc, offset, abbreviation] = await replies([
      'schedule sync tomorrow 3pm Asia/Tokyo',
      'schedule sync tomorrow 3pm UTC',
      '日程 周会 明天下午3点 UTC+9',
      'schedule sync tomorrow 3pm JST',
    ]);
    // 15:00 in Tokyo is 14:00 in Shanghai; 15:00 UTC is 23:00.
    expect(tokyo).toMatch(/📅 \*\*sync\*\*\n.*14:00–14:30 \(Asia\/Shanghai\)/);
    expect(utc).toMatch(/📅 \*\*sync\*\*\n.*23:00–23:30 \(Asia\/Shanghai\)/);
    expect(offset).toMatch(/📅 \*\*周会\*\*\n.*14:00–14:30 \(Asia\/Shanghai\)/);
    expect(abbreviation).toMatch(/📅 \*\*sync\*\*\n.*14:00–14:30 \(Asia\/Shanghai\)/);
  });
});

describe('a date no calendar has', () => {
  test('is pointed out, not turned into a question of when or a todo with no due date', async () => {
    const [meeting, todo, iso, fine] = await replies([
      'schedule sync Feb 30 3pm',
      '待办 添加 2月30日交报告',
      'todo add send the report by 2026-02-29',
      'todo add send the report by Feb 28',
    ]);
    expect(meeting).toBe(
      '“Feb 30” is not a date on the calendar: check the day and the month, then ask again.',
    );
    expect(todo).toBe('“2月30日”不是日历上的日期：请检查月份和日期后再试。');
    expect(iso).toContain('“2026-02-29” is not a date on the calendar');
    expect(fine).toContain('Added todo #1: send the report');
  });
});
