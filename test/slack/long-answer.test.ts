// A long answer reaches Slack as one message Slack accepts: the fake refuses blocks over ~12,000 characters
// of text (`msg_blocks_too_long`, as real Slack does: slackapi/bolt-js#2509), and Deskmate cuts before that.
import { WebClient } from '@slack/web-api';
import { blockTextLength } from '../../adapters/slack/render';
import { requestText, type Skill } from '../../src/core/skill';
import { createSkills } from '../../src/skills';
import { noArguments } from '../../src/skills/arguments';
import { deliverEvent, directMessageEvent } from '../fakes/slack-events';
import { people, type SlackHarness, startSlackHarness } from './slack-harness';

/** A skill that answers with a long Chinese report (about 19,000 characters) and a button. */
const reportSkill: Skill = {
  name: 'report',
  commandWords: ['report'],
  description: 'A long report (tests).',
  ...noArguments,
  help: { en: 'Test skill.', zh: '测试。', examples: [] },
  routable: false,
  async run(context) {
    const paragraph = (index: number) =>
      `## 第${index}部分\n本周**进展顺利**，${'各团队按计划推进工作，风险可控。'.repeat(40)}\n`;
    return {
      markdown: `${requestText(context.request)}\n${Array.from({ length: 27 }, (_unused, index) => paragraph(index + 1)).join('\n')}`,
      buttons: [{ label: '保存', skill: 'report', action: 'save', value: '1' }],
    };
  },
};

describe('long answers on Slack', () => {
  let harness: SlackHarness;

  beforeAll(async () => {
    harness = await startSlackHarness({ skills: [...createSkills(), reportSkill] });
  });
  afterAll(() => harness.stop());

  const sections = (count: number) =>
    Array.from({ length: count }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: '字'.repeat(2800) },
    }));

  test('the fake Slack refuses a message whose blocks hold more than 12,000 characters, as Slack does', async () => {
    const client = new WebClient(harness.fake.botToken, {
      slackApiUrl: harness.fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    const channel = harness.fake.state.directChannel(people.alice.id).id;
    const posted = await client.chat.postMessage({ channel, text: 'ok', blocks: sections(4) });
    expect(posted.ok).toBe(true);
    await expect(
      client.chat.postMessage({ channel, text: 'long', blocks: sections(5) }),
    ).rejects.toMatchObject({
      data: { error: 'msg_blocks_too_long' },
    });
    await expect(
      client.chat.update({ channel, ts: String(posted.ts), text: 'long', blocks: sections(5) }),
    ).rejects.toMatchObject({ data: { error: 'msg_blocks_too_long' } });
  });

  test('a 19,000-character Chinese answer arrives cut, with the note in Chinese and its button', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = directMessageEvent(harness.fake, { user: people.alice.id, text: 'report 本周周报' });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = harness.fake.state.botMessages().slice(before);
    expect(replies).toHaveLength(1);
    const blocks = replies[0].blocks ?? [];
    expect(blockTextLength(blocks)).toBeLessThanOrEqual(12_000);
    const text = harness.fake.state.visibleText(replies[0]);
    expect(text).toContain('本周周报');
    expect(text).toContain('*第1部分*');
    expect(text).toContain('本周 *进展顺利* ，');
    expect(text).toContain('回答到此被截断');
    expect(text).not.toContain('第27部分');
    expect(blocks.at(-1)).toMatchObject({ type: 'actions' });
  });
});
