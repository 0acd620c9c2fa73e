import { markdownToMrkdwn, safeMarkdown, splitMrkdwn } from '../../adapters/slack/mrkdwn';
import { displayWidth } from '../../adapters/slack/mrkdwn-table';
import {
  blockTextBudget,
  blockTextLength,
  decodeActionId,
  encodeActionId,
  renderReply,
} from '../../adapters/slack/render';
import { checkSlackSignature, slackSignature } from '../../adapters/slack/signature';
import { toReadableText } from '../../adapters/slack/text';

describe('Markdown to Slack mrkdwn', () => {
  test('emphasis, links, headings, bullets and quotes become their mrkdwn forms', () => {
    const markdown = [
      '## Decisions',
      '- Ship on **Friday** with *care* and ~~haste~~',
      '* see [the plan](https://example.com/plan?a=1&b=2) and <https://example.com/raw>',
      '> quoted line',
      '1. first',
    ].join('\n');
    expect(markdownToMrkdwn(markdown)).toBe(
      [
        '*Decisions*',
        '• Ship on *Friday* with _care_ and ~haste~',
        '• see <https://example.com/plan?a=1&b=2|the plan> and <https://example.com/raw>',
        '> quoted line',
        '1. first',
      ].join('\n'),
    );
  });

  test('citation links with brackets in the label stay links', () => {
    expect(markdownToMrkdwn('Agreed [[2]](https://x.slack.com/archives/C1/p1)')).toBe(
      'Agreed <https://x.slack.com/archives/C1/p1|[2]>',
    );
  });

  test('& < > are escaped, so text can never smuggle in mentions or links', () => {
    expect(markdownToMrkdwn('a < b & c > d <@U123> <#C1> <https://evil|click>')).toBe(
      'a &lt; b &amp; c &gt; d &lt;@U123&gt; &lt;#C1&gt; &lt;https://evil|click&gt;',
    );
  });

  test('mass mentions in any spelling notify nobody', () => {
    const text = markdownToMrkdwn('<!channel> <!here|here> <!everyone> @channel @here @everyone');
    expect(text).not.toMatch(/<!|(^|[^\u200b])@(channel|here|everyone)/);
    expect(text).toContain('@\u200bchannel');
  });

  test('code keeps its content, escaped only', () => {
    expect(markdownToMrkdwn('run `a **b** <c>` now\n```ts\nconst x = a && b;\n```')).toBe(
      'run `a **b** &lt;c&gt;` now\n```\nconst x = a &amp;&amp; b;\n```',
    );
  });

  test('long text splits at paragraph breaks, and a split code block is closed and reopened', () => {
    const pieces = splitMrkdwn(`${'word '.repeat(500)}\n\n\`\`\`\n${'line\n'.repeat(800)}\`\`\``, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect((piece.match(/```/g)?.length ?? 0) % 2).toBe(0);
    }
  });
});

describe('Markdown to mrkdwn in Chinese and Japanese, tables, tasks and links', () => {
  test('bold and italic next to Chinese or Japanese get a space outside the marks, so Slack applies them', () => {
    expect(markdownToMrkdwn('这是**重要**的事情，请*注意*。')).toBe('这是 *重要* 的事情，请 _注意_ 。');
    expect(markdownToMrkdwn('今日は**重要**な日です。`npm test`を実行して~~ください~~')).toBe(
      '今日は *重要* な日です。 `npm test` を実行して ~ください~',
    );
    expect(markdownToMrkdwn('**总结：**项目按时完成')).toBe('*总结：* 项目按时完成');
    // English text around emphasis is left as it was.
    expect(markdownToMrkdwn('Ship on **Friday**, with *care*.')).toBe('Ship on *Friday*, with _care_.');
  });

  test('a table becomes an aligned code block, Chinese counted two columns wide', () => {
    const markdown = [
      '负责人如下：',
      '| 任务 | Owner | Days |',
      '| --- | :-- | ---: |',
      '| **API** 设计 | 张三 | 3 |',
      '| Docs | [Li](https://x.example.com) | 12 |',
      '',
      'Thanks',
    ].join('\n');
    expect(markdownToMrkdwn(markdown)).toBe(
      [
        '负责人如下：',
        '```',
        '任务      Owner                       Days',
        '--------  --------------------------  ----',
        'API 设计  张三                           3',
        'Docs      Li (https://x.example.com)    12',
        '```',
        '',
        'Thanks',
      ].join('\n'),
    );
    // The last column is right-aligned, so every row is as wide as the header when 张三 counts four columns.
    const rows = markdownToMrkdwn(markdown).split('\n').slice(2, 6);
    expect(new Set(rows.map(displayWidth)).size).toBe(1);
  });

  test('***both***, task items and a bare URL with __ in it come out right', () => {
    expect(markdownToMrkdwn('***both*** and ___also___')).toBe('*_both_* and *_also_*');
    expect(markdownToMrkdwn('- [ ] write the plan\n- [x] 发布\n* [X] review')).toBe(
      '☐ write the plan\n☑ 发布\n☑ review',
    );
    expect(
      markdownToMrkdwn('see https://github.com/a/b/blob/main/__init__/x_y_z.py and **https://x.io/__m__**.'),
    ).toBe('see https://github.com/a/b/blob/main/__init__/x_y_z.py and *https://x.io/__m__*.');
  });

  test('no user, channel or mass mention can come out of a link or any model text', () => {
    const sneaky = [
      '[a](https://x.com/?q=<@U123>)',
      '<https://x.com/<@U123>>',
      '[b](https://x.com/a?c=<#C1>) [c](<https://x.com/<!channel>>)',
      '[<@U123>](https://x.com) [点这里](https://x.com/?<!subteam^S1>)',
      '<@W0ABC|boss> <#C1|general> <!date^1^x|y>',
    ];
    for (const text of sneaky) {
      const converted = markdownToMrkdwn(text);
      expect(converted).not.toMatch(/<[@#!]/);
      expect(converted).not.toMatch(/\|[^>]*<|<[^>]*<[^>]*>/);
    }
    expect(markdownToMrkdwn('[a](https://x.com/?q=<@U123>)')).toBe('[a](https://x.com/?q=&lt;@U123&gt;)');
  });

  test('a link whose label names another site shows where it really goes', () => {
    expect(markdownToMrkdwn('[https://bank.example.com](https://evil.example.com/login)')).toBe(
      '<https://evil.example.com/login>',
    );
    expect(markdownToMrkdwn('登录 [bank.example.com](https://evil.example.com)')).toBe(
      '登录 <https://evil.example.com>',
    );
    expect(markdownToMrkdwn('[ceo@bank.example.com](mailto:x@evil.example.com)')).toBe(
      '<mailto:x@evil.example.com>',
    );
    // A label naming the same site, or no site at all, stays.
    expect(
      markdownToMrkdwn('[www.example.com/docs](https://example.com/docs/a) [计划](https://example.com/p)'),
    ).toBe('<https://example.com/docs/a|www.example.com/docs> <https://example.com/p|计划>');
  });
});

describe('Markdown for streams (Slack renders it itself)', () => {
  test('mentions are inert and a link labelled with another site becomes its bare target', () => {
    expect(safeMarkdown('[a](https://x.com/?q=<@U123>) <#C1> <!here>')).toBe(
      '[a](https://x.com/?q=<\u200b@U123>) <\u200b#C1> @\u200bhere',
    );
    expect(
      safeMarkdown(
        '登录 [https://bank.example.com](https://evil.example.com/login) 或 [计划](https://example.com/p)',
      ),
    ).toBe('登录 https://evil.example.com/login 或 [计划](https://example.com/p)');
  });
});

describe('splitting long mrkdwn', () => {
  const balanced = (piece: string) => (piece.match(/</g)?.length ?? 0) === (piece.match(/>/g)?.length ?? 0);

  test('Chinese without spaces is never cut inside a link or an entity; sentence ends are preferred', () => {
    const markdown = `${'长'.repeat(2975)}[来源](https://example.com/doc/12345) 与 A&B。${'这是一句话。'.repeat(600)}`;
    const pieces = splitMrkdwn(markdownToMrkdwn(markdown), 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(balanced(piece)).toBe(true);
      expect(piece).not.toMatch(/&[a-z]*$|^[a-z]*;/);
    }
    expect(pieces[1]).toMatch(/^<https:\/\/example\.com\/doc\/12345\|来源>/);
    for (const piece of pieces.slice(1, -1)) expect(piece.endsWith('。')).toBe(true);
  });

  test('English runs and entities are not cut in half; emoji pairs stay whole', () => {
    const pieces = splitMrkdwn(`${'x'.repeat(2990)}&amp;&amp;${'😀'.repeat(2000)}`, 3000);
    for (const piece of pieces) {
      expect(piece).not.toMatch(/&(a|am|amp)?$/);
      expect(piece).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    }
    expect(pieces.join('')).toBe(`${'x'.repeat(2990)}&amp;&amp;${'😀'.repeat(2000)}`);
  });
});

describe('rendering a reply as blocks', () => {
  test('sections, sources, buttons and the footnote each get their block; only notify mentions', () => {
    const rendered = renderReply({
      markdown: 'Three things came up.',
      sections: [{ title: 'Decisions', markdown: '- ship Friday' }],
      citations: [
        { label: '1', url: 'https://x.slack.com/archives/C1/p1' },
        { label: 'bad', url: 'javascript:alert(1)' },
      ],
      buttons: [{ label: 'Create', skill: 'todo', action: 'create', value: '{"id":1}', style: 'primary' }],
      footnote: 'Made without a model.',
      notify: ['U0ALICE01', '<!channel>'],
    });
    expect(rendered.blocks.map((block) => block.type)).toEqual([
      'section',
      'divider',
      'section',
      'context',
      'actions',
      'context',
    ]);
    expect(JSON.stringify(rendered.blocks[0])).toContain('<@U0ALICE01> Three things came up.');
    expect(JSON.stringify(rendered.blocks)).not.toContain('javascript:');
    expect(JSON.stringify(rendered.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(rendered.blocks[3])).toContain('<https://x.slack.com/archives/C1/p1|1>');
    expect(rendered.blocks[4]).toMatchObject({
      elements: [{ action_id: 'deskmate:todo:create:0', value: '{"id":1}', style: 'primary' }],
    });
    expect(rendered.text).toBe('<@U0ALICE01> Three things came up.');
  });

  test("a button value over Slack's 2,000 characters is refused, never cut; 2,000 go through whole", () => {
    const value = JSON.stringify({ title: 'x'.repeat(1990) });
    expect(value.length).toBeGreaterThan(2000);
    const oversized = () =>
      renderReply({
        markdown: 'Add this?',
        buttons: [{ label: 'Add', skill: 'todo', action: 'create', value }],
      });
    expect(oversized).toThrow(
      /todo:create carries a value of 2002 characters, over Slack's 2000: store the payload/,
    );
    expect(oversized).toThrow(expect.objectContaining({ code: 'internal' }));
    const fits = 'y'.repeat(2000);
    const rendered = renderReply({
      markdown: 'Add this?',
      buttons: [{ label: 'Add', skill: 'todo', action: 'create', value: fits }],
    });
    expect(rendered.blocks.at(-1)).toMatchObject({ elements: [{ value: fits }] });
  });

  test('the sources label and the private file line follow the answer language', () => {
    const citations = [{ label: '周报', url: 'https://x.slack.com/archives/C1/p1' }];
    const file = { filename: '预算评审.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' };
    const chinese = renderReply(
      { markdown: '会议定在明天下午三点。', citations, file },
      { fileNote: 'direct-message' },
    );
    const chineseText = JSON.stringify(chinese.blocks);
    expect(chineseText).toContain('来源： <https://x.slack.com/archives/C1/p1|周报>');
    expect(chineseText).toContain('📎 预算评审.ics：已通过与 Deskmate 的私信发送给你');
    expect(chineseText).not.toContain('Sources:');
    const english = renderReply(
      { markdown: 'The review is tomorrow at three.', citations, file },
      { fileNote: 'direct-message' },
    );
    expect(JSON.stringify(english.blocks)).toContain('Sources: <https://x.slack.com/archives/C1/p1|周报>');
    expect(JSON.stringify(english.blocks)).toContain(
      '📎 预算评审.ics: sent to you in a direct message from Deskmate',
    );
  });

  test('a long answer is cut under the text Slack takes in one message, with a note in its language', () => {
    const paragraph = (index: number) =>
      `Paragraph ${index}: ${'the plan moves ahead as agreed '.repeat(15)}`;
    const english = renderReply({
      markdown: Array.from({ length: 40 }, (_unused, index) => paragraph(index)).join('\n\n'),
      buttons: [{ label: 'Save', skill: 'todo', action: 'save', value: '1' }],
    });
    expect(blockTextLength(english.blocks)).toBeLessThanOrEqual(blockTextBudget);
    expect(english.blocks.length).toBeLessThan(10);
    expect(JSON.stringify(english.blocks.at(-2))).toContain('the answer was cut here');
    expect(english.blocks.at(-1)?.type).toBe('actions');

    const chinese = renderReply({ markdown: `${'会议决定下周发布新版本，请各位准备。'.repeat(1200)}` });
    expect(blockTextLength(chinese.blocks)).toBeLessThanOrEqual(blockTextBudget);
    expect(JSON.stringify(chinese.blocks.at(-1))).toContain('回答到此被截断');
    const kept = chinese.blocks.slice(0, -1).map((block) => JSON.stringify(block));
    expect(kept.every((text) => text.endsWith('。"}}'))).toBe(true);

    const short = renderReply({ markdown: '会议决定下周发布。' });
    expect(JSON.stringify(short.blocks)).not.toContain('截断');
  });

  test('many short titled sections stop at 50 blocks, with the note and the buttons', () => {
    const rendered = renderReply({
      markdown: 'Channels this week:',
      sections: Array.from({ length: 60 }, (_unused, index) => ({
        title: `#team-${index}`,
        markdown: 'quiet',
      })),
      buttons: [{ label: 'Save', skill: 'todo', action: 'save', value: '1' }],
    });
    expect(rendered.blocks.length).toBeLessThanOrEqual(50);
    expect(rendered.blocks.length).toBeGreaterThan(45);
    expect(rendered.blocks.at(-3)?.type).toBe('section');
    expect(JSON.stringify(rendered.blocks.at(-2))).toContain('the answer was cut here');
    expect(rendered.blocks.at(-1)?.type).toBe('actions');
  });

  test('a button action_id round-trips to its skill and action; foreign ids are not ours', () => {
    expect(decodeActionId(encodeActionId({ skill: 'schedule', action: 'pick-slot' }, 3))).toEqual({
      skill: 'schedule',
      action: 'pick-slot',
    });
    expect(decodeActionId('some_other_app_button')).toBeUndefined();
  });
});

describe('Slack markup to readable text', () => {
  const users = new Map([['U0ZHANG01', { id: 'U0ZHANG01', name: '张三' }]]);
  const channels = new Map([['C0GENERAL', 'general']]);

  test('the bot mention goes, people and channels get names, links their labels, entities decoded', () => {
    const readable = toReadableText(
      '<@U0BOT0001> ask <@U0ZHANG01> and <@U0NOBODY|nobody> in <#C0GENERAL> and <#C0OTHER|random> about <https://a.io/x|the doc> &amp; <mailto:a@b.io|a@b.io> &lt;3 <!here>',
      { users, channels },
      'U0BOT0001',
    );
    expect(readable.text).toBe(
      'ask @张三 and @nobody in #general and #random about the doc (https://a.io/x) & a@b.io <3 @here',
    );
    expect(readable.mentions).toEqual([
      { id: 'U0ZHANG01', name: '张三' },
      { id: 'U0NOBODY', name: 'nobody' },
    ]);
  });

  test('an unknown user keeps the id; a bare link stays a link', () => {
    expect(
      toReadableText('<@U0WHO> see <https://a.io>', { users: new Map(), channels: new Map() }).text,
    ).toBe('@U0WHO see https://a.io');
  });
});

describe('request signatures', () => {
  const body = Buffer.from('token=x&team_id=T1&command=%2Fdeskmate');
  const secret = 'signing-secret';
  const now = 1_764_324_000;

  test('a correct signature within five minutes either way is valid', () => {
    for (const timestamp of [now - 299, now, now + 299]) {
      const signature = slackSignature(secret, String(timestamp), body);
      expect(
        checkSlackSignature({
          signingSecret: secret,
          timestamp: String(timestamp),
          signature,
          rawBody: body,
          nowSeconds: now,
        }),
      ).toBe('valid');
    }
  });

  test('stale, future, missing and mismatched signatures are told apart', () => {
    const check = (timestamp: number | undefined, signature?: string) =>
      checkSlackSignature({
        signingSecret: secret,
        timestamp: timestamp === undefined ? undefined : String(timestamp),
        signature:
          signature ??
          (timestamp === undefined ? undefined : slackSignature(secret, String(timestamp), body)),
        rawBody: body,
        nowSeconds: now,
      });
    expect(check(now - 301)).toBe('stale');
    expect(check(now + 301)).toBe('future');
    expect(check(undefined)).toBe('missing');
    expect(check(now, slackSignature('other-secret', String(now), body))).toBe('mismatch');
    expect(check(now, 'v0=short')).toBe('mismatch');
  });
});
