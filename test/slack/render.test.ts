import { markdownToMrkdwn, splitMrkdwn } from '../../adapters/slack/mrkdwn';
import { decodeActionId, encodeActionId, renderReply } from '../../adapters/slack/render';
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
