import { readVotes } from '../../src/admin/knowledge-data';
import type { ConversationRef } from '../../src/core/conversation';
import { TestEmbedder } from '../../src/llm/test-embedder';
import { knowledgePrincipals } from '../../src/pipeline/knowledge-access';
import { feedbackTotalsKey } from '../../src/skills/knowledge/feedback';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { MemoryKnowledgeIndex } from '../fakes/memory-knowledge-index';
import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  aliceDm,
  bobDm,
  chinesePolicy,
  citingModel,
  KnowledgePlatform,
  modelSaw,
  otherChannel,
  privateChannel,
  run,
  say,
  secret,
  sharedFile,
  travelPolicy,
} from '../helpers/knowledge-pipeline';

describe('knowledge answers and who may read what', () => {
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
});

describe('asking an empty knowledge base', () => {
  test('says it is empty and how to fill it, in the asker’s language; a base with sources says not found', async () => {
    const platform = new KnowledgePlatform({ F1: travelPolicy });
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('ask what is the parking rule?', privateChannel, 'alice'),
      say('问 报销上限是多少', privateChannel, 'alice'),
      say('kb add', privateChannel, 'alice', { files: [sharedFile('F1', 'travel.md', privateChannel)] }),
      say('ask what is the parking rule?', privateChannel, 'alice'),
    ]);
    const [empty, chinese, , notFound] = platform.visibleMessages().slice(-4);
    expect(empty).toContain('The knowledge base is empty, so there is nothing to answer from yet.');
    expect(empty).toContain('`kb add`');
    expect(chinese).toContain('知识库还是空的');
    expect(notFound).toContain("I couldn't find this in the knowledge base.");
  });
});

describe('kb add with a web page link', () => {
  test('says web pages are not fetched and what kb add takes, instead of asking which file', async () => {
    const platform = new KnowledgePlatform({});
    platform.channelMembers.set('CPRIV', new Set(['alice']));
    const index = new MemoryKnowledgeIndex();
    await run(platform, index, undefined, [
      say('kb add https://example.com/handbook', privateChannel, 'alice'),
      say('知识库 添加 https://example.com/handbook', privateChannel, 'alice'),
      say('kb add', privateChannel, 'alice'),
    ]);
    const [web, chinese, nothing] = platform.visibleMessages().slice(-3);
    expect(web).toContain("I don't fetch web pages");
    expect(chinese).toContain('我不会抓取网页');
    expect(nothing).toContain('Which file?');
    expect(await index.sources()).toEqual([]);
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
