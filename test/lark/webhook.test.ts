import { randomBytes } from 'node:crypto';
import type { EnqueueOutcome, JobQueue } from '../../src/core/job-queue';
import {
  cardActionEvent,
  deliver,
  encryptPayload,
  larkFixture,
  menuEvent,
  messageEvent,
  postRaw,
  signatureHeaders,
} from '../fakes/lark-events';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { chunkedUploadUntilAnswer } from '../helpers/raw-http';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

describe('Lark webhook, end to end through the SDK', () => {
  let harness: LarkHarness;
  let queueDown = false;

  beforeAll(async () => {
    harness = await startLarkHarness({
      wrapQueue: (queue): JobQueue => ({
        ...queue,
        enqueue: (message): Promise<EnqueueOutcome> =>
          queueDown ? Promise.reject(new Error('Redis is unreachable')) : queue.enqueue(message),
      }),
    });
  });
  afterAll(() => harness.stop());

  const botMessagesAfter = (count: number) => harness.fake.state.botMessages().slice(count);

  test('an encrypted, signed group mention gets a threaded reply', async () => {
    const before = harness.fake.state.botMessages().length;
    const { message, payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    const answer = await deliver(harness.eventsUrl, payload, harness.encryptKey);
    expect(answer.status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].chatId).toBe(groupChatId);
    expect(replies[0].rootId).toBe(message.messageId);
    expect(replies[0].threadId).toMatch(/^omt_/);
    expect(harness.fake.state.visibleText(replies[0])).toContain('Deskmate');
  });

  test('a direct message gets a reply in the direct chat', async () => {
    const direct = harness.fake.state.directChat(people.alice.openId);
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: direct.chatId,
      userId: people.alice.openId,
      text: '帮助',
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].chatId).toBe(direct.chatId);
    expect(replies[0].rootId).toBeUndefined();
    expect(harness.fake.state.visibleText(replies[0])).toContain('办公助手');
  });

  test('the same event delivered twice is answered once', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });

  test('a group message that does not mention the bot is not answered', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: 'lunch?',
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(0);
  });

  test('a bad signature, an old timestamp, or a wrong verification token is refused with 401', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    const body = encryptPayload(payload, harness.encryptKey);
    const forged = { ...signatureHeaders(body, harness.encryptKey), 'x-lark-signature': 'f'.repeat(64) };
    expect((await postRaw(harness.eventsUrl, body, forged)).status).toBe(401);
    expect((await postRaw(harness.eventsUrl, body, signatureHeaders(body, 'someone-elses-key'))).status).toBe(
      401,
    );
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect(
      (await deliver(harness.eventsUrl, payload, harness.encryptKey, { timestamp: tenMinutesAgo })).status,
    ).toBe(401);
    expect((await postRaw(harness.eventsUrl, body)).status).toBe(401);
    const wrongToken = { ...payload, header: { ...(payload.header as object), token: 'not-the-token' } };
    expect((await deliver(harness.eventsUrl, wrongToken, harness.encryptKey)).status).toBe(401);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(0);
  });

  test('garbage in `encrypt` is answered 400 and the process keeps serving', async () => {
    for (const garbage of ['AAAAgarbage==', 'not base64 at all', randomBytes(48).toString('base64')]) {
      const body = JSON.stringify({ encrypt: garbage });
      expect(
        (await postRaw(harness.eventsUrl, body, signatureHeaders(body, harness.encryptKey))).status,
      ).toBe(400);
    }
    expect((await postRaw(harness.eventsUrl, '{not json', {})).status).toBe(400);
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });

  test('a 2 MB body is refused with 413', async () => {
    const body = JSON.stringify({ encrypt: 'A'.repeat(2 * 1024 * 1024) });
    const answer = await postRaw(harness.eventsUrl, body, signatureHeaders(body, harness.encryptKey));
    expect(answer.status).toBe(413);
  });

  test('the signature is checked before anything is parsed: a forged or unsigned body that is not JSON is 401', async () => {
    const notJson = `{"encrypt":"${'x'.repeat(8 * 1024)}`;
    const forged = signatureHeaders(notJson, 'someone-elses-key');
    expect((await postRaw(harness.eventsUrl, notJson, forged)).status).toBe(401);
    // Unsigned, only a body small enough to be the URL challenge is parsed.
    expect((await postRaw(harness.eventsUrl, notJson)).status).toBe(401);
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

  test('the URL challenge is answered, and other paths are 404', async () => {
    const challenge = larkFixture<{ challenge: string; token: string }>('url-verification.json');
    challenge.token = harness.fake.verificationToken;
    const answer = await postRaw(harness.eventsUrl, encryptPayload(challenge, harness.encryptKey));
    expect(answer).toEqual({ status: 200, body: { challenge: challenge.challenge } });
    expect((await postRaw(`${harness.serverUrl}/lark/other`, '{}')).status).toBe(404);
  });

  test('when the queue is down the event is answered 503, and Lark’s retry is then answered once', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    queueDown = true;
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(503);
    queueDown = false;
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    expect(botMessagesAfter(before)).toHaveLength(1);
  });

  test('a bot menu click is answered in the person’s direct chat', async () => {
    const before = harness.fake.state.botMessages().length;
    const menu = menuEvent(harness.fake, { userId: people.zhangsan.openId, eventKey: 'help' });
    expect((await deliver(harness.eventsUrl, menu, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const replies = botMessagesAfter(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].chatId).toBe(harness.fake.state.directChat(people.zhangsan.openId).chatId);
    expect(harness.fake.state.visibleText(replies[0])).toContain('Deskmate');
  });

  test('a click on a Deskmate button is acknowledged with a toast and reaches the skill', async () => {
    const card = harness.fake.state.botMessages().find((message) => message.chatId === groupChatId);
    if (!card) throw new Error('an earlier test leaves a Deskmate reply in the group');
    const before = harness.fake.state.botMessages().length;
    const event = cardActionEvent(harness.fake, {
      userId: people.alice.openId,
      chatId: groupChatId,
      messageId: card.messageId,
      value: { deskmate: 1, skill: 'todo', action: 'done', value: '41', kind: 'group' },
    });
    const answer = await deliver(harness.eventsUrl, event, harness.encryptKey);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { i18n: { zh_cn: '处理中…' } } });
    await harness.pipeline.drain();
    // The todo skill, which owns the Done buttons, answered in the card about the todo the button named.
    expect(botMessagesAfter(before)).toHaveLength(0);
    expect(harness.fake.state.visibleText(card)).toContain('#41');
  });
});

describe('Lark webhook: what the skills receive', () => {
  let harness: LarkHarness;
  const llm = new ScriptedLlm([], { text: 'noted' });

  beforeAll(async () => {
    harness = await startLarkHarness({ llm });
  });
  afterAll(() => harness.stop());

  test('`@_user_N` becomes the person’s name and the bot’s own mention is removed', async () => {
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} what did {mention:1} decide?',
      mentions: ['bot', { openId: people.zhangsan.openId, name: '张三' }],
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const asked = llm.requests.at(-1)?.messages.at(-1)?.content;
    expect(asked).toBe('what did @张三 decide?');
    const reply = harness.fake.state.botMessages().at(-1);
    expect(reply && harness.fake.state.visibleText(reply)).toBe('noted');
  });
});
