import { createSkills } from '../../src/skills';
import { deliver, fileMessageEvent, messageEvent } from '../fakes/lark-events';
import { docBlocks } from '../fakes/lark-state';
import { documentFixture, documentModel, piecesIn, userTurn } from '../helpers/document-model';
import { groupChatId, type LarkHarness, people, startLarkHarness } from './lark-harness';

const docHost = 'https://deskmate-test.feishu.cn';

describe('files and Docs on Lark, end to end through the real SDK and the fake open API', () => {
  let harness: LarkHarness;
  const llm = documentModel({
    summary: (request) => {
      const pieces = piecesIn(request);
      return {
        text: `**摘要** 文档要点 ${pieces.map((piece) => `[${piece.number}]`).join('')} 以及编造的 [77]。`,
      };
    },
  });

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm });
    const state = harness.fake.state;
    state.addDoc({
      token: 'doxcnTenantBudget01',
      title: 'Budget 2027',
      blocks: docBlocks('Budget 2027', [
        '# Budget',
        'Marketing is capped at 1.2 million.',
        '## Q3',
        'Q3 spend was 0.9 million.',
        '# 进度',
        '第一阶段十月完成。',
      ]),
      linkShare: 'tenant_readable',
      members: [],
    });
    state.addDoc(
      {
        token: 'doxcnBoardOnly0001',
        title: 'Board minutes',
        blocks: docBlocks('Board minutes', ['# Acquisition', 'The offer is 42 million, confidential.']),
        linkShare: 'closed',
        members: [{ member_type: 'openid', member_id: people.alice.openId, perm: 'view' }],
      },
      'wikcnBoardNode0001',
    );
  });
  afterAll(() => harness.stop());

  const sentSince = (count: number) => harness.fake.state.botMessages().slice(count);
  const textOf = (count: number) =>
    sentSince(count)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');

  test('a file sent to Deskmate in a direct chat is summarized with page citations', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = fileMessageEvent(harness.fake, {
      userId: people.alice.openId,
      name: 'report.pdf',
      bytes: documentFixture('report.pdf'),
    });
    expect((await deliver(harness.eventsUrl, payload, harness.encryptKey)).status).toBe(200);
    await harness.pipeline.drain();
    const text = textOf(before);
    expect(text).toContain('report.pdf');
    expect(text).toContain('文档要点');
    expect(text).toMatch(/第 1 页|p\. 1/);
    expect(text).not.toContain('[77]');
    expect(harness.fake.requestsTo('GET', /\/im\/v1\/messages\/[^/]+\/resources\//)).toHaveLength(1);
    expect(userTurn(llm.requests.at(-1) ?? ({ messages: [] } as never))).toContain(
      '市场费用上限为 120 万元。',
    );
  });

  test('a reply to a file in a group (总结) reads the file it replies to, and answers in Chinese', async () => {
    const state = harness.fake.state;
    const shared = state.userSendsFile({
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      name: 'plan.docx',
      bytes: documentFixture('plan.docx'),
    });
    const before = state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: '{mention:0} 总结',
      mentions: ['bot'],
      parentId: shared.messageId,
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const text = textOf(before);
    expect(text).toContain('plan.docx 的总结');
    expect(text).toContain('[§ 进度 › 第一阶段]');
  });

  test('a Doc link whose sharing lets the tenant read it is summarized by section, linked to the Doc', async () => {
    const before = harness.fake.state.botMessages().length;
    const link = `${docHost}/docx/doxcnTenantBudget01`;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      text: `{mention:0} summarize ${link}`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = sentSince(before);
    const answer = sent.find(
      (message) =>
        message.chatId === groupChatId &&
        harness.fake.state.visibleText(message).includes('Summary of Budget 2027'),
    );
    const text = answer ? harness.fake.state.visibleText(answer) : textOf(before);
    expect(text).toContain('Summary of Budget 2027');
    expect(text).toContain(`[[§ Budget › Q3]](${link})`);
    expect(text).toContain(`[[§ 进度]](${link})`);
    expect(text).not.toContain('Only you can see this');
    expect(
      harness.fake.requestsTo('GET', /\/docx\/v1\/documents\/doxcnTenantBudget01\/blocks$/),
    ).toHaveLength(1);
  });

  test('a Doc the requester may not read is refused privately: its content is never fetched nor sent to the model', async () => {
    const before = harness.fake.state.botMessages().length;
    const requestsBefore = llm.requests.length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.zhangsan.openId,
      text: `{mention:0} summarize ${docHost}/wiki/wikcnBoardNode0001`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const sent = sentSince(before);
    const direct = harness.fake.state.directChat(people.zhangsan.openId).chatId;
    expect(sent.map((message) => message.chatId)).toEqual([direct]);
    expect(harness.fake.state.visibleText(sent[0])).toContain("I won't read that document for you");
    expect(harness.fake.requestsTo('GET', /\/docx\/v1\/documents\/.*\/blocks$/)).toHaveLength(1);
    expect(llm.requests.length).toBe(requestsBefore);
    expect(llm.requests.map((request) => JSON.stringify(request.messages)).join('\n')).not.toContain(
      '42 million',
    );
  });

  test('a member of a members-only Doc gets it through its Wiki link, privately when asked in a group', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = messageEvent(harness.fake, {
      chatId: groupChatId,
      userId: people.alice.openId,
      text: `{mention:0} summarize ${docHost}/wiki/wikcnBoardNode0001`,
      mentions: ['bot'],
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const direct = harness.fake.state.directChat(people.alice.openId).chatId;
    const sent = sentSince(before);
    const answer = sent.find((message) => message.chatId === direct);
    expect(answer && harness.fake.state.visibleText(answer)).toContain('Summary of Board minutes');
    expect(answer && harness.fake.state.visibleText(answer)).toContain(
      'Only you can see this: it comes from a document',
    );
    expect(
      sent
        .filter((message) => message.chatId === groupChatId)
        .map((message) => harness.fake.state.visibleText(message))
        .join('\n'),
    ).not.toContain('文档要点');
    expect(userTurn(llm.requests.at(-1) ?? ({ messages: [] } as never))).toContain('The offer is 42 million');
  });
});

