// The knowledge base on Slack, end to end through Bolt, the Web API client and the fake: a file added in a
// private channel answers its members there and the adder in her DM, never another channel or a non-member;
// deleting the file in Slack (file_deleted) removes it from the answers.
import type { KnowledgeIndex } from '../../src/core/knowledge-index';
import type { LlmRequest } from '../../src/core/llm-provider';
import { createSkills } from '../../src/skills';
import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  deliverEvent,
  directMessageEvent,
  fileDeletedEvent,
  fileShareEvent,
  mentionEvent,
} from '../fakes/slack-events';
import { startLanceDbIndex } from '../helpers/knowledge-index';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

const secret = 'The travel budget per trip is 4711 euros, approved by the finance lead.';
const policy = Buffer.from(`# Travel\n\n${secret}\n\n# Meals\n\nMeals are covered up to 60 euros a day.`);
const boardChannel = 'G0BOARD01';

/** A model that answers from the first excerpt it is given, citing it, and routes nothing. */
const llm = new ScriptedLlm([], (request: LlmRequest) => {
  if (request.purpose === 'route') return { text: '' };
  const userTurn = JSON.stringify(request.messages);
  if (!userTurn.includes('<knowledge>')) return { text: 'ok' };
  return userTurn.includes('4711')
    ? { text: 'Each trip may cost up to 4711 euros [1].' }
    : { text: 'It is 60 euros [1].' };
});

describe('the knowledge base on Slack, end to end', () => {
  let harness: SlackHarness;
  let index: KnowledgeIndex;
  let engine: Awaited<ReturnType<typeof startLanceDbIndex>>;
  let fileId = '';

  beforeAll(async () => {
    engine = await startLanceDbIndex();
    index = engine.index;
    harness = await startSlackHarness({ mode: 'http', llm, skills: createSkills(), knowledge: { index } });
    harness.fake.state.addUser({ id: 'U0BOB0001', name: 'bob', displayName: 'Bob' });
    harness.fake.state.requireChannel(generalChannel).members.push('U0BOB0001');
    harness.fake.state.addChannel({
      id: boardChannel,
      name: 'board',
      members: [people.alice.id, people.zhang.id, harness.fake.state.botUserId],
      isPrivate: true,
    });
  });
  afterAll(async () => {
    await harness.stop();
    await engine.stop();
  });

  const deliver = async (envelope: Record<string, unknown>) => {
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
  };
  const lastText = () => {
    const last = harness.fake.state.botMessages().at(-1);
    return last ? harness.fake.state.visibleText(last) : '';
  };
  const modelSawSecret = (from: number) => JSON.stringify(llm.requests.slice(from)).includes('4711');
  const ask = async (channel: string, user: string) => {
    await deliver(
      mentionEvent(harness.fake, { channel, user, text: '{bot} ask what is the travel budget?' }).envelope,
    );
    return lastText();
  };

  test('kb add in a private channel indexes the file for that channel’s members only', async () => {
    const shared = fileShareEvent(harness.fake, {
      channel: boardChannel,
      user: people.alice.id,
      text: '{bot} kb add',
      name: 'travel.md',
      mimetype: 'text/markdown',
      bytes: policy,
    });
    fileId = shared.fileId;
    const before = harness.fake.state.botMessages().length;
    await deliver(shared.envelope);
    // One message: "Indexing travel.md…" first, then replaced by the result.
    expect(harness.fake.state.botMessages()).toHaveLength(before + 1);
    expect(lastText()).toContain('Added travel.md: 2 sections');
    expect(harness.fake.callsTo('chat.update').length).toBeGreaterThan(0);
    const [source] = await index.sources();
    expect(source.access).toEqual([`conversation:slack:${harness.fake.state.teamId}:${boardChannel}`]);
  });

  test('asked in #general, by a member or not, the file never reaches the model or the answer', async () => {
    const from = llm.requests.length;
    for (const user of [people.alice.id, 'U0BOB0001']) {
      const answer = await ask(generalChannel, user);
      expect(answer).toContain("I couldn't find this in the knowledge base");
      expect(answer).not.toContain('4711');
    }
    expect(modelSawSecret(from)).toBe(false);
  });

  test('a member in the private channel, and the adder in her DM, get an answer cited with a link to the file', async () => {
    const from = llm.requests.length;
    const inChannel = await ask(boardChannel, people.zhang.id);
    const permalink = `${harness.fake.state.workspaceUrl}files/${people.alice.id}/${fileId}/travel.md`;
    expect(inChannel).toContain(`4711 euros <${permalink}|travel.md § Travel>`);
    await deliver(
      directMessageEvent(harness.fake, { user: people.alice.id, text: 'ask what is the travel budget?' })
        .envelope,
    );
    expect(lastText()).toContain(`<${permalink}|travel.md § Travel>`);
    expect(modelSawSecret(from)).toBe(true);
    // The DM of someone who is not in #board gets nothing from it.
    const beforeBob = llm.requests.length;
    await deliver(
      directMessageEvent(harness.fake, { user: 'U0BOB0001', text: 'ask what is the travel budget?' })
        .envelope,
    );
    expect(lastText()).toContain("I couldn't find this in the knowledge base");
    expect(modelSawSecret(beforeBob)).toBe(false);
  });

  test('file_deleted removes the source: the next answer does not use it', async () => {
    await deliver(fileDeletedEvent(harness.fake, fileId));
    expect(await index.sources()).toEqual([]);
    const from = llm.requests.length;
    // Its only source gone, the base is empty, and the answer says so.
    expect(await ask(boardChannel, people.zhang.id)).toContain('The knowledge base is empty');
    expect(modelSawSecret(from)).toBe(false);
  });

  test('kb forget by the adder removes it too: the next answer does not use it', async () => {
    const shared = fileShareEvent(harness.fake, {
      channel: boardChannel,
      user: people.alice.id,
      text: '{bot} kb add',
      name: 'travel.md',
      mimetype: 'text/markdown',
      bytes: policy,
    });
    await deliver(shared.envelope);
    expect(await ask(boardChannel, people.zhang.id)).toContain('4711 euros');
    await deliver(
      mentionEvent(harness.fake, { channel: boardChannel, user: people.zhang.id, text: '{bot} kb forget 1' })
        .envelope,
    );
    expect(lastText()).toContain('Only the person who added travel.md can forget it.');
    await deliver(
      mentionEvent(harness.fake, { channel: boardChannel, user: people.alice.id, text: '{bot} kb forget 1' })
        .envelope,
    );
    expect(lastText()).toContain('Forgotten: travel.md');
    const from = llm.requests.length;
    // Its only source gone, the base is empty, and the answer says so.
    expect(await ask(boardChannel, people.zhang.id)).toContain('The knowledge base is empty');
    expect(modelSawSecret(from)).toBe(false);
  });
});
