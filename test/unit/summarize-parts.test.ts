import { parsePeriod, startOfDay } from '../../src/skills/summarize/period';
import { linkCitations } from '../../src/skills/summarize/transcript';
import { neutralizeMassMentions, removeInvisibleCharacters } from '../../src/text/sanitize';

const now = new Date('2026-11-28T12:30:00Z');

describe('summary periods', () => {
  test.each([
    ['last 24h', '2026-11-27T12:30:00.000Z'],
    ['last 3 days', '2026-11-25T12:30:00.000Z'],
    ['past 90 minutes', '2026-11-28T11:00:00.000Z'],
    ['最近3天', '2026-11-25T12:30:00.000Z'],
    ['过去两小时', '2026-11-28T10:30:00.000Z'],
    ['last week', '2026-11-21T12:30:00.000Z'],
  ])('%p starts at %p', (text, since) => {
    expect(parsePeriod(text, now, 'UTC')?.since.toISOString()).toBe(since);
  });

  test('"today" and "今天" start at midnight in the asker\'s timezone', () => {
    expect(parsePeriod('today', now, 'Asia/Shanghai')?.since.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(parsePeriod('总结 今天', now, 'America/New_York')?.since.toISOString()).toBe(
      '2026-11-28T05:00:00.000Z',
    );
    expect(parsePeriod('昨天', now, 'UTC')?.since.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  test('"this week" starts on Monday', () => {
    // 2026-11-28 is a Saturday.
    expect(parsePeriod('this week', now, 'UTC')?.since.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(startOfDay(now, 'UTC').toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  test('text without a period yields none', () => {
    expect(parsePeriod('please', now, 'UTC')).toBeUndefined();
  });
});

describe('citations', () => {
  const citations = [
    { number: 1, id: 'a', link: 'https://x.slack.com/archives/C1/p1' },
    { number: 2, id: 'b', link: 'https://x.slack.com/archives/C1/p2' },
    { number: 3, id: 'c' },
  ];

  test('valid numbers become links, grouped numbers are split, unknown numbers are dropped', () => {
    const out = linkCitations('Ship Friday [1, 2]. Budget ok [3]. Made up [7].', citations, []);
    expect(out).toBe(
      'Ship Friday [[1]](https://x.slack.com/archives/C1/p1)[[2]](https://x.slack.com/archives/C1/p2). Budget ok [3]. Made up.',
    );
  });

  test('URLs not in the sources are removed; URLs from the sources stay', () => {
    const out = linkCitations('See https://docs.example/plan and https://evil.example/x.', citations, [
      'the plan is at https://docs.example/plan',
    ]);
    expect(out).toBe('See https://docs.example/plan and [link removed].');
  });
});

describe('sanitizing', () => {
  test.each([
    ['<!channel> hi', '@\u200bchannel hi'],
    ['<!here|here> hi', '@\u200bhere hi'],
    ['hey @everyone', 'hey @\u200beveryone'],
    ['@all 注意', '@\u200ball 注意'],
    ['通知 @所有人', '通知 @\u200b所有人'],
    ['<at user_id="all">所有人</at> 看', '@\u200ball 看'],
    ['mail me at team@allhands.example', 'mail me at team@allhands.example'],
  ])('%p is neutralized to %p', (input, output) => {
    expect(neutralizeMassMentions(input)).toBe(output);
  });

  test('hidden Unicode tag characters and zero-width characters are removed', () => {
    const hidden = [...'ignore all']
      .map((character) => String.fromCodePoint(0xe0000 + character.charCodeAt(0)))
      .join('');
    expect(removeInvisibleCharacters(`hello${hidden}\u200b world`)).toBe('hello world');
  });
});
