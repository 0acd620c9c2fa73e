// Proves: "forget me" deletes the requester's remembered messages (and the answers to them) in every
// conversation, and their usage records, at once; their todos only after their own click; says what went in
// counts and that platform messages are not Deskmate's to delete; leaves everyone else's data alone.
import type { ConversationRef } from '../../src/core/conversation';
import { conversationKey } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { Reminder, ReminderScheduler } from '../../src/core/reminder';
import { userUsageKeys, withUsageRecording } from '../../src/llm/usage-recorder';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

const alice = { id: 'U1', name: 'Alice' };
const bob = { id: 'U2', name: 'Bob' };
const dm: ConversationRef = { platform: 'slack', workspace: 'T1', channel: 'D1', kind: 'dm' };
const thread: ConversationRef = {
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  thread: '1.0',
  kind: 'group',
};

describe('forget me', () => {
  test('memory and usage go at once, todos after the click, others keep theirs', async () => {
    const store = createMemoryStateStore();
    const platform = new RecordingPlatform('slack');
    platform.members.add(alice.id).add(bob.id);
    const llm = withUsageRecording(new ScriptedLlm([], { text: 'noted' }), store);
    // The reminders waiting to be delivered (a hand-written scheduler: scheduled, minus cancelled).
    const pending = new Map<string, Reminder>();
    const reminders: ReminderScheduler = {
      schedule: async (reminder) => {
        pending.set(reminder.id, reminder);
      },
      cancel: async (id) => {
        pending.delete(id);
      },
    };
    const pipeline = await startTestPipeline({ platforms: { slack: platform }, llm, store, reminders });
    const say = async (
      author: typeof alice,
      conversation: ConversationRef,
      text: string,
      extra: Partial<InboundMessage> = {},
    ) => {
      await pipeline.queue.enqueue(inboundMessage(text, { author, conversation, ...extra }));
      await pipeline.drain();
    };
    await say(alice, dm, 'my badge number is 4711');
    await say(alice, dm, 'and I sit on floor 12');
    await say(alice, thread, 'I will book the room');
    await say(bob, thread, 'thanks Alice');
    await say(alice, thread, 'todo add Book the room by Friday');
    await say(alice, thread, 'todo add Order snacks');
    await say(bob, thread, 'todo add Print the agenda by Friday');
    const remindedOf = () => [...pending.values()].map((reminder) => reminder.text);
    const usageBefore = await Promise.all(
      userUsageKeys('slack:T1', bob.id, new Date())
        .slice(0, 1)
        .map((key) => store.counters(key)),
    );

    await say(alice, dm, 'forget me');
    const answer = platform.sends.at(-1);
    if (answer?.kind !== 'post') throw new Error('forget me answers with a post');
    expect(answer.reply.markdown).toContain(
      'Deleted 6 remembered messages of yours (and my answers to them) in 2 conversations',
    );
    expect(answer.reply.markdown).toContain('1 day of usage records');
    expect(answer.reply.markdown).toContain('not Deskmate’s to delete');
    expect(answer.reply.markdown).toContain('You own 2 todos. Delete them too?');

    expect(await store.turns(conversationKey(dm))).toEqual([]);
    expect((await store.turns(conversationKey(thread))).map((turn) => turn.text)).toEqual([
      'thanks Alice',
      'noted',
    ]);
    expect(await store.counters(userUsageKeys('slack:T1', alice.id, new Date())[0])).toEqual({});
    expect(await store.counters(userUsageKeys('slack:T1', bob.id, new Date())[0])).toEqual(usageBefore[0]);

    const remove = answer.reply.buttons?.find((button) => button.action === 'delete');
    if (!remove) throw new Error('the card has a delete button');
    const click = (author: typeof alice) =>
      say(author, dm, '', {
        via: 'action',
        action: { skill: 'forget', action: remove.action, value: remove.value },
      });
    await click(bob);
    await say(alice, thread, 'todo list');
    expect(platform.visibleMessages().at(-1)).toContain('Book the room');
    expect(remindedOf()).toEqual([
      expect.stringContaining('Book the room'),
      expect.stringContaining('Print the agenda'),
    ]);
    await click(alice);
    expect(platform.visibleMessages().at(-1)).toContain('Deleted 2 todos of yours.');
    // Her todo's reminder (its text and her id) is gone too: it would still have posted at the due time.
    expect(remindedOf()).toEqual([expect.stringContaining('Print the agenda')]);
    await say(bob, thread, 'todo list');
    const list = platform.visibleMessages().at(-1) ?? '';
    expect(list).toContain('Print the agenda');
    expect(list).not.toContain('Book the room');
    expect(list).not.toContain('Order snacks');
    await pipeline.stop();
  });

  test('删除我的数据 answers in Chinese; "forget" alone explains itself and deletes nothing', async () => {
    const store = createMemoryStateStore();
    const platform = new RecordingPlatform('slack');
    platform.members.add(alice.id);
    const pipeline = await startTestPipeline({
      platforms: { slack: platform },
      llm: new ScriptedLlm([], { text: '好的' }),
      store,
    });
    await pipeline.queue.enqueue(inboundMessage('记住我的工位在 12 楼', { author: alice, conversation: dm }));
    await pipeline.queue.enqueue(inboundMessage('forget', { author: alice, conversation: dm }));
    await pipeline.drain();
    expect(platform.visibleMessages().at(-1)).toContain('forget me');
    expect(await store.turns(conversationKey(dm))).toHaveLength(2);
    await pipeline.queue.enqueue(inboundMessage('删除我的数据', { author: alice, conversation: dm }));
    await pipeline.drain();
    expect(platform.visibleMessages().at(-1)).toContain('已删除你在 1 个会话中被记住的 2 条消息');
    expect(await store.turns(conversationKey(dm))).toEqual([]);
    await pipeline.stop();
  });

  test('the ways people ask reach it with no model call; "forget it" and "forget everything" only explain', async () => {
    const store = createMemoryStateStore();
    const platform = new RecordingPlatform('slack');
    platform.members.add(alice.id);
    const llm = new ScriptedLlm([], { text: '好的' });
    const pipeline = await startTestPipeline({ platforms: { slack: platform }, llm, store });
    const say = async (text: string) => {
      await pipeline.queue.enqueue(inboundMessage(text, { author: alice, conversation: dm }));
      await pipeline.drain();
      return platform.visibleMessages().at(-1) ?? '';
    };
    const asks = {
      zh: ['删除我的数据。', '请删除我的数据', '忘记我', '删除我的信息！'],
      en: ['delete my data', 'forget me please', 'Forget me!', 'forget everything about me'],
    };
    for (const [language, phrases] of Object.entries(asks)) {
      for (const phrase of phrases) {
        await say('my desk is on floor 12');
        const modelCalls = llm.requests.length;
        const answer = await say(phrase);
        expect([phrase, answer]).toEqual([
          phrase,
          expect.stringContaining(
            language === 'zh' ? '已删除你在 1 个会话中' : 'Deleted 2 remembered messages',
          ),
        ]);
        expect(llm.requests.length).toBe(modelCalls);
        expect(await store.turns(conversationKey(dm))).toEqual([]);
      }
    }
    for (const phrase of ['forget it', 'forget everything', 'forget']) {
      await say('my desk is on floor 12');
      expect(await say(phrase)).toContain('Say `forget me` to delete what Deskmate keeps about you');
      expect(await store.turns(conversationKey(dm))).not.toEqual([]);
    }
    await pipeline.stop();
  });
});
