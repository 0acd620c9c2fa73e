import type { EnqueueOutcome, JobQueue } from '../../src/core/job-queue';
import { createSkills } from '../../src/skills';
import {
  buttonClick,
  deliverCommand,
  deliverEvent,
  deliverInteraction,
  directMessageEvent,
  mentionEvent,
  messageEventFor,
  postSigned,
  slackFixture,
  slashCommand,
} from '../fakes/slack-events';
import { chunkedUploadUntilAnswer } from '../helpers/raw-http';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';
import { confirmSkill, echoSkill } from './test-skills';

describe('Slack over HTTP, end to end through the real Bolt app', () => {
  let harness: SlackHarness;
  let queueDown = false;

  beforeAll(async () => {
    harness = await startSlackHarness({
      skills: [...createSkills(), confirmSkill, echoSkill],
      wrapQueue: (queue): JobQueue => ({
        ...queue,
        enqueue: (message): Promise<EnqueueOutcome> =>
          queueDown ? Promise.reject(new Error('Redis is unreachable')) : queue.enqueue(message),
      }),
    });
  });
  afterAll(() => harness.stop());

  const botMessagesAfter = (count: number) => harness.fake.state.botMessages().slice(count);
  const visible = (index: number, messages = harness.fake.state.botMessages()) =>
    harness.fake.state.visibleText(messages[index]);

  test('a signed mention inside a thread is answered in that thread, with the mention removed', async () => {
    const root = harness.fake.state.userSays({
      channel: generalChannel,
      user: people.zhang.id,
      text: 'release plan?',
    });
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
      threadTs: root.ts,
    });
    const answer = await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].channel).toBe(generalChannel);
    expect(replies[0].threadTs).toBe(root.ts);
    expect(visible(0, replies)).toContain('Deskmate');
    const post = harness.fake.callsTo('chat.postMessage').at(-1);
    expect(post?.args).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false', thread_ts: root.ts });
  });

  test('a top-level mention is answered in a thread under it', async () => {
    const before = harness.fake.state.botMessages().length;
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].threadTs).toBe(message.ts);
  });

  test('a direct message is answered in the direct conversation, at the top level', async () => {
    const before = harness.fake.state.botMessages().length;
    const { message, envelope } = directMessageEvent(harness.fake, { user: people.zhang.id, text: '帮助' });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].channel).toBe(message.channel);
    expect(replies[0].threadTs).toBeUndefined();
    expect(visible(0, replies)).toContain('办公助手');
  });

  test('a retried delivery, and the same post as app_mention and message, get one answer', async () => {
    const before = harness.fake.state.botMessages().length;
    const { message, envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    const secret = harness.fake.signingSecret;
    expect((await deliverEvent(harness.eventsUrl, envelope, secret)).status).toBe(200);
    expect((await deliverEvent(harness.eventsUrl, envelope, secret, { retryNum: 1 })).status).toBe(200);
    expect((await deliverEvent(harness.eventsUrl, envelope, secret, { retryNum: 2 })).status).toBe(200);
    const asMessage = messageEventFor(harness.fake, message, 'channel');
    expect((await deliverEvent(harness.eventsUrl, asMessage, secret)).status).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });

  test('a forged signature is refused with 401 and nothing is queued', async () => {
    const before = harness.fake.state.botMessages().length;
    const depthBefore = await harness.pipeline.queue.depth();
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    const forged = await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret, {
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(401);
    const wrongSecret = await deliverEvent(harness.eventsUrl, envelope, 'not-the-signing-secret');
    expect(wrongSecret.status).toBe(401);
    const unsigned = await fetch(harness.eventsUrl, { method: 'POST', body: JSON.stringify(envelope) });
    expect(unsigned.status).toBe(401);
    expect(await harness.pipeline.queue.depth()).toBe(depthBefore);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(0);
  });

  test('timestamps more than five minutes old or ahead are refused with 401', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    const now = Math.floor(Date.now() / 1000);
    const secret = harness.fake.signingSecret;
    expect(
      (await deliverEvent(harness.eventsUrl, envelope, secret, { timestamp: now - 6 * 60 })).status,
    ).toBe(401);
    expect(
      (await deliverEvent(harness.eventsUrl, envelope, secret, { timestamp: now + 6 * 60 })).status,
    ).toBe(401);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(0);
    // Within the window, either way, it is accepted.
    expect((await deliverEvent(harness.eventsUrl, envelope, secret, { timestamp: now + 60 })).status).toBe(
      200,
    );
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });

  test('the URL challenge is answered, and a malformed body gets 400', async () => {
    const challenge = slackFixture<Record<string, unknown>>('url-verification.json');
    const answer = await deliverEvent(harness.eventsUrl, challenge, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ challenge: challenge.challenge });
    const malformed = await postSigned(harness.eventsUrl, '{"type":', harness.fake.signingSecret, {
      contentType: 'application/json',
    });
    expect(malformed.status).toBe(400);
  });

  test('a chunked body past the 1 MB limit is answered 413 as soon as the limit is passed, not read to its end', async () => {
    const answer = await chunkedUploadUntilAnswer(harness.eventsUrl, {
      pieceBytes: 64 * 1024,
      maxBytes: 256 * 1024 * 1024,
    });
    expect(answer.status).toBe(413);
    // The client was still sending: what it had handed to the kernel is the limit plus the socket buffers.
    expect(answer.sentBeforeAnswer).toBeLessThan(8 * 1024 * 1024);
  });

  test('/summarize is acknowledged at once with a private "working on it", then answered privately to the asker', async () => {
    for (const text of [
      'We ship on Friday',
      'I will write the release notes',
      'Decision: freeze on Thursday',
    ]) {
      harness.fake.state.userSays({ channel: generalChannel, user: people.zhang.id, text });
    }
    const before = harness.fake.state.botMessages().length;
    const postsBefore = harness.fake.callsTo('chat.postMessage').length;
    const fields = slashCommand(harness.fake, {
      command: '/summarize',
      text: 'last 24h',
      user: people.alice.id,
      channel: generalChannel,
    });
    const answer = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    // The acknowledgement is shown only to the asker (no response_url use) and says the answer is coming.
    expect(JSON.parse(answer.text)).toEqual({
      response_type: 'ephemeral',
      text: 'Working on it… only you will see the answer.',
    });
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    // One answer, complete, visible only to Alice: no placeholder, nothing public in the channel.
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe(people.alice.id);
    expect(harness.fake.callsTo('chat.postMessage').length).toBe(postsBefore);
    const final = harness.fake.state.visibleText(replies.at(-1)!);
    expect(final).toContain('Summary of this channel');
    expect(final).toContain('freeze on Thursday');
    // Citations are Slack links to the cited messages.
    expect(final).toMatch(/<https:\/\/deskmate-test\.slack\.com\/archives\/C0GENERAL\/p\d{16}\|\[\d+\]>/);
    expect(replies.at(-1)?.threadTs).toBeUndefined();
  });

  test('/deskmate takes a command word; a form with "; charset=utf-8" is read too', async () => {
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: 'echo hello & goodbye',
      user: people.alice.id,
      channel: generalChannel,
    });
    const answer = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(answer.status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(harness.fake.state.visibleText(replies[0])).toContain('You said: hello &amp; goodbye');
    expect(replies[0].visibleTo).toBe(people.alice.id);
  });

  test('a bare /deskmate shows the help', async () => {
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: '',
      user: people.alice.id,
      channel: generalChannel,
    });
    const answer = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    // The help follows at once: no "working on it" before it.
    expect(answer.text).toBe('');
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(harness.fake.state.visibleText(replies[0])).toContain('office assistant');
    expect(replies[0].visibleTo).toBe(people.alice.id);
  });

  test('a slash command in the direct message with Deskmate is answered there in the open, to stay after a reload', async () => {
    const direct = harness.fake.state.directChannel(people.alice.id).id;
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: 'echo kept',
      user: people.alice.id,
      channel: direct,
    });
    const answer = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
    expect(JSON.parse(answer.text)).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].channel).toBe(direct);
    expect(replies[0].visibleTo).toBeUndefined();
    expect(harness.fake.state.visibleText(replies[0])).toContain('You said: kept');
  });

  test('a slash command in a direct message between two people stays private to the asker', async () => {
    const between = harness.fake.state.addChannel({
      id: 'D0ALICEZHANG',
      name: 'D0ALICEZHANG',
      members: [people.alice.id, people.zhang.id],
      isIm: true,
    });
    const before = harness.fake.state.botMessages().length;
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: 'echo between us',
      user: people.alice.id,
      channel: between.id,
    });
    await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe(people.alice.id);
    expect(harness.fake.state.visibleText(replies[0])).toContain('You said: between us');
  });

  test('a slash command in Chinese is acknowledged in Chinese', async () => {
    const fields = slashCommand(harness.fake, {
      command: '/deskmate',
      text: 'echo 大家好，周五发布',
      user: people.alice.id,
      channel: generalChannel,
    });
    const answer = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
    expect(JSON.parse(answer.text).text).toBe('正在处理…回答只有你能看到。');
    await harness.pipeline.drain();
  });

  test('mass mentions in an answer notify nobody; only the asker is really mentioned', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} echo <!channel> look',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const reply = botMessagesAfter(before)[0];
    const everything = `${reply.text}\n${JSON.stringify(reply.blocks)}`;
    expect(everything).not.toMatch(/<!(channel|here|everyone)/);
    expect(everything).not.toMatch(/(^|[^\u200b])@(channel|here|everyone)\b/);
    expect(everything).toContain(`<@${people.alice.id}>`);
    expect(harness.fake.state.visibleText(reply)).toContain('You said: @\u200bchannel look');
  });

  test('people and channels named in a mention are read by name: looked up once, then from the store', async () => {
    // People and a channel no other test has named, so the first mention really looks them up.
    const lisi = harness.fake.state.addUser({ id: 'U0LISI001', name: 'lisi', displayName: '李四' });
    const wang = harness.fake.state.addUser({ id: 'U0WANG001', name: 'wangwu', displayName: '王五' });
    const design = 'C0DESIGN';
    harness.fake.state.addChannel({ id: design, name: 'design', members: [people.alice.id, lisi.id] });
    const lookups = () => ({
      users: harness.fake
        .callsTo('users.info')
        .filter((call) => [lisi.id, wang.id].includes(String(call.args.user))).length,
      allUsers: harness.fake.callsTo('users.info').length,
      channel: harness.fake.callsTo('conversations.info').filter((call) => call.args.channel === design)
        .length,
    });
    const ask = async () => {
      const before = harness.fake.state.botMessages().length;
      const { envelope } = mentionEvent(harness.fake, {
        channel: generalChannel,
        user: people.alice.id,
        text: `{bot} echo ask <@${lisi.id}> and <@${wang.id}> in <#${design}>`,
      });
      expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
      await harness.pipeline.drain();
      return harness.fake.state.visibleText(botMessagesAfter(before)[0]);
    };
    expect(await ask()).toContain('You said: ask @李四 and @王五 in #design.');
    const first = lookups();
    expect(first).toMatchObject({ users: 2, channel: 1 });
    // A second mention naming the same people and channel is served from the store: no Web API lookup.
    expect(await ask()).toContain('You said: ask @李四 and @王五 in #design.');
    expect(lookups()).toEqual(first);
  });

  test('a button click reaches the skill that owns the button', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} confirm',
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const question = botMessagesAfter(before)[0];
    expect(harness.fake.state.visibleText(question)).toContain('[Create] [Cancel]');
    const click = buttonClick(harness.fake, {
      user: people.zhang.id,
      message: question,
      actionId: 'deskmate:confirm:create:0',
    });
    const answer = await deliverInteraction(harness.eventsUrl, click, harness.fake.signingSecret);
    expect(answer.status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(2);
    expect(harness.fake.state.visibleText(replies[1])).toContain('Clicked _create_ with {"id":"t1"} by 张三');
    expect(replies[1].threadTs).toBe(question.threadTs);
  });

  test('messages from bots, Deskmate included, and edits are not answered; a person after them is', async () => {
    const before = harness.fake.state.botMessages().length;
    const channel = generalChannel;
    const deliver = async (envelope: Parameters<typeof deliverEvent>[1]) =>
      expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    const botPost = mentionEvent(harness.fake, { channel, user: people.otherBot.id, text: '{bot} help' });
    botPost.envelope.event.bot_id = 'B0OTHERBOT';
    await deliver(botPost.envelope);
    const botDirect = directMessageEvent(harness.fake, { user: people.otherBot.id, text: 'help' });
    botDirect.envelope.event.bot_id = 'B0OTHERBOT';
    await deliver(botDirect.envelope);
    const own = directMessageEvent(harness.fake, { user: people.alice.id, text: 'help' });
    own.envelope.event.user = harness.fake.state.botUserId;
    own.envelope.event.bot_id = harness.fake.state.botId;
    await deliver(own.envelope);
    const edit = directMessageEvent(harness.fake, { user: people.alice.id, text: 'help' });
    edit.envelope.event.subtype = 'message_changed';
    await deliver(edit.envelope);
    const chatter = harness.fake.state.userSays({ channel, user: people.alice.id, text: 'lunch?' });
    await deliver(messageEventFor(harness.fake, chatter, 'channel'));
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(0);
    // The same route answers a person: the silence above is the filters', not a broken pipeline's.
    const person = directMessageEvent(harness.fake, { user: people.alice.id, text: 'help' });
    await deliver(person.envelope);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].channel).toBe(person.message.channel);
  });

  test('when the queue is down the event is answered 503, and its redelivery is answered once', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} help',
    });
    queueDown = true;
    try {
      expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(503);
      const fields = slashCommand(harness.fake, {
        command: '/deskmate',
        text: 'help',
        user: people.alice.id,
        channel: generalChannel,
      });
      const command = await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret);
      expect(command.status).toBe(200);
      expect(JSON.parse(command.text)).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.parse(command.text).text).toContain('try again');
    } finally {
      queueDown = false;
    }
    expect(
      (await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret, { retryNum: 1 })).status,
    ).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });
});
