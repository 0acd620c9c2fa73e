// Proves, through Bolt and the fake Web API, what a button click may do: Cancel after Create says the todos
// exist (and changes nothing); a click by someone who cannot read the card's channel is refused privately;
// a payload naming two channels is ignored; a button id naming a skill without buttons reaches no skill.
import type { LlmRequest } from '../../src/core/llm-provider';
import { createSkills } from '../../src/skills';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { buttonClick, deliverEvent, deliverInteraction, mentionEvent } from '../fakes/slack-events';
import type { FakeSlackMessage } from '../fakes/slack-state';
import { generalChannel, people, type SlackHarness, startSlackHarness } from '../slack/slack-harness';

/** The model routes every message to todo extraction, which finds one action item. */
function model(request: LlmRequest) {
  if (request.purpose === 'route') {
    return { toolCalls: [{ id: 'r1', name: 'todo', input: { from_conversation: true } }] };
  }
  if (request.tools?.[0]?.name === 'record_todos') {
    return { toolCalls: [{ id: 'e1', name: 'record_todos', input: { items: [{ text: 'Book the room' }] } }] };
  }
  return { text: 'ok' };
}

describe('button clicks', () => {
  let harness: SlackHarness;
  const llm = new ScriptedLlm([], model);

  beforeAll(async () => {
    harness = await startSlackHarness({ mode: 'http', llm, skills: createSkills() });
  });
  afterAll(() => harness.stop());

  const state = () => harness.fake.state;
  const text = (message: FakeSlackMessage | undefined) => (message ? state().visibleText(message) : '');
  const actionIdOf = (message: FakeSlackMessage, action: string) => {
    const elements = (message.blocks ?? [])
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements as Array<{ action_id: string }>);
    const found = elements.find((element) => element.action_id.split(':')[2] === action);
    if (!found) throw new Error(`no ${action} button`);
    return found.action_id;
  };

  async function mention(words: string, threadTs?: string) {
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: `{bot} ${words}`,
      threadTs,
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
  }

  /** A list card with a Done button: a todo of its own is added first, so each test stands alone. */
  async function listWithDoneButton(): Promise<FakeSlackMessage> {
    await mention('todo add Check the projector');
    await mention('todo list');
    return state().botMessages().at(-1) as FakeSlackMessage;
  }

  async function send(payload: Record<string, unknown>) {
    expect((await deliverInteraction(harness.eventsUrl, payload, harness.fake.signingSecret)).status).toBe(
      200,
    );
    await harness.pipeline.drain();
  }

  test('Cancel after Create says the todos were created, and leaves them', async () => {
    const root = state().userSays({
      channel: generalChannel,
      user: people.alice.id,
      text: 'Who books the room?',
    });
    await mention('what should we do here?', root.ts);
    const card = state().botMessages().at(-1) as FakeSlackMessage;
    expect(text(card)).toContain('Book the room');
    const create = buttonClick(harness.fake, {
      user: people.alice.id,
      message: card,
      actionId: actionIdOf(card, 'create'),
    });
    const cancel = buttonClick(harness.fake, {
      user: people.alice.id,
      message: card,
      actionId: actionIdOf(card, 'cancel'),
    });
    await send(create);
    expect(text(state().message(card.channel, card.ts))).toContain('Created 1 todo');
    await send(cancel);
    expect(text(state().message(card.channel, card.ts))).toContain('Created 1 todo');
    const answer = state().botMessages().at(-1);
    expect(answer?.visibleTo).toBe(people.alice.id);
    expect(text(answer)).toMatch(/already created/);
    expect(text(answer)).not.toMatch(/Cancelled/);
    await mention('todo list');
    expect(text(state().botMessages().at(-1))).toContain('Book the room');
  });

  test('a click by someone who cannot read the card’s channel is refused privately, and does nothing', async () => {
    const list = await listWithDoneButton();
    const done = buttonClick(harness.fake, {
      user: people.stranger.id,
      message: list,
      actionId: actionIdOf(list, 'done'),
    });
    const before = state().botMessages().length;
    const postsBefore = harness.fake.responseUrlPosts.length;
    await send(done);
    // Not in #general, so no ephemeral message there: the refusal goes through the click's response_url.
    const refusal = harness.fake.responseUrlPosts.slice(postsBefore).map((post) => JSON.stringify(post.body));
    expect(refusal.join('\n')).toMatch(/ephemeral.*not a member/);
    expect(
      state()
        .botMessages()
        .slice(before)
        .filter((message) => !message.visibleTo),
    ).toEqual([]);
    await mention('todo list');
    expect(text(state().botMessages().at(-1))).toContain('Check the projector');
  });

  test('a click whose payload names two different channels is ignored', async () => {
    const list = await listWithDoneButton();
    const click = buttonClick(harness.fake, {
      user: people.alice.id,
      message: list,
      actionId: actionIdOf(list, 'done'),
    });
    const forged = { ...click, channel: { id: 'C0ELSEWHERE', name: 'elsewhere' } };
    const before = state().botMessages().length;
    const updates = list.updates;
    await send(forged);
    expect(state().botMessages().length).toBe(before);
    expect(state().message(list.channel, list.ts)?.updates).toBe(updates);
  });

  test('a button id naming a skill that owns no buttons reaches no skill', async () => {
    const list = await listWithDoneButton();
    const click = buttonClick(harness.fake, {
      user: people.alice.id,
      message: list,
      actionId: actionIdOf(list, 'done'),
    });
    const actions = click.actions as Array<Record<string, unknown>>;
    const forged = { ...click, actions: [{ ...actions[0], action_id: 'deskmate:chat:answer:0' }] };
    const requestsBefore = llm.requests.length;
    await send(forged);
    expect(llm.requests.length).toBe(requestsBefore);
    const answer = state().botMessages().at(-1);
    expect(answer?.visibleTo).toBe(people.alice.id);
    expect(text(answer)).toMatch(/no longer does anything/);
  });
});
