import { contentToText } from '../../adapters/lark/content';
import {
  type LarkCardActionEvent,
  type LarkMenuEvent,
  type LarkMessageEvent,
  normalizeCardAction,
  normalizeMenuEvent,
  normalizeMessageEvent,
} from '../../adapters/lark/normalize';
import {
  decodeButtonValue,
  encodeButtonValue,
  neutralizeMentions,
  renderCard,
} from '../../adapters/lark/render';
import { larkFixture } from '../fakes/lark-events';

const botOpenId = 'ou_bot0000000000000000000000000000';
const now = () => new Date('2026-11-28T10:00:00.000Z');

/** The SDK hands handlers the header and event fields merged; so do these tests. */
function merged<T>(name: string): T {
  const payload = larkFixture<{ header: object; event: object }>(name);
  return { ...payload.header, ...payload.event } as T;
}

describe('Lark event normalization (recorded payload shapes)', () => {
  test('a group mention: bot mention removed, `@_user_2` as 张三, answered in the message’s own thread', () => {
    const message = normalizeMessageEvent(merged<LarkMessageEvent>('message-receive-group.json'), {
      botOpenId,
      now,
    });
    expect(message).toMatchObject({
      eventId: '5e3702a84e847582be8db7fb73283c02',
      messageId: 'om_5ce6d572455d361153b7cb51da133945',
      conversation: {
        platform: 'lark',
        workspace: '2ca1d211f64f6438',
        channel: 'oc_5ce6d572455d361153b7xx51da133945',
        thread: 'om_5ce6d572455d361153b7cb51da133945',
        kind: 'group',
      },
      author: { id: 'ou_84aad35d084aa403a838cf73ee18467' },
      text: 'summarize what @张三 said today',
      via: 'mention',
      inThread: false,
      mentions: [{ id: 'ou_zhangsan000000000000000000000000', name: '张三' }],
      receivedAt: '2026-11-28T10:00:00.000Z',
    });
  });

  test('a mention of the bot is recognized by `mentioned_type` until the bot’s id is known', () => {
    const message = normalizeMessageEvent(merged<LarkMessageEvent>('message-receive-group.json'), { now });
    expect(message?.text).toBe('summarize what @张三 said today');
  });

  test('a group message that mentions someone else only is not for the bot', () => {
    const event = merged<LarkMessageEvent>('message-receive-group.json');
    event.message!.mentions = event.message!.mentions!.slice(1);
    event.message!.content = JSON.stringify({ text: '@_user_2 lunch?' });
    expect(normalizeMessageEvent(event, { botOpenId, now })).toBeUndefined();
  });

  test('messages from apps and bots are ignored', () => {
    const event = merged<LarkMessageEvent>('message-receive-group.json');
    event.sender!.sender_type = 'app';
    expect(normalizeMessageEvent(event, { botOpenId, now })).toBeUndefined();
  });

  test('a direct message with a slash command: kind dm, no thread, command parsed', () => {
    const message = normalizeMessageEvent(merged<LarkMessageEvent>('message-receive-p2p.json'), {
      botOpenId,
      now,
    });
    expect(message?.conversation).toEqual({
      platform: 'lark',
      workspace: '2ca1d211f64f6438',
      channel: 'oc_p2p0aa67826108097d9ee143816345',
      kind: 'dm',
    });
    expect(message?.via).toBe('dm');
    expect(message?.command).toEqual({ name: 'summarize', args: 'last 24h' });
    expect(message?.text).toBe('/summarize last 24h');
  });

  test('a rich-text (post) message in a thread becomes plain text in the thread’s root', () => {
    const message = normalizeMessageEvent(merged<LarkMessageEvent>('message-receive-post.json'), {
      botOpenId,
      now,
    });
    expect(message?.text).toBe(
      'Release plan\ndraft a note to @张三\nsee the plan (https://example.com/plan)\n[image]',
    );
    expect(message?.conversation.thread).toBe('om_5ce6d572455d361153b7cb51da133945');
    expect(message?.inThread).toBe(true);
  });

  test('code and indentation arrive as typed; only the gap where the bot was mentioned is tidied', () => {
    const group = merged<LarkMessageEvent>('message-receive-group.json');
    const withContent = (messageType: string, content: unknown) =>
      normalizeMessageEvent(
        {
          ...group,
          message: { ...group.message, message_type: messageType, content: JSON.stringify(content) },
        },
        { botOpenId, now },
      )?.text;
    // A post's code block (its recorded shape) becomes fenced Markdown with its language.
    const code = 'def first(items):\n    if not items:\n        return None\n    return items[0]\n';
    expect(
      withContent('post', {
        title: '',
        content: [
          [
            { tag: 'at', user_id: '@_user_1', user_name: 'Deskmate' },
            { tag: 'text', text: ' 这段代码为什么报错' },
          ],
          [{ tag: 'code_block', language: 'PYTHON', text: code }],
        ],
      }),
    ).toBe(
      '这段代码为什么报错\n\n```python\ndef first(items):\n    if not items:\n        return None\n    return items[0]\n```',
    );
    // YAML pasted in a text message keeps its indentation and its runs of spaces.
    expect(
      withContent('text', { text: '@_user_1 check this:\nserver:\n  port: 8080\n  hosts:    [a, b]' }),
    ).toBe('check this:\nserver:\n  port: 8080\n  hosts:    [a, b]');
    // The mention in the middle of a sentence leaves one space; other mentions become names.
    expect(withContent('text', { text: '请  @_user_1  总结 @_user_2 说的' })).toBe('请 总结 @张三 说的');
    expect(withContent('text', { text: '@_user_1' })).toBe('');
  });

  test('the locale comes from the Lark client (LarkLocale), else Chinese on Feishu, else none', () => {
    const group = merged<LarkMessageEvent>('message-receive-group.json');
    const withAgent = (userAgent: string | undefined, domain?: string) =>
      normalizeMessageEvent(
        { ...group, message: { ...group.message, user_agent: userAgent } },
        {
          botOpenId,
          now,
          domain,
        },
      )?.locale;
    // The recorded payload's client says `LarkLocale/en_US`, even on a Feishu deployment.
    expect(withAgent(group.message?.user_agent, 'feishu')).toBe('en-US');
    expect(withAgent('Mozilla/5.0 Feishu/7.30.6 LarkLocale/zh_CN ttnet', 'lark')).toBe('zh-CN');
    expect(withAgent(undefined, 'feishu')).toBe('zh-CN');
    expect(withAgent(undefined, 'lark')).toBeUndefined();
    expect(withAgent(undefined, 'http://127.0.0.1:9')).toBeUndefined();
  });

  test('a forwarded chat record (merge_forward) is offered as a record to read, named in the person’s language', () => {
    const direct = merged<LarkMessageEvent>('message-receive-p2p.json');
    const forwarded = (domain: string) =>
      normalizeMessageEvent(
        {
          ...direct,
          message: {
            ...direct.message,
            message_type: 'merge_forward',
            content: 'Merged and Forwarded Message',
          },
        },
        { botOpenId, now, domain },
      );
    const messageId = direct.message?.message_id;
    expect(forwarded('feishu')).toMatchObject({
      text: '',
      locale: 'zh-CN',
      files: [{ id: `merge_forward:${messageId}`, name: '聊天记录', messageId }],
    });
    expect(forwarded('feishu')?.unreadable).toBeUndefined();
    expect(forwarded('lark')?.files?.[0].name).toBe('Forwarded chat record');
  });

  test('a bot menu click becomes a command in the person’s direct conversation', () => {
    const message = normalizeMenuEvent(merged<LarkMenuEvent>('bot-menu.json'), { botOpenId, now });
    expect(message).toMatchObject({
      eventId: '5e3702a84e847582be8db7fb73283c03',
      conversation: { channel: 'ou_lisi0000000000000000000000000000', kind: 'dm' },
      author: { id: 'ou_lisi0000000000000000000000000000', name: '李四' },
      via: 'command',
      command: { name: 'help', args: '', menu: true },
    });
  });

  test('a bot menu click on Feishu is answered in Chinese (a click carries no client locale)', () => {
    const event = merged<LarkMenuEvent>('bot-menu.json');
    expect(normalizeMenuEvent(event, { botOpenId, now, domain: 'feishu' })?.locale).toBe('zh-CN');
    expect(normalizeMenuEvent(event, { botOpenId, now, domain: 'lark' })?.locale).toBeUndefined();
  });

  test('messages with nothing to read: no text, and what it could not read named', () => {
    const direct = merged<LarkMessageEvent>('message-receive-p2p.json');
    const as = (messageType: string, content: string) =>
      normalizeMessageEvent(
        { ...direct, message: { ...direct.message, message_type: messageType, content } },
        { botOpenId, now },
      );
    expect(as('something_new', '{"anything":1}')).toMatchObject({
      text: '',
      unreadable: [{ kind: 'other', type: 'something_new' }],
    });
    expect(as('image', '{"image_key":"img_v2_1"}')).toMatchObject({
      text: '',
      unreadable: [{ kind: 'image' }],
    });
    // A file is read when a skill asks: a readable file of the message, read through the message resources API.
    const file = as('file', '{"file_key":"file_v2_1","file_name":"预算.pdf"}');
    expect(file).toMatchObject({
      text: '',
      files: [{ id: 'file_v2_1', name: '预算.pdf', messageId: direct.message?.message_id }],
    });
    expect(file?.unreadable).toBeUndefined();
    // A file message that names no file is still named as unread.
    expect(as('file', '{}')).toMatchObject({ text: '', unreadable: [{ kind: 'file' }] });
    expect(as('text', '{"text":"hello"}')?.unreadable).toBeUndefined();
    // Rich text is read, and its images named.
    const post = normalizeMessageEvent(merged<LarkMessageEvent>('message-receive-post.json'), {
      botOpenId,
      now,
    });
    expect(post?.unreadable).toEqual([{ kind: 'image' }]);
  });

  test('a bot menu key is marked as one (a key no skill knows gets the help)', () => {
    const event = { ...merged<LarkMenuEvent>('bot-menu.json'), event_key: 'feedback_v2' };
    expect(normalizeMenuEvent(event, { botOpenId, now })?.command).toEqual({
      name: 'feedback_v2',
      args: '',
      menu: true,
    });
  });

  test('a card button click becomes an action with its skill, value, thread and source message', () => {
    const message = normalizeCardAction(merged<LarkCardActionEvent>('card-action-trigger.json'), {
      botOpenId,
      now,
    });
    expect(message).toMatchObject({
      eventId: 'f7984f25108f8137722bb63cee927e66',
      conversation: {
        channel: 'oc_5ce6d572455d361153b7xx51da133945',
        thread: 'om_5ce6d572455d361153b7cb51da133945',
        kind: 'group',
      },
      via: 'action',
      action: {
        skill: 'todo',
        action: 'create',
        value: '{"summary":"Send the deck"}',
        sourceMessageId: 'om_3ff6d572455d361153b7cb51da133999',
      },
    });
  });

  test('a click on a button that is not Deskmate’s is not an action', () => {
    const event = merged<LarkCardActionEvent>('card-action-trigger.json');
    event.action = { value: { key: 'trigger_action' }, tag: 'button' };
    expect(normalizeCardAction(event, { botOpenId, now })).toBeUndefined();
  });
});