describe('Lark downloads stop at DOCUMENT_MAX_BYTES', () => {
  let harness: LarkHarness;
  const llm = documentModel();

  beforeAll(async () => {
    harness = await startLarkHarness({
      mode: 'webhook',
      llm,
      skills: createSkills({ documents: { maxBytes: 1024 * 1024 } }),
    });
  });
  afterAll(() => harness.stop());

  test('a file over the limit is refused by its size, in the sender’s language, with no model call', async () => {
    const before = harness.fake.state.botMessages().length;
    const { payload } = fileMessageEvent(harness.fake, {
      userId: people.alice.openId,
      name: '会议记录.txt',
      bytes: Buffer.from('会议记录，一行又一行。\n'.repeat(50_000)),
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const text = harness.fake.state
      .botMessages()
      .slice(before)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');
    expect(text).toContain('这个文件有 1.6 MB，超过了可读取的上限 1 MB');
    expect(llm.requests).toHaveLength(0);
  });

  test('the port itself stops a download at the limit it is given', async () => {
    const message = harness.fake.state.userSendsFile({
      chatId: harness.fake.state.directChat(people.alice.openId).chatId,
      userId: people.alice.openId,
      name: 'big.bin.txt',
      bytes: Buffer.alloc(3 * 1024 * 1024, 97),
    });
    const fileKey = (JSON.parse(message.content) as { file_key: string }).file_key;
    const files = harness.adapter.platform.files;
    const conversation = {
      platform: 'lark' as const,
      workspace: 'tenant-fake',
      channel: message.chatId,
      kind: 'dm' as const,
    };
    await expect(
      files?.read(
        { id: fileKey, messageId: message.messageId, conversation },
        { maxBytes: 1024 * 1024, timeoutMilliseconds: 10_000 },
      ),
    ).rejects.toMatchObject({ code: 'document_too_large' });
    const read = await files?.read(
      { id: fileKey, messageId: message.messageId, conversation },
      { maxBytes: 4 * 1024 * 1024, timeoutMilliseconds: 10_000 },
    );
    expect(read?.bytes.length).toBe(3 * 1024 * 1024);
  });
});

describe('Lark without the file permissions', () => {
  let harness: LarkHarness;

  beforeAll(async () => {
    harness = await startLarkHarness({ mode: 'webhook', llm: documentModel() });
  });
  afterAll(() => harness.stop());

  test('a missing im:resource is said as such (not as a missing model)', async () => {
    harness.fake.fail({
      path: /\/resources\//,
      times: 1,
      status: 400,
      code: 99991672,
      msg: 'Access denied. One of the following scopes is required: [im:resource]',
    });
    const before = harness.fake.state.botMessages().length;
    const { payload } = fileMessageEvent(harness.fake, {
      userId: people.alice.openId,
      name: 'report.pdf',
      bytes: documentFixture('report.pdf'),
    });
    await deliver(harness.eventsUrl, payload, harness.encryptKey);
    await harness.pipeline.drain();
    const text = harness.fake.state
      .botMessages()
      .slice(before)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');
    expect(text).toContain('the Lark app is missing a permission it needs (im:resource');
    expect(text).not.toContain('No language model');
  });
});
