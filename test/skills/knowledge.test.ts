import { readVotes } from '../../src/admin/knowledge-data';
import type { ConversationRef } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { LlmRequest } from '../../src/core/llm-provider';
import type { SharedFile } from '../../src/core/shared-file';
import { TestEmbedder } from '../../src/llm/test-embedder';
import { knowledgePrincipals } from '../../src/pipeline/knowledge-access';
import { feedbackTotalsKey } from '../../src/skills/knowledge/feedback';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { MemoryKnowledgeIndex } from '../fakes/memory-knowledge-index';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

const workspace = 'T1';
const privateChannel: ConversationRef = { platform: 'slack', workspace, channel: 'CPRIV', kind: 'group' };
const otherChannel: ConversationRef = { platform: 'slack', workspace, channel: 'CGEN', kind: 'group' };
const aliceDm: ConversationRef = { platform: 'slack', workspace, channel: 'DALICE', kind: 'dm' };
const bobDm: ConversationRef = { platform: 'slack', workspace, channel: 'DBOB', kind: 'dm' };

const secret = 'The travel budget per trip is 4711 euros, approved by the finance lead.';
const travelPolicy = Buffer.from(
  `# Travel\n\n${secret}\n\n# Meals\n\nMeals are covered up to 60 euros a day.`,
);
const chinesePolicy = Buffer.from('# 报销\n\n差旅报销需要在出差结束后十个工作日内提交，由部门经理审批。');

/** A platform whose members are per channel, with files served by id. */
class KnowledgePlatform extends RecordingPlatform {
  readonly channelMembers = new Map<string, Set<string>>();
  readonly reads: string[] = [];
  constructor(files: Record<string, Buffer>) {
    super('slack');
    this.files = {
      read: async (file) => {
        this.reads.push(file.id);
        return { bytes: files[file.id], name: file.name, link: `https://files.example/${file.id}` };
      },
    };
  }
  override async isMember(conversation: ConversationRef, userId: string) {
    this.memberCalls.push({ conversation, userId });
    if (conversation.kind === 'dm') return conversation.channel === `D${userId.toUpperCase()}`;
    return this.channelMembers.get(conversation.channel)?.has(userId) ?? false;
  }
}

function sharedFile(id: string, name: string, conversation: ConversationRef): SharedFile {
  return { id, name, conversation, link: `https://files.example/${id}` };
}

/** A model that answers knowledge questions from its first excerpt, citing [1]; routing picks nothing. */
function citingModel(
  answer = (request: LlmRequest) => `The answer is in the policy [1].${request ? '' : ''}`,
) {
  return new ScriptedLlm([], (request) => ({ text: answer(request) }));
}

/** The text of every request the model received. */
function modelSaw(llm: ScriptedLlm): string {
  return JSON.stringify(llm.requests.map((request) => [request.system, request.messages]));
}

async function run(
  platform: KnowledgePlatform,
  index: MemoryKnowledgeIndex,
  llm: ScriptedLlm | undefined,
  messages: InboundMessage[],
  store = createMemoryStateStore(),
  embed?: TestEmbedder,
) {
  const pipeline = await startTestPipeline({
    platforms: { slack: platform },
    llm,
    store,
    knowledge: { index, ...(embed ? { embed } : {}) },
  });
  for (const message of messages) {
    await pipeline.queue.enqueue(message);
    await pipeline.drain();
  }
  await pipeline.stop();
  return store;
}

function say(text: string, conversation: ConversationRef, user: string, extra: Partial<InboundMessage> = {}) {
  return inboundMessage(text, { conversation, author: { id: user, name: user }, ...extra });
}

