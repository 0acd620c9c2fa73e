import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import { messageEvent } from '../fakes/lark-events';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const group: ConversationRef = {
  platform: 'lark',
  workspace: 'tenant-fake',
  channel: groupChatId,
  kind: 'group',
};

describe('Lark platform port against the fake open API', () => {
  let harness: LarkHarness;

  beforeAll(async () => {
    harness = await startLarkHarness();
  });
  afterAll(() => harness.stop());

  describe('history', () => {
    const chatId = 'oc_history000000000000000000000000';
    const start = Date.parse('2026-11-20T00:00:00Z');

    beforeAll(() => {
      harness.fake.state.addChat({ chatId, type: 'group', members: [people.alice.openId] });
      for (let index = 0; index < 130; index += 1) {
        harness.fake.state.userSays({
          chatId,
          userId: index % 2 ? people.alice.openId : people.zhangsan.openId,
          content: JSON.stringify({ text: `message ${index}` }),
          createTime: start + index * 60_000,
        });
      }
    });

    test('a chat since a time is read oldest first, 50 a page, with links', async () => {
      const since = new Date(start + 10 * 60_000).toISOString();
      const result = await harness.adapter.platform.history(
        { ...group, channel: chatId },
        { since, limit: 1000 },
      );
      expect(result.truncated).toBe(false);
      expect(result.messages).toHaveLength(120);
      expect(result.messages[0].text).toBe('message 10');
      expect(result.messages.at(-1)?.text).toBe('message 129');
      expect(result.messages[0].link).toMatch(/^https:\/\/applink\.feishu\.cn\//);
      const pages = harness.fake
        .requestsTo('GET', /\/im\/v1\/messages$/)
        .filter((request) => request.query.container_id === chatId);
      expect(pages.map((request) => request.query.page_size)).toEqual(['50', '50', '50']);
      expect(pages[0].query.start_time).toBe(String(Math.floor((start + 10 * 60_000) / 1000)));
    });

    test('a capped channel read keeps the newest messages and says so (as on Slack)', async () => {
      const result = await harness.adapter.platform.history({ ...group, channel: chatId }, { limit: 75 });
      expect(result.messages).toHaveLength(75);
      expect(result.truncated).toBe(true);
      expect(result.messages.at(-1)?.text).toBe('message 129');
      expect(result.messages[0].text).toBe('message 55');
    });

    test('reading after a message returns only newer ones', async () => {
      const all = await harness.adapter.platform.history({ ...group, channel: chatId }, { limit: 1000 });
      const anchor = all.messages[125];
      const result = await harness.adapter.platform.history(
        { ...group, channel: chatId },
        { afterId: anchor.id, limit: 1000 },
      );
      expect(result.messages.map((message) => message.text)).toEqual([
        'message 126',
        'message 127',
        'message 128',
        'message 129',
      ]);
    });

    test('a thread is read through its thread id, names resolved', async () => {
      const state = harness.fake.state;
      const root = state.userSays({
        chatId: groupChatId,
        userId: people.alice.openId,
        content: JSON.stringify({ text: 'plan?' }),
      });
      state.userSays({
        chatId: groupChatId,
        userId: people.zhangsan.openId,
        content: JSON.stringify({ text: '@_user_1 ships Friday' }),
        mentions: [{ key: '@_user_1', id: people.alice.openId, name: 'Alice' }],
        parentId: root.messageId,
        inThread: true,
      });
      state.userSays({
        chatId: groupChatId,
        userId: people.alice.openId,
        content: JSON.stringify({ text: 'unrelated' }),
      });
      const result = await harness.adapter.platform.history(group, { thread: root.messageId, limit: 100 });
      expect(result.messages.map((message) => message.text)).toEqual(['plan?', '@Alice ships Friday']);
      expect(result.messages[1].author.id).toBe(people.zhangsan.openId);
    });
  });

  test('membership comes from the chat members, page by page', async () => {
    const chatId = 'oc_big00000000000000000000000000000';
    const members = Array.from(
      { length: 250 },
      (_unused, index) => `ou_member${String(index).padStart(24, '0')}`,
    );
    harness.fake.state.addChat({ chatId, type: 'group', members });
    const conversation = { ...group, channel: chatId };
    expect(await harness.adapter.platform.isMember(conversation, members[240])).toBe(true);
    expect(await harness.adapter.platform.isMember(conversation, people.stranger.openId)).toBe(false);
    expect(await harness.adapter.platform.isMember(group, people.zhangsan.openId)).toBe(true);
  });

  test('a reply card neutralizes @all and mentions only the people to notify', async () => {
    const ref = await harness.adapter.platform.post(
      group,
      { markdown: '<at id=all></at> heads up @all', notify: [people.zhangsan.openId] },
      { idempotencyKey: 'job-notify' },
    );
    const message = harness.fake.state.messages.get(ref.id);
    const text = message ? harness.fake.state.visibleText(message) : '';
    expect(text).not.toMatch(/<at id=all>/);
    expect(text).not.toMatch(/(^|\s)@all/);
    expect(text).toContain(`<at id=${people.zhangsan.openId}></at>`);
  });

  test('posting twice with the same idempotency key posts one message', async () => {
    const first = await harness.adapter.platform.post(
      group,
      { markdown: 'once' },
      { idempotencyKey: 'job-once' },
    );
    const second = await harness.adapter.platform.post(
      group,
      { markdown: 'once' },
      { idempotencyKey: 'job-once' },
    );
    expect(second.id).toBe(first.id);
  });

  test('buttons carry their skill, action and value back', async () => {
    const ref = await harness.adapter.platform.post(group, {
      markdown: 'Create this task?',
      buttons: [{ label: 'Create', skill: 'todo', action: 'create', value: 'abc', style: 'primary' }],
    });
    const card = JSON.parse(harness.fake.state.messages.get(ref.id)?.content ?? '{}');
    const button = JSON.stringify(card.body.elements);
    expect(button).toContain('"skill":"todo"');
    expect(button).toContain('"action":"create"');
    expect(button).toContain('"value":"abc"');
  });

  test('a streamed answer goes through CardKit and ends with the full text, streaming closed', async () => {
    const { message } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: 'hi',
    });
    const conversation = { ...group, thread: message.messageId };
    const stream = await harness.adapter.platform.stream?.(conversation, { idempotencyKey: 'job-stream' });
    const words = ['Here ', 'is ', 'a ', 'streamed ', 'answer ', 'in ', 'parts.'];
    for (const word of words) {
      await stream?.append(word);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const ref = await stream?.finish({ markdown: words.join('') });
    const posted = ref && harness.fake.state.messages.get(ref.id);
    if (!posted) throw new Error('nothing was posted');
    const card = harness.fake.state.cardOf(posted);
    expect(card).toBeDefined();
    expect(posted.rootId).toBe(message.messageId);
    expect(harness.fake.state.visibleText(posted)).toBe('Here is a streamed answer in parts.');
    expect(card?.json.config?.streaming_mode).toBe(false);
    expect(card?.contents.length).toBeGreaterThan(1);
    expect(card?.contents.at(-1)).toBe('Here is a streamed answer in parts.');
    expect(harness.fake.state.rateLimitedCardOperations).toBe(0);

    await harness.adapter.platform.update(conversation, ref as NonNullable<typeof ref>, {
      markdown: 'Edited.',
    });
    expect(harness.fake.state.visibleText(posted)).toBe('Edited.');
  });

  test('a job retried mid-stream continues the answer it started instead of posting another', async () => {
    const before = harness.fake.state.botMessages().length;
    const first = await harness.adapter.platform.stream?.(group, { idempotencyKey: 'job-crashed' });
    await first?.append('Half an answer');
    // The worker died here; the retried job streams again under the same key.
    const retried = await harness.adapter.platform.stream?.(group, { idempotencyKey: 'job-crashed' });
    await retried?.append('The whole ');
    const ref = await retried?.finish({ markdown: 'The whole answer.' });
    const posted = harness.fake.state.botMessages().slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0].messageId).toBe(ref?.id);
    expect(harness.fake.state.visibleText(posted[0])).toBe('The whole answer.');
  });

  test('without CardKit the stream falls back to patching a card', async () => {
    harness.fake.fail({
      method: 'POST',
      path: /\/cardkit\/v1\/cards$/,
      times: 1,
      status: 400,
      code: 99991672,
      msg: 'scope missing',
    });
    const stream = await harness.adapter.platform.stream?.(group, { idempotencyKey: 'job-fallback' });
    await stream?.append('Partial ');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await stream?.append('answer.');
    const ref = await stream?.finish({ markdown: 'Partial answer.', footnote: 'made offline' });
    const posted = ref && harness.fake.state.messages.get(ref.id);
    if (!posted) throw new Error('nothing was posted');
    expect(harness.fake.state.cardOf(posted)).toBeUndefined();
    expect(posted.patches).toBeGreaterThanOrEqual(2);
    expect(harness.fake.state.visibleText(posted)).toBe('Partial answer.\nmade offline');
  });

  test('a 429 with code 99991400 waits for x-ogw-ratelimit-reset, then succeeds', async () => {
    harness.fake.fail({
      method: 'POST',
      path: /\/im\/v1\/messages$/,
      times: 2,
      status: 429,
      code: 99991400,
      msg: 'request trigger frequency limit',
      headers: { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': '2' },
    });
    const waitsBefore = harness.waits.length;
    const ref = await harness.adapter.platform.post(
      group,
      { markdown: 'after the limit' },
      { idempotencyKey: 'job-429' },
    );
    expect(harness.fake.state.messages.get(ref.id)).toBeDefined();
    const rateWaits = harness.waits.slice(waitsBefore).filter((wait) => wait >= 2000);
    expect(rateWaits).toHaveLength(2);
  });

  test('a call that stays rate limited past the budget fails as retryable', async () => {
    harness.fake.fail({
      method: 'POST',
      path: /\/im\/v1\/messages$/,
      times: 100,
      status: 429,
      code: 99991400,
      headers: { 'x-ogw-ratelimit-reset': '20' },
    });
    const failure = await harness.adapter.platform
      .post(group, { markdown: 'x' })
      .catch((error: unknown) => error);
    harness.fake.failures.length = 0;
    expect(isDeskmateError(failure) && failure.code === 'rate_limited' && failure.retryable).toBe(true);
  });

  test('tasks are created with assignee, due time and a client token', async () => {
    const draft = {
      summary: 'Send the deck',
      assigneeId: people.zhangsan.openId,
      due: '2026-12-01T10:00:00.000Z',
      idempotencyKey: 'todo-1',
    };
    const first = await harness.adapter.platform.tasks?.createTask(draft);
    const again = await harness.adapter.platform.tasks?.createTask(draft);
    expect(again?.id).toBe(first?.id);
    expect(first?.url).toMatch(/^https:\/\//);
    const stored = [...harness.fake.state.tasks.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0].due).toEqual({ timestamp: String(Date.parse(draft.due)), is_all_day: false });
    expect(stored[0].members).toEqual([{ id: people.zhangsan.openId, type: 'user', role: 'assignee' }]);
  });

  test('calendar: free/busy per person, and an event with attendees created once', async () => {
    harness.fake.state.busy.set(people.alice.openId, [
      { start_time: '2026-12-01T09:00:00+08:00', end_time: '2026-12-01T10:00:00+08:00' },
    ]);
    const window = { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' };
    const busy = await harness.adapter.platform.calendar?.freeBusy(
      [people.alice.openId, people.zhangsan.openId],
      window,
    );
    expect(busy).toEqual({
      [people.alice.openId]: [{ start: '2026-12-01T09:00:00+08:00', end: '2026-12-01T10:00:00+08:00' }],
      [people.zhangsan.openId]: [],
    });
    const draft = {
      title: 'Launch review',
      start: '2026-12-01T06:00:00.000Z',
      end: '2026-12-01T06:30:00.000Z',
      timezone: 'Asia/Shanghai',
      attendeeIds: [people.alice.openId, people.zhangsan.openId],
      idempotencyKey: 'meeting-1',
    };
    const event = await harness.adapter.platform.calendar?.createEvent(draft);
    const again = await harness.adapter.platform.calendar?.createEvent(draft);
    expect(again?.id).toBe(event?.id);
    expect(harness.fake.state.events.size).toBe(1);
    expect(harness.fake.state.attendees.get(event?.id ?? '')).toEqual(draft.attendeeIds);
    const stored = [...harness.fake.state.events.values()][0];
    expect(stored.start_time).toEqual({
      timestamp: String(Date.parse(draft.start) / 1000),
      timezone: 'Asia/Shanghai',
    });
  });

  test('a message is prepared with its author’s name and timezone from the contact directory', async () => {
    const prepare = harness.adapter.platform.prepareMessage!;
    const conversation = {
      platform: 'lark' as const,
      workspace: 't',
      channel: groupChatId,
      kind: 'group' as const,
    };
    const base = {
      eventId: 'e',
      messageId: 'm',
      conversation,
      text: 'hi',
      via: 'mention' as const,
      receivedAt: '',
    };
    const known = await prepare({ ...base, author: { id: people.alice.openId } });
    expect(known.author).toEqual({ id: people.alice.openId, name: 'Alice', timezone: 'Asia/Shanghai' });
    const unknown = await prepare({ ...base, author: { id: 'ou_nobody000000000000000000000000' } });
    expect(unknown.author).toEqual({ id: 'ou_nobody000000000000000000000000' });
  });

  test('a message link Deskmate gave out resolves back to its message', async () => {
    const root = harness.fake.state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: '{"text":"x"}',
    });
    const link = await harness.adapter.platform.messageLink?.(group, root.messageId);
    expect(link).toMatch(/^https:\/\//);
    const linked = await harness.adapter.platform.resolveLink?.(link as string, group);
    expect(linked?.messageId).toBe(root.messageId);
    expect(linked?.conversation.channel).toBe(groupChatId);
  });

  test('a citation of a message in a thread opens that thread in its chat, as Feishu’s own thread links do', async () => {
    const root = harness.fake.state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: '{"text":"offsite"}',
    });
    const reply = harness.fake.state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: '{"text":"boat trip"}',
      parentId: root.messageId,
      inThread: true,
    });
    const link = new URL((await harness.adapter.platform.messageLink?.(group, reply.messageId)) ?? '');
    expect(link.pathname).toBe('/client/thread/open');
    expect(link.searchParams.get('open_chat_id')).toBe(groupChatId);
    expect(link.searchParams.get('open_thread_id')).toBe(reply.threadId);
    // A thread link copied in Feishu (its short parameter names) resolves to the thread's root as well.
    const copied = `https://applink.feishu.cn/client/thread/open?openchatid=${groupChatId}&openthreadid=${reply.threadId}&thread_position=0`;
    const linked = await harness.adapter.platform.resolveLink?.(copied, group);
    expect(linked?.messageId).toBe(root.messageId);
  });

  test('a pasted thread link resolves to its root, in the tenant of the chat it was pasted in', async () => {
    // The job thread's adapter never receives an event, so it cannot know the tenant key from one: the
    // conversation must carry the asker's, or the thread's summary state would be kept under another key.
    const root = harness.fake.state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: '{"text":"the budget"}',
    });
    const reply = harness.fake.state.userSays({
      chatId: groupChatId,
      userId: people.alice.openId,
      content: '{"text":"agreed"}',
      parentId: root.messageId,
      inThread: true,
    });
    const pastedIn: ConversationRef = { ...group, workspace: 'tenant-of-the-asker' };
    const linked = await harness.adapter.platform.resolveLink?.(
      `https://applink.feishu.cn/client/chat/open?openChatId=${groupChatId}&open_thread_id=${reply.threadId}`,
      pastedIn,
    );
    expect(linked).toEqual({
      conversation: {
        platform: 'lark',
        workspace: 'tenant-of-the-asker',
        channel: groupChatId,
        thread: root.messageId,
        kind: 'group',
      },
      messageId: root.messageId,
    });
  });
});
