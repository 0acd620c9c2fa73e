import {
  countFolderJob,
  readFolderSyncProgress,
  writeFolderPassPlan,
} from '../../src/knowledge/folder-sync-record';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { MemoryKnowledgeIndex } from '../fakes/memory-knowledge-index';
import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  chinesePolicy,
  citingModel,
  KnowledgePlatform,
  modelSaw,
  otherChannel,
  privateChannel,
  run,
  say,
  sharedFile,
  travelPolicy,
  workspace,
} from '../helpers/knowledge-pipeline';

describe('kb commands: add, list, forget, status', () => {
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
    expect(platform.visibleMessages().at(-1)).toContain('The knowledge base is empty');
    expect(modelSaw(llm)).not.toContain('4711');
  });

  test('kb search answers from the knowledge base; kb delete and full-width numbers forget like kb forget', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy, F2: chinesePolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    const llm = citingModel();
    await run(platform, index, llm, [
      say('kb add', privateChannel, 'alice', {
        files: [sharedFile('F1', 'travel.md', privateChannel), sharedFile('F2', '报销.md', privateChannel)],
      }),
      say('kb search meals', privateChannel, 'alice'),
      say('kb search', privateChannel, 'alice'),
      say('知识库 搜索', privateChannel, 'alice'),
    ]);
    const [found, usage, chineseUsage] = platform.visibleMessages().slice(-3);
    expect(found).toMatch(
      /^The answer is in the policy \[travel\.md § (Travel|Meals)\]\(https:\/\/files\.example\/F1\)/,
    );
    expect(usage).toBe(
      'What should I look up? For example: `kb search travel budget`, or ask: `ask what is the travel budget?`',
    );
    expect(chineseUsage).toBe('要查什么？例如：`知识库 搜索 差旅预算`，或直接提问：`问 差旅预算是多少？`');

    // The number `kb list` shows, typed as a Chinese input method types it (２), and `delete` as people say it.
    await run(platform, index, llm, [say('kb list', privateChannel, 'alice')]);
    const listed = platform.visibleMessages().at(-1) ?? '';
    const travelNumber = /^(\d+)\. .*travel\.md/m.exec(listed)?.[1] ?? '';
    const fullWidth = travelNumber.replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
    expect(fullWidth).toMatch(/^[１２]$/);
    await run(platform, index, llm, [
      say(`kb delete ${fullWidth}`, privateChannel, 'alice'),
      say('知识库\u3000删除\u3000１', privateChannel, 'alice'),
    ]);
    const [first, second] = platform.visibleMessages().slice(-2);
    expect(first).toBe('Forgotten: travel.md. Answers no longer use it.');
    expect(second).toBe('已删除：报销.md。回答不会再使用它。');
    expect(await index.sources()).toEqual([]);
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

  test('kb status says how far the knowledge folder is indexed while a pass runs, and nothing once it is done', async () => {
    const platform = new KnowledgePlatform({});
    const store = createMemoryStateStore();
    await writeFolderPassPlan(store, {
      passId: 'pass-1',
      startedAt: new Date().toISOString(),
      files: 6,
      jobs: 5,
      unchanged: 1,
      accessProblems: 0,
    });
    for (let done = 0; done < 3; done += 1)
      await countFolderJob(
        store,
        { passId: 'pass-1', sourceId: `folder:${done}.md` },
        'indexed',
        () => new Date(),
      );
    await run(
      platform,
      new MemoryKnowledgeIndex(),
      undefined,
      [say('kb status', privateChannel, 'alice'), say('知识库 状态', privateChannel, 'alice')],
      store,
    );
    expect(platform.visibleMessages().at(-2)).toBe(
      'Knowledge base: memory, 0 sources, 0 chunks, keyword search only. You can see 0 here. The knowledge folder is being indexed: 3 of 5 files done.',
    );
    expect(platform.visibleMessages().at(-1)).toContain('知识库文件夹正在索引：已完成 3 / 5 个文件。');

    for (let done = 3; done < 5; done += 1)
      await countFolderJob(
        store,
        { passId: 'pass-1', sourceId: `folder:${done}.md` },
        'indexed',
        () => new Date(),
      );
    expect(await readFolderSyncProgress(store)).toBeUndefined();
    await run(
      platform,
      new MemoryKnowledgeIndex(),
      undefined,
      [say('kb status', privateChannel, 'alice')],
      store,
    );
    expect(platform.visibleMessages().at(-1)).toBe(
      'Knowledge base: memory, 0 sources, 0 chunks, keyword search only. You can see 0 here.',
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
    await run(platform, index, llm, [click('alice')], store);
    expect(platform.visibleMessages().at(-1)).toBe('That was done already.');

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