describe('knowledge answers, kb commands and who may read what', () => {
  test('a file added in a private channel answers its members there and in the adder’s DM, never elsewhere', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice', 'carol']));
    platform.channelMembers.set('CGEN', new Set(['alice', 'bob', 'carol']));
    platform.audiences.set('CGEN', { openTo: 'workspace', external: false });
    const index = new MemoryKnowledgeIndex();
    const llm = citingModel();
    await run(platform, index, llm, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
    ]);
    expect(platform.visibleMessages().at(-1)).toMatch(/Added travel\.md: 2 sections/);
    const [source] = await index.sources();
    expect(source.access).toEqual(['conversation:slack:T1:CPRIV']);

    // In another channel (even with the adder asking) and for a non-member in their DM: no excerpt reaches the model.
    platform.sends.length = 0;
    await run(platform, index, llm, [
      say('ask what is the travel budget?', otherChannel, 'alice'),
      say('ask what is the travel budget?', bobDm, 'bob'),
    ]);
    expect(modelSaw(llm)).not.toContain('4711');
    expect(platform.visibleMessages().join('\n')).not.toContain('4711');
    expect(platform.visibleMessages()).toEqual([
      expect.stringContaining("I couldn't find this in the knowledge base"),
      expect.stringContaining("I couldn't find this in the knowledge base"),
    ]);

    // A member in the private channel, and the adder in her DM, get a cited answer linked to the file.
    platform.sends.length = 0;
    await run(platform, index, llm, [
      say('ask what is the travel budget?', privateChannel, 'carol'),
      say('ask what is the travel budget?', aliceDm, 'alice'),
    ]);
    expect(modelSaw(llm)).toContain('4711');
    const answers = platform.visibleMessages();
    expect(answers).toHaveLength(2);
    for (const answer of answers) {
      expect(answer).toContain('[travel.md § Travel](https://files.example/F1)');
    }
    const knowledgeRequests = llm.requests.filter((request) => request.purpose === 'ask');
    expect(knowledgeRequests.every((request) => request.tools === undefined)).toBe(true);
    expect(JSON.stringify(knowledgeRequests[0].messages)).toContain('<knowledge>');
  });

  test('kb forget removes a source: the next answer does not use it; only the adder may forget', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice', 'carol']));
    const index = new MemoryKnowledgeIndex();
    const llm = citingModel();
    await run(platform, index, llm, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
      say('kb list', privateChannel, 'carol'),
      say('kb forget 1', privateChannel, 'carol'),
    ]);
    const seen = platform.visibleMessages();
    expect(seen.at(-2)).toMatch(/1\. \[travel\.md\]\(https:\/\/files\.example\/F1\)/);
    expect(seen.at(-1)).toContain('Only the person who added travel.md can forget it.');
    expect(await index.sources()).toHaveLength(1);

    llm.requests.length = 0;
    await run(platform, index, llm, [
      say('kb forget 1', privateChannel, 'alice'),
      say('ask what is the travel budget?', privateChannel, 'carol'),
    ]);
    expect(platform.visibleMessages().at(-2)).toContain('Forgotten: travel.md');
    expect(platform.visibleMessages().at(-1)).toContain("I couldn't find this in the knowledge base");
    expect(modelSaw(llm)).not.toContain('4711');
  });

  test('adding the same version again says it is already there; several files report progress', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy, F2: chinesePolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('kb add', privateChannel, 'alice', {
        files: [sharedFile('F1', 'travel.md', privateChannel), sharedFile('F2', '报销.md', privateChannel)],
      }),
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
      say('kb status', privateChannel, 'alice'),
    ]);
    const progress = platform.sends.filter((send) => send.kind === 'post' || send.kind === 'update');
    expect(progress.map((send) => send.reply.markdown)).toEqual(
      expect.arrayContaining(['_Indexed 0 of 2 files…_', '_Indexed 1 of 2 files…_', '_Indexing travel.md…_']),
    );
    const seen = platform.visibleMessages();
    expect(seen.at(-3)).toContain('Indexed 2 of 2 files.');
    expect(seen.at(-2)).toBe('travel.md is already in the knowledge base (this version).');
    expect(seen.at(-1)).toBe(
      'Knowledge base: memory, 2 sources, 3 chunks, keyword search only. You can see 2 here.',
    );
  });

  test('the same file added again in a second channel is readable in both; the same place again changes nothing', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    platform.channelMembers.set('CGEN', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
      say('kb add', otherChannel, 'alice', { files: [sharedFile('F1', 'travel.md', otherChannel)] }),
      say('kb add', otherChannel, 'alice', { files: [sharedFile('F1', 'travel.md', otherChannel)] }),
    ]);
    const [source] = await index.sources();
    expect(source.access).toEqual(['conversation:slack:T1:CPRIV', 'conversation:slack:T1:CGEN']);
    expect(platform.visibleMessages().slice(-2)).toEqual([
      'Added travel.md: 2 sections.',
      'travel.md is already in the knowledge base (this version).',
    ]);
  });

  test('the Chinese forms list, forget and show status; a folder file cannot be forgotten from chat', async () => {
    const platform = new KnowledgePlatform({ F2: chinesePolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await index.upsert(
      {
        id: 'folder:handbook.md',
        version: 'v1',
        origin: 'folder',
        title: 'handbook.md',
        access: ['everyone'],
        indexedAt: '2026-01-01T00:00:00.000Z',
      },
      [],
    );
    await run(platform, index, undefined, [
      say('知识库 添加', privateChannel, 'alice', { files: [sharedFile('F2', '报销.md', privateChannel)] }),
      say('知识库 列表', privateChannel, 'alice'),
      say('知识库 删除 2', privateChannel, 'alice'),
      say('知识库 删除 1', privateChannel, 'alice'),
      say('知识库 状态', privateChannel, 'alice'),
    ]);
    const [list, folder, forgotten, status] = platform.visibleMessages().slice(-4);
    expect(list).toBe(
      '**你在这里可查看的知识来源：**\n1. [报销.md](https://files.example/F2) (由你添加)\n2. handbook.md (文件夹)',
    );
    expect(folder).toContain('handbook.md 来自知识库文件夹，不能在聊天中删除');
    expect(forgotten).toBe('已删除：报销.md。回答不会再使用它。');
    expect(status).toBe('知识库：memory，1 个来源，0 个片段，仅关键词检索。你在这里可查看 1 个。');
  });

  test('with an embedding model, chunks are stored with vectors (title and heading in front) and questions searched with one', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    const embed = new TestEmbedder();
    await run(
      platform,
      index,
      undefined,
      [
        say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
        say('ask travel budget?', privateChannel, 'alice'),
      ],
      createMemoryStateStore(),
      embed,
    );
    const chunks = index.chunksOf('slack:T1:file:F1');
    expect(chunks.map((chunk) => chunk.vector?.length)).toEqual([256, 256]);
    expect(embed.embedded[0]).toBe(`travel.md\nTravel\n# Travel\n\n${secret}`);
    expect(index.searches.at(-1)?.vector).toHaveLength(256);
    expect(embed.embedded.at(-1)).toBe('travel budget?');
  });

  test('a cited number that was not given is removed; an answer with no valid citation becomes not found with the closest sources', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    const llm = new ScriptedLlm([
      { text: 'The budget is 4711 euros [1][7]. Meals are covered [2] [7].' },
      { text: 'Per the rules it is 4711 euros [7].' },
    ]);
    await run(platform, index, undefined, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
    ]);
    await run(platform, index, llm, [
      say('ask travel budget meals euros', privateChannel, 'alice'),
      say('ask travel budget meals euros', privateChannel, 'alice'),
    ]);
    const given = (JSON.stringify(llm.requests[0].messages).match(/\[\d\] travel\.md/g) ?? []).length;
    expect(given).toBe(2);
    const [answer, invented] = platform.visibleMessages().slice(-2);
    expect(answer).toBe(
      'The budget is 4711 euros [travel.md § Travel](https://files.example/F1). Meals are covered [travel.md § Meals](https://files.example/F1).',
    );
    expect(invented).toBe(
      "I couldn't find this in the knowledge base.\n\nThe closest sources you can see here:\n• [travel.md](https://files.example/F1)",
    );
  });

  test('a Chinese question is answered in Chinese citing a Chinese source; only the asker’s feedback click counts', async () => {
    const platform = new KnowledgePlatform({ F2: chinesePolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice', 'carol']));
    const index = new MemoryKnowledgeIndex();
    const llm = new ScriptedLlm([], (request) =>
      request.purpose === 'ask' ? { text: '差旅报销需在出差结束后十个工作日内提交 [1]。' } : { text: '' },
    );
    const store = createMemoryStateStore();
    await run(
      platform,
      index,
      llm,
      [
        say('知识库 添加', privateChannel, 'alice', { files: [sharedFile('F2', '报销.md', privateChannel)] }),
        say('问 差旅报销什么时候提交？', privateChannel, 'alice', { messageId: 'q-zh' }),
      ],
      store,
    );
    const ask = llm.requests.find((request) => request.purpose === 'ask');
    expect(ask?.system).toContain('Chinese (简体中文)');
    const answerSend = platform.sends.find((send) => send.kind === 'post' && send.reply.buttons?.length);
    if (answerSend?.kind !== 'post') throw new Error('no answer with buttons');
    expect(answerSend.reply.markdown).toBe(
      '差旅报销需在出差结束后十个工作日内提交 [报销.md § 报销](https://files.example/F2)。',
    );
    const [up, down] = answerSend.reply.buttons ?? [];
    expect([up.label, down.label]).toEqual(['👍', '👎']);
    const click = (user: string, button: typeof up) =>
      say('', privateChannel, user, {
        via: 'action',
        action: {
          skill: button.skill,
          action: button.action,
          value: button.value,
          sourceMessageId: answerSend.ref.id,
        },
      });
    await run(platform, index, llm, [click('carol', down)], store);
    expect(platform.visibleMessages().at(-1)).toBe('只有提问的人可以评价这个回答。');
    const answerId = up.value.split(':')[0];
    expect((await store.getJson<{ vote?: string }>(`knowledge-feedback:${answerId}`))?.vote).toBeUndefined();
    await run(platform, index, llm, [click('alice', up)], store);
    expect(platform.visibleMessages().at(-1)).toBe('谢谢，已记录。');
    expect(await store.getJson(`knowledge-feedback:${answerId}`)).toMatchObject({
      asker: 'alice',
      vote: 'up',
      sources: ['slack:T1:file:F2'],
    });
    // The totals the web console shows: only the asker's vote, moved when she changes her mind.
    expect(await store.counters(feedbackTotalsKey)).toEqual({ 'up:slack:T1:file:F2': 1 });
    await run(platform, index, llm, [click('alice', up), click('carol', up)], store);
    expect(await store.counters(feedbackTotalsKey)).toEqual({ 'up:slack:T1:file:F2': 1 });
    await run(platform, index, llm, [click('alice', down)], store);
    expect(await readVotes(store)).toEqual(new Map([['slack:T1:file:F2', { up: 0, down: 1 }]]));
  });

  test('without a model, the best passages with their sources, saying a model would answer better', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
      say('ask travel budget?', privateChannel, 'alice'),
    ]);
    const last = platform.sends.at(-1);
    expect(last?.kind === 'post' && last.reply.footnote).toContain('a model would answer better');
    expect(platform.visibleMessages().at(-1)).toContain(
      `> ${secret}\n— [travel.md § Travel](https://files.example/F1)`,
    );
  });

  test('the model choosing kb add or forget only proposes: nothing changes without the asker’s click', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice', 'carol']));
    const index = new MemoryKnowledgeIndex();
    let next = { id: 't1', name: 'kb', input: { action: 'add' } as Record<string, unknown> };
    const store = createMemoryStateStore();
    const llm = new ScriptedLlm([], (request) =>
      request.purpose === 'route' ? { toolCalls: [next] } : { text: 'ok' },
    );
    await run(
      platform,
      index,
      llm,
      [
        say('please remember this file', privateChannel, 'alice', {
          files: [sharedFile('F1', 'travel.md', privateChannel)],
        }),
      ],
      store,
    );
    expect(await index.sources()).toHaveLength(0);
    expect(platform.reads).toEqual([]);
    const card = platform.sends.at(-1);
    if (card?.kind !== 'post') throw new Error('no card');
    expect(card.reply.markdown).toBe('Add 1 file to the knowledge base?');
    const confirm = card.reply.buttons?.find((button) => button.action === 'confirm');
    if (!confirm) throw new Error('no confirm button');
    const click = (user: string) =>
      say('', privateChannel, user, {
        via: 'action',
        action: { skill: 'kb', action: 'confirm', value: confirm.value, sourceMessageId: card.ref.id },
      });
    await run(platform, index, llm, [click('carol')], store);
    expect(await index.sources()).toHaveLength(0);
    await run(platform, index, llm, [click('alice')], store);
    expect(await index.sources()).toHaveLength(1);

    next = { id: 't2', name: 'kb', input: { action: 'forget', number: 1 } };
    await run(platform, index, llm, [say('drop the first knowledge source', privateChannel, 'alice')], store);
    expect(await index.sources()).toHaveLength(1);
    expect(platform.visibleMessages().at(-1)).toBe('Forget travel.md from the knowledge base?');
  });
});

