import { blockTextBudget, blockTextLength } from '../../adapters/slack/render';
import type { ConversationRef } from '../../src/core/conversation';
import { DeskmateError } from '../../src/core/errors';
import { createResponder } from '../../src/pipeline/responder';
import { generalChannel, people, quietChannel, type SlackHarness, startSlackHarness } from './slack-harness';

describe('the Slack port against the fake Web API', () => {
  let harness: SlackHarness;

  beforeAll(async () => {
    harness = await startSlackHarness();
  });
  afterAll(() => harness.stop());
  afterEach(() => {
    harness.fake.maxPageSize = 1000;
  });

  const place = (channel: string, thread?: string): ConversationRef => ({
    platform: 'slack',
    workspace: harness.fake.state.teamId,
    channel,
    thread,
    kind: 'group',
  });
  const platform = () => harness.adapter.platform;

  const seedThread = () => {
    const state = harness.fake.state;
    const root = state.userSays({
      channel: generalChannel,
      user: people.alice.id,
      text: `<@${people.zhang.id}> can you check <#${generalChannel}> &amp; <https://example.com/plan|the plan>?`,
    });
    const texts = ['on it', 'tests pass', 'shipping now', 'done'];
    for (const text of texts)
      state.userSays({ channel: generalChannel, user: people.zhang.id, text, threadTs: root.ts });
    state.botPosts({ channel: generalChannel, text: 'Summary posted', threadTs: root.ts });
    return root;
  };

  test('a thread is read across pages, oldest first, with names, links and bot posts marked', async () => {
    const root = seedThread();
    harness.fake.maxPageSize = 2;
    const repliesBefore = harness.fake.callsTo('conversations.replies').length;
    const result = await platform().history(place(generalChannel, root.ts), { thread: root.ts, limit: 100 });
    expect(harness.fake.callsTo('conversations.replies').length - repliesBefore).toBe(3);
    expect(result.truncated).toBe(false);
    expect(result.messages.map((message) => message.text)).toEqual([
      '@张三 can you check #general & the plan (https://example.com/plan)?',
      'on it',
      'tests pass',
      'shipping now',
      'done',
      'Summary posted',
    ]);
    expect(result.messages[0].author).toEqual({ id: people.alice.id, name: 'Alice' });
    expect(result.messages[1].author.name).toBe('张三');
    expect(result.messages.map((message) => message.isBot)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(result.messages[0].link).toBe(
      `https://deskmate-test.slack.com/archives/${generalChannel}/p${root.ts.replace('.', '')}`,
    );
    expect(result.messages[1].link).toContain(`?thread_ts=${root.ts}&cid=${generalChannel}`);
    expect(Date.parse(result.messages[0].at)).toBeCloseTo(Number(root.ts) * 1000, -1);
  });

  test('a thread read stops at the cap and says so; afterId reads only what came later', async () => {
    const root = seedThread();
    const capped = await platform().history(place(generalChannel, root.ts), { thread: root.ts, limit: 3 });
    expect(capped.truncated).toBe(true);
    expect(capped.messages.map((message) => message.text)).toEqual([
      expect.stringContaining('can you check'),
      'on it',
      'tests pass',
    ]);
    const later = await platform().history(place(generalChannel, root.ts), {
      thread: root.ts,
      afterId: capped.messages[2].id,
      limit: 100,
    });
    expect(later.messages.map((message) => message.text)).toEqual(['shipping now', 'done', 'Summary posted']);
  });

  test('a channel is read since a time across pages; under a cap the newest are kept, oldest first', async () => {
    const state = harness.fake.state;
    state.addChannel({ id: 'C0HISTORY', name: 'history', members: [people.alice.id, state.botUserId] });
    const seconds = Math.floor(Date.now() / 1000);
    state.userSays({
      channel: 'C0HISTORY',
      user: people.alice.id,
      text: 'two days ago',
      ts: `${seconds - 2 * 86400}.000100`,
    });
    for (let index = 1; index <= 5; index += 1) {
      state.userSays({
        channel: 'C0HISTORY',
        user: people.alice.id,
        text: `recent ${index}`,
        ts: `${seconds - 600 + index}.000100`,
      });
    }
    state.userSays({
      channel: 'C0HISTORY',
      user: people.alice.id,
      text: 'joined',
      ts: `${seconds - 100}.000100`,
    }).subtype = 'channel_join';
    harness.fake.maxPageSize = 2;
    const since = new Date((seconds - 86400) * 1000).toISOString();
    const all = await platform().history(place('C0HISTORY'), { since, limit: 100 });
    expect(all.truncated).toBe(false);
    expect(all.messages.map((message) => message.text)).toEqual([
      'recent 1',
      'recent 2',
      'recent 3',
      'recent 4',
      'recent 5',
    ]);
    const capped = await platform().history(place('C0HISTORY'), { since, limit: 2 });
    expect(capped.truncated).toBe(true);
    expect(capped.messages.map((message) => message.text)).toEqual(['recent 4', 'recent 5']);
    const after = await platform().history(place('C0HISTORY'), {
      since,
      afterId: all.messages[2].id,
      limit: 100,
    });
    expect(after.messages.map((message) => message.text)).toEqual(['recent 4', 'recent 5']);
  });

  test('membership: members yes, others no, across pages, remembered for a while', async () => {
    harness.fake.maxPageSize = 1;
    const before = harness.fake.callsTo('conversations.members').length;
    expect(await platform().isMember(place(generalChannel), people.zhang.id)).toBe(true);
    expect(await platform().isMember(place(generalChannel), people.stranger.id)).toBe(false);
    const calls = harness.fake.callsTo('conversations.members').length - before;
    expect(calls).toBeGreaterThan(2);
    expect(await platform().isMember(place(generalChannel), people.stranger.id)).toBe(false);
    expect(harness.fake.callsTo('conversations.members').length - before).toBe(calls);
  });

  test('who reads a channel: a Grid org-shared channel is the workspace; Slack Connect, even pending, has outsiders', async () => {
    const state = harness.fake.state;
    const members = [people.alice.id, state.botUserId];
    state.addChannel({ id: 'C0ORGWIDE', name: 'org-wide', members, isOrgShared: true });
    state.addChannel({ id: 'C0PARTNER', name: 'partner', members, isExternal: true });
    state.addChannel({ id: 'C0INVITED', name: 'invited', members, isPendingExternal: true });
    state.addChannel({ id: 'C0HOME', name: 'home', members });
    expect(await platform().audience(place('C0ORGWIDE'))).toEqual({ openTo: 'workspace', external: false });
    expect(await platform().audience(place('C0PARTNER'))).toEqual({ openTo: 'workspace', external: true });
    expect(await platform().audience(place('C0INVITED'))).toEqual({ openTo: 'workspace', external: true });
    expect(await platform().audience(place('C0HOME'))).toEqual({ openTo: 'workspace', external: false });
  });

  test('private answers are ephemeral; where the bot is not in the channel the response_url carries them', async () => {
    const ephemeral = await platform().post(
      place(generalChannel),
      { markdown: 'only for you', private: true },
      {
        privateTo: people.alice.id,
      },
    );
    const stored = harness.fake.state.message(generalChannel, ephemeral.id);
    expect(stored?.visibleTo).toBe(people.alice.id);

    const responseUrl = harness.fake.newResponseUrl({
      kind: 'command',
      channel: quietChannel,
      user: people.alice.id,
    });
    const viaUrl = await platform().post(
      place(quietChannel),
      { markdown: 'working on it' },
      {
        platformData: { responseUrl },
      },
    );
    // A slash command's response_url cannot replace what it posted (replace_original would post anew):
    // the new reply is sent as one more private message, not as a pretend replacement.
    await platform().update(place(quietChannel), viaUrl, { markdown: 'done: **3** items' });
    const posts = harness.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.id));
    expect(posts.map((post) => post.body.response_type)).toEqual(['ephemeral', 'ephemeral']);
    expect(posts[1].body.replace_original).toBeUndefined();
    expect(JSON.stringify(posts[1].body.blocks)).toContain('done: *3* items');

    const refusal = platform().post(place(quietChannel), { markdown: 'hello' });
    await expect(refusal).rejects.toBeInstanceOf(DeskmateError);
    await expect(refusal).rejects.toMatchObject({
      code: 'forbidden',
      userMessage: { en: expect.stringContaining('/invite'), zh: expect.stringContaining('邀请我') },
    });
  });

  test('a streamed reply that can only go through a response_url is sent once, complete', async () => {
    const responseUrl = harness.fake.newResponseUrl({
      kind: 'command',
      channel: quietChannel,
      user: people.alice.id,
    });
    const stream = await platform().stream!(place(quietChannel), { platformData: { responseUrl } });
    const words = Array.from({ length: 40 }, (_, index) => `word${index} `);
    for (const word of words) await stream.append(word);
    await stream.finish({ markdown: words.join('').trim() });
    const posts = harness.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.id));
    expect(posts).toHaveLength(1);
    expect(posts[0].refused).toBeUndefined();
    expect(String(posts[0].body.text)).toContain('word0 word1');
    expect(String(posts[0].body.text)).toContain('word39');
    const shown = harness.fake.state
      .botMessages()
      .filter((message) => message.channel === quietChannel && message.visibleTo === people.alice.id);
    expect(shown.filter((message) => message.text.includes('word0'))).toHaveLength(1);
  });

  test('a response_url is used at most 5 times; a sixth private answer goes to a direct message', async () => {
    const responseUrl = harness.fake.newResponseUrl({
      kind: 'command',
      channel: quietChannel,
      user: people.alice.id,
    });
    const direct = harness.fake.state.directChannel(people.alice.id).id;
    const directBefore = harness.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === direct);
    for (let answer = 1; answer <= 6; answer += 1) {
      await platform().post(
        place(quietChannel),
        { markdown: `answer ${answer}`, private: true },
        { privateTo: people.alice.id, platformData: { responseUrl } },
      );
    }
    const posts = harness.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.id));
    expect(posts).toHaveLength(5);
    expect(posts.every((post) => post.refused === undefined)).toBe(true);
    const directAfter = harness.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === direct);
    expect(directAfter.length - directBefore.length).toBe(1);
    expect(String(directAfter.at(-1)?.args.text)).toContain('answer 6');
  });

  test('a reply with a file uploads it into the thread, once', async () => {
    const root = harness.fake.state.userSays({
      channel: generalChannel,
      user: people.alice.id,
      text: 'meeting?',
    });
    const reply = {
      markdown: 'Invite attached',
      file: {
        filename: 'meeting.ics',
        contentType: 'text/calendar',
        content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
      },
    };
    const ref = await platform().post(place(generalChannel, root.ts), reply);
    await platform().update(place(generalChannel, root.ts), ref, reply);
    const files = harness.fake.state.files.filter((file) => file.threadTs === root.ts);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: 'meeting.ics', channel: generalChannel });
    expect(files[0].content).toBe(reply.file.content);
  });

  test('a job that runs again does not send its private answer twice (an ephemeral message cannot be updated)', async () => {
    const root = seedThread();
    const message = {
      eventId: 'Ev-private-rerun',
      messageId: `${generalChannel}:${root.ts}`,
      conversation: place(generalChannel, root.ts),
      author: { id: people.alice.id, name: 'Alice' },
      text: 'summarize #quiet',
      via: 'mention' as const,
      receivedAt: new Date().toISOString(),
    };
    const jobId = 'job-private-rerun';
    const ephemerals = () =>
      harness.fake.state.botMessages().filter((posted) => posted.visibleTo === people.alice.id).length;
    const before = ephemerals();
    const firstRun = createResponder({ platform: platform(), store: harness.store, message, jobId });
    await firstRun.send({ markdown: 'Only for you', private: true });
    expect(ephemerals()).toBe(before + 1);
    // The job failed later and runs again from the start: the same private answer is not sent again.
    const secondRun = createResponder({ platform: platform(), store: harness.store, message, jobId });
    await secondRun.send({ markdown: 'Only for you', private: true });
    expect(ephemerals()).toBe(before + 1);
    // A second private answer of the rerun is new: it is sent.
    await secondRun.send({ markdown: 'One more thing', private: true });
    expect(ephemerals()).toBe(before + 2);
  });

  test('a job that died between posting and recording its post updates that post when it runs again', async () => {
    const root = seedThread();
    const conversation = place(generalChannel, root.ts);
    const message = {
      eventId: 'Ev-crash',
      messageId: `${generalChannel}:${root.ts}`,
      conversation,
      author: { id: people.alice.id, name: 'Alice' },
      text: 'help',
      via: 'mention' as const,
      receivedAt: new Date().toISOString(),
    };
    const jobId = 'job-died-after-post';
    const firstRun = createResponder({ platform: platform(), store: harness.store, message, jobId });
    const first = await firstRun.send({ markdown: 'Working on it…' });
    // The process died right after the post: the record of the posted message is gone.
    await harness.store.delete(`posted:${jobId}`);
    const before = harness.fake.state.botMessages().length;
    const secondRun = createResponder({ platform: platform(), store: harness.store, message, jobId });
    const second = await secondRun.send({ markdown: 'The answer' });
    expect(second).toEqual(first);
    expect(harness.fake.state.botMessages().length).toBe(before);
    const shown = harness.fake.state.message(generalChannel, first.id);
    expect(shown && harness.fake.state.visibleText(shown)).toContain('The answer');
    // A different job still posts its own message.
    const otherJob = createResponder({
      platform: platform(),
      store: harness.store,
      message,
      jobId: 'another-job',
    });
    await otherJob.send({ markdown: 'Another answer' });
    expect(harness.fake.state.botMessages().length).toBe(before + 1);
  });

  test('a very long answer is split into sections, kept within 50 blocks and the text Slack takes', async () => {
    const paragraph = `${'All work and no play makes a dull summary. '.repeat(40)}\n\n`;
    const ref = await platform().post(place(generalChannel), {
      markdown: paragraph.repeat(120),
      buttons: [{ label: 'Done', skill: 'todo', action: 'done', value: 'x' }],
    });
    const stored = harness.fake.state.message(generalChannel, ref.id)!;
    expect(stored.blocks!.length).toBeLessThanOrEqual(50);
    const sections = stored.blocks!.filter((block) => block.type === 'section');
    expect(sections.length).toBeGreaterThan(3);
    expect(blockTextLength(stored.blocks)).toBeLessThanOrEqual(blockTextBudget);
    for (const block of sections)
      expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
    expect(harness.fake.state.visibleText(stored)).toContain('the answer was cut here');
    expect(stored.blocks!.at(-1)?.type).toBe('actions');
  });

  test('a 429 is waited out; a Retry-After beyond the budget fails at once, as retryable', async () => {
    harness.waits.length = 0;
    harness.fake.fail({ method: 'chat.postMessage', times: 1, status: 429, retryAfter: 2 });
    const ref = await platform().post(place(generalChannel), { markdown: 'after the limit' });
    expect(harness.fake.state.message(generalChannel, ref.id)).toBeDefined();
    expect(harness.waits.some((wait) => wait >= 2000 && wait < 3000)).toBe(true);

    harness.waits.length = 0;
    harness.fake.fail({ method: 'chat.postMessage', times: 1, status: 429, retryAfter: 120 });
    await expect(platform().post(place(generalChannel), { markdown: 'never' })).rejects.toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    expect(harness.waits).toEqual([]);
  });

  test('server errors are retried for reads but not for posts (a post is never doubled)', async () => {
    const root = seedThread();
    const before = harness.fake.callsTo('conversations.replies').length;
    harness.fake.fail({ method: 'conversations.replies', times: 2, status: 500 });
    const result = await platform().history(place(generalChannel, root.ts), { thread: root.ts, limit: 10 });
    expect(result.messages).toHaveLength(6);
    expect(harness.fake.callsTo('conversations.replies').length - before).toBe(3);

    const postsBefore = harness.fake.callsTo('chat.postMessage').length;
    harness.fake.fail({ method: 'chat.postMessage', times: 1, status: 503 });
    await expect(platform().post(place(generalChannel), { markdown: 'maybe' })).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
    expect(harness.fake.callsTo('chat.postMessage').length - postsBefore).toBe(1);
  });

  test('message links are permalinks, and a pasted permalink resolves back to its thread', async () => {
    const root = seedThread();
    const reply = harness.fake.state.thread(generalChannel, root.ts)[2];
    const link = await platform().messageLink!(place(generalChannel, root.ts), reply.ts);
    expect(link).toBe(
      `https://deskmate-test.slack.com/archives/${generalChannel}/p${reply.ts.replace('.', '')}?thread_ts=${root.ts}&cid=${generalChannel}`,
    );
    const pastedIn = place(generalChannel);
    const linked = await platform().resolveLink!(link!, pastedIn);
    expect(linked).toEqual({ conversation: place(generalChannel, root.ts), messageId: reply.ts });
    expect(
      await platform().resolveLink!('https://other-team.slack.com/archives/C1/p1700000000000100', pastedIn),
    ).toBeUndefined();
    expect(
      await platform().resolveLink!('https://example.com/archives/C1/p1700000000000100', pastedIn),
    ).toBeUndefined();
  });

  test('pasted links: Grid org hosts, channel links and web client links resolve; other workspaces do not', async () => {
    const pastedIn = place(generalChannel);
    const resolve = (url: string) => platform().resolveLink!(url, pastedIn);
    const teamId = harness.fake.state.teamId;
    expect(
      await resolve(`https://acme.enterprise.slack.com/archives/${generalChannel}/p1700000000000100`),
    ).toEqual({
      conversation: place(generalChannel, '1700000000.000100'),
      messageId: '1700000000.000100',
    });
    expect(await resolve(`https://deskmate-test.slack.com/archives/${generalChannel}`)).toEqual({
      conversation: place(generalChannel),
    });
    expect(await resolve(`https://acme.enterprise.slack.com/archives/${generalChannel}/`)).toEqual({
      conversation: place(generalChannel),
    });
    expect(await resolve(`https://app.slack.com/client/${teamId}/${generalChannel}`)).toEqual({
      conversation: place(generalChannel),
    });
    expect(
      await resolve(
        `https://app.slack.com/client/${teamId}/${generalChannel}/thread/${generalChannel}-1700000000.000100`,
      ),
    ).toEqual({ conversation: place(generalChannel, '1700000000.000100'), messageId: '1700000000.000100' });
    expect(await resolve(`https://app.slack.com/client/E0ORG/${generalChannel}`)).toEqual({
      conversation: place(generalChannel),
    });
    expect(await resolve(`https://app.slack.com/client/T0OTHERTEAM/${generalChannel}`)).toBeUndefined();
    expect(await resolve(`https://other-team.slack.com/archives/${generalChannel}`)).toBeUndefined();
    expect(
      await resolve(`https://enterprise.slack.com.example.com/archives/${generalChannel}`),
    ).toBeUndefined();
    expect(await resolve(`https://app.slack.com/huddle/${teamId}/${generalChannel}`)).toBeUndefined();
  });

  test('a message is prepared with names, timezone and locale from the profiles', async () => {
    const conversation = {
      platform: 'slack' as const,
      workspace: 'T',
      channel: generalChannel,
      kind: 'group' as const,
    };
    const prepared = await platform().prepareMessage!({
      eventId: 'e',
      messageId: 'm',
      conversation,
      author: { id: people.zhang.id },
      text: `ask @${people.alice.id} in #${generalChannel}`,
      mentions: [{ id: people.alice.id }],
      via: 'mention',
      receivedAt: '',
    });
    expect(prepared.author).toEqual({ id: people.zhang.id, name: '张三', timezone: 'Asia/Shanghai' });
    expect(prepared.locale).toBe('zh-CN');
    expect(prepared.text).toBe('ask @Alice in #general');
    expect(prepared.mentions).toEqual([{ id: people.alice.id, name: 'Alice' }]);
    const stranger = await platform().prepareMessage!({ ...prepared, author: { id: people.stranger.id } });
    expect(stranger.author.timezone).toBeUndefined();
  });
});