describe('Lark rendering', () => {
  test('a button value round-trips through encode and decode (object or JSON string)', () => {
    const value = encodeButtonValue(
      { label: 'Done', skill: 'todo', action: 'done', value: '42' },
      { kind: 'dm', thread: 'om_1' },
    );
    const expected = { skill: 'todo', action: 'done', value: '42', kind: 'dm', thread: 'om_1' };
    expect(decodeButtonValue(value)).toEqual(expected);
    expect(decodeButtonValue(JSON.stringify(value))).toEqual(expected);
    expect(decodeButtonValue('{"skill":"todo"}')).toBeUndefined();
  });

  test('mass mentions and stray mention tags notify nobody', () => {
    const text = neutralizeMentions(
      '<at id=all></at> <at user_id="all">所有人</at> <at id=ou_x>Bob</at> @all @所有人 mail@all.com',
    );
    expect(text).not.toMatch(/<at/);
    expect(text).not.toMatch(/(^|\s)@(all|所有人)/);
    expect(text).toContain('mail@all.com');
  });

  test('a reply renders as a JSON 2.0 card with sections, sources, buttons and footnote', () => {
    const card = renderCard(
      {
        markdown: 'Summary',
        sections: [{ title: 'Decisions', markdown: '- ship' }],
        citations: [{ label: '1', url: 'https://applink.feishu.cn/x' }],
        buttons: [{ label: 'OK', skill: 'todo', action: 'create', value: 'v' }],
        footnote: 'made without a model',
      },
      { kind: 'group' },
    );
    expect(card.schema).toBe('2.0');
    expect(card.config.update_multi).toBe(true);
    const tags = card.body.elements.map((element) => element.tag);
    expect(tags).toEqual(['markdown', 'hr', 'markdown', 'markdown', 'column_set', 'markdown']);
    expect(contentToText('interactive', JSON.stringify(card))).toBe(
      'Summary\n**Decisions**\n- ship\nSources: [1](https://applink.feishu.cn/x)\nOK\nmade without a model',
    );
  });
});