describe('kb add reads only what the asker may read, and gives a Doc its sharing', () => {
  const tenantDoc = 'https://example.feishu.cn/docx/OPEN';
  const closedDoc = 'https://example.feishu.cn/docx/CLOSED';
  const permalink = 'https://files.example/permalink/F9';

  function larkPlatform() {
    const platform = new KnowledgePlatform({ F9: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const files = platform.files;
    if (!files) throw new Error('files');
    const documents: Record<string, { open: boolean; members: string[]; text: string }> = {
      OPEN: { open: true, members: [], text: '# Holidays\n\nEveryone gets 30 days of annual leave.' },
      CLOSED: { open: false, members: ['alice'], text: '# Salaries\n\nThe salary bands are secret.' },
    };
    platform.files = {
      ...files,
      async resolveLink(url, from) {
        if (url === permalink) {
          return {
            kind: 'file',
            file: { id: 'F9', name: 'travel.md' },
            sharedIn: [{ ...from, channel: 'CPRIV' }],
          };
        }
        const token = url.split('/').pop() ?? '';
        if (!documents[token]) return undefined;
        return {
          kind: 'document',
          document: { platform: 'slack', workspace, token, type: 'docx', link: url, title: `${token}.docx` },
        };
      },
      async documentAccess(document, userId) {
        const entry = documents[document.token];
        return {
          readable: entry.open || entry.members.includes(userId),
          audience: { openTo: entry.open ? 'workspace' : 'members', external: false },
        };
      },
      async readDocument(document) {
        platform.reads.push(document.token);
        return {
          bytes: Buffer.from(documents[document.token].text),
          name: `${document.token}.md`,
          link: document.link,
        };
      },
    };
    return platform;
  }

  test('a Doc the tenant may read answers everyone in the workspace; a members-only Doc, the chat it was added in', async () => {
    const platform = larkPlatform();
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say(`kb add ${tenantDoc}`, otherChannel, 'alice'),
      say(`kb add ${closedDoc}`, otherChannel, 'alice'),
    ]);
    const byId = new Map((await index.sources()).map((source) => [source.id, source.access]));
    expect(byId.get('slack:T1:document:OPEN')).toEqual(['everyone:slack:T1']);
    expect(byId.get('slack:T1:document:CLOSED')).toEqual(['conversation:slack:T1:CGEN']);
  });

  test('a Doc or a file the asker may not read is refused privately and never read or indexed', async () => {
    const platform = larkPlatform();
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say(`kb add ${closedDoc}`, otherChannel, 'bob'),
      say(`kb add ${permalink}`, otherChannel, 'bob'),
    ]);
    expect(await index.sources()).toEqual([]);
    expect(platform.reads).toEqual([]);
    const refusals = platform.sends.filter((send) => send.kind === 'post');
    expect(refusals).toHaveLength(2);
    for (const refusal of refusals) {
      expect(refusal.kind === 'post' && refusal.options?.privateTo).toBe('bob');
    }
  });

  test('the model may route a knowledge question to ask (no side effect, no click needed)', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
    ]);
    const llm = new ScriptedLlm([], (request) =>
      request.purpose === 'route'
        ? { toolCalls: [{ id: 'r1', name: 'ask', input: {} }] }
        : { text: 'Up to 4711 euros a trip [1].' },
    );
    await run(platform, index, llm, [say('how much may a trip cost?', privateChannel, 'alice')]);
    expect(platform.visibleMessages().at(-1)).toBe(
      'Up to 4711 euros a trip [travel.md § Travel](https://files.example/F1).',
    );
  });
});

describe('knowledge principals for the place the answer goes', () => {
  const index = new MemoryKnowledgeIndex();
  const platform = new KnowledgePlatform({});
  beforeAll(async () => {
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    platform.channelMembers.set('COTHER', new Set(['bob']));
    platform.audiences.set('CEXT', { openTo: 'members', external: true });
    const base = {
      version: 'v',
      origin: 'shared_file' as const,
      title: 't',
      indexedAt: '2026-01-01T00:00:00Z',
    };
    await index.upsert({ ...base, id: 'a', access: ['conversation:slack:T1:CPRIV'] }, []);
    await index.upsert({ ...base, id: 'b', access: ['conversation:slack:T1:COTHER'] }, []);
    await index.upsert({ ...base, id: 'c', access: ['conversation:slack:T2:CPRIV'] }, []);
  });

  test('in the asker’s DM: everyone, the asker, and the conversations of sources they are a member of', async () => {
    const principals = await knowledgePrincipals(platform, say('q', aliceDm, 'alice'), index);
    expect(principals.sort()).toEqual(
      ['conversation:slack:T1:CPRIV', 'everyone', 'everyone:slack:T1', 'user:slack:T1:alice'].sort(),
    );
  });

  test('in a channel: the channel, and everyone only when it has no outsiders; never a person', async () => {
    expect(await knowledgePrincipals(platform, say('q', otherChannel, 'alice'), index)).toEqual([
      'everyone',
      'everyone:slack:T1',
      'conversation:slack:T1:CGEN',
    ]);
    const external = { ...otherChannel, channel: 'CEXT' };
    expect(await knowledgePrincipals(platform, say('q', external, 'alice'), index)).toEqual([
      'conversation:slack:T1:CEXT',
    ]);
  });

  test('on the console: everything local', async () => {
    const local = new MemoryKnowledgeIndex();
    const base = { version: 'v', origin: 'folder' as const, title: 't', indexedAt: '2026-01-01T00:00:00Z' };
    await local.upsert(
      { ...base, id: 'x', access: ['conversation:console:local:room', 'user:console:local:bob'] },
      [],
    );
    const console: ConversationRef = { platform: 'console', workspace: 'local', channel: 'room', kind: 'dm' };
    const principals = await knowledgePrincipals(platform, say('q', console, 'alice'), local);
    expect(principals).toEqual(
      expect.arrayContaining([
        'everyone:console:local',
        'conversation:console:local:room',
        'user:console:local:bob',
      ]),
    );
  });
});
