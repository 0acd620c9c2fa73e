// On Slack (no task or calendar API for bots) todos live in Deskmate's list in Redis and meetings become
// `.ics` invites: list / done round trips through Redis, invites carry the right DTSTART/DTEND.
import type { LlmRequest } from '../../src/core/llm-provider';
import type { StateStore } from '../../src/core/state-store';
import { createLogger } from '../../src/logger';
import { createRedisReminderScheduler } from '../../src/pipeline/reminder-queue';
import { TodoStore } from '../../src/skills/todo/todo-store';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { ScriptedLlm } from '../fakes/scripted-llm';
import {
  buttonClick,
  deliverCommand,
  deliverEvent,
  deliverInteraction,
  mentionEvent,
  slashCommand,
} from '../fakes/slack-events';
import type { FakeSlackMessage } from '../fakes/slack-state';
import { testRedisUrl } from '../helpers/test-redis';
import {
  generalChannel,
  people,
  quietChannel,
  type SlackHarness,
  startSlackHarness,
  waitUntil,
} from './slack-harness';

/** The UTC instant of a wall-clock time `days` from now in Berlin (CET in late autumn: UTC+1). */
function berlinTime(days: number, hour: number, minute = 0): Date {
  const berlinNow = new Date(Date.now() + 3600_000);
  return new Date(
    Date.UTC(
      berlinNow.getUTCFullYear(),
      berlinNow.getUTCMonth(),
      berlinNow.getUTCDate() + days,
      hour - 1,
      minute,
    ),
  );
}

function icsStamp(instant: Date): string {
  return `${instant.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

const skillClockLagMs = 58_000;
const silent = createLogger({ level: 'silent' });

describe('todo and schedule on Slack, end to end through Bolt, with the list in Redis', () => {
  let harness: SlackHarness;
  let store: StateStore;
  const prefix = `deskmate-test:${process.pid}:${Date.now()}:slack-todo:`;
  const routing = (request: LlmRequest) => {
    if (request.purpose !== 'route') return { text: 'ok' };
    return {
      toolCalls: [
        {
          id: 'route-1',
          name: 'schedule',
          input: {
            title: 'Design sync',
            when: 'tomorrow afternoon',
            duration_minutes: 30,
            attendees: ['张三'],
          },
        },
      ],
    };
  };

  beforeAll(async () => {
    store = createRedisStateStore({ url: testRedisUrl(), prefix });
    await store.ping();
    harness = await startSlackHarness({
      store,
      llm: new ScriptedLlm([], routing),
      reminders: createRedisReminderScheduler({ url: testRedisUrl(), prefix, store, logger: silent }),
      // The skills' clock runs 58 s behind, so a todo due "in 1 minute" is due 2 s from now.
      now: () => new Date(Date.now() - skillClockLagMs),
    });
  });
  afterAll(async () => {
    await harness.stop();
    await store.close();
  });

  const botMessagesAfter = (count: number) => harness.fake.state.botMessages().slice(count);
  const visible = (message: FakeSlackMessage | undefined) =>
    message ? harness.fake.state.visibleText(message) : '';

  async function mention(text: string, user: string = people.alice.id) {
    const { envelope } = mentionEvent(harness.fake, { channel: generalChannel, user, text });
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
  }

  async function click(message: FakeSlackMessage, actionId: string, user: string = people.alice.id) {
    const payload = buttonClick(harness.fake, { user, message, actionId });
    expect((await deliverInteraction(harness.eventsUrl, payload, harness.fake.signingSecret)).status).toBe(
      200,
    );
    await harness.pipeline.drain();
  }

  test('todo add, list and done round trip through Redis; the owner is notified', async () => {
    const before = harness.fake.state.botMessages().length;
    await mention(`{bot} todo add Send the weekly report by Friday <@${people.zhang.id}>`);
    const added = botMessagesAfter(before)[0];
    expect(visible(added)).toMatch(/Added todo #(\d+)/);
    expect(added.text).toContain(`<@${people.zhang.id}>`);
    const number = Number(/#(\d+)/.exec(visible(added))?.[1]);

    // A second process (a fresh connection) sees the same list.
    const elsewhere = createRedisStateStore({ url: testRedisUrl(), prefix });
    try {
      await elsewhere.ping();
      const stored = await new TodoStore(elsewhere).get(
        { platform: 'slack', workspace: harness.fake.state.teamId },
        number,
      );
      expect(stored).toMatchObject({
        text: 'Send the weekly report',
        ownerId: people.zhang.id,
        createdBy: people.alice.id,
      });
      expect(new Date(String(stored?.due)).getUTCHours()).toBe(16); // Friday 17:00 in Berlin
    } finally {
      await elsewhere.close();
    }

    await mention('{bot} todo list');
    const list = harness.fake.state.botMessages().at(-1) as FakeSlackMessage;
    expect(visible(list)).toContain('Todos in this channel');
    expect(visible(list)).toContain(`#${number} Send the weekly report · @张三`);

    await click(list, 'deskmate:todo:done:0');
    const updated = harness.fake.state.message(list.channel, list.ts) as FakeSlackMessage;
    expect(visible(updated)).toContain(`✅ Todo #${number} done: Send the weekly report`);
    expect(visible(updated)).not.toContain(`• #${number}`);
    const done = await new TodoStore(store).get(
      { platform: 'slack', workspace: harness.fake.state.teamId },
      number,
    );
    expect(done).toMatchObject({ doneBy: people.alice.id });

    await mention(`{bot} todo done ${number}`);
    expect(visible(harness.fake.state.botMessages().at(-1))).toContain(`Todo #${number} was already done.`);
    await mention('{bot} todo list all');
    expect(visible(harness.fake.state.botMessages().at(-1))).toContain(`~Send the weekly report~`);
  });

  async function command(name: string, text: string, channel: string = generalChannel) {
    const fields = slashCommand(harness.fake, { command: name, text, user: people.alice.id, channel });
    expect((await deliverCommand(harness.eventsUrl, fields, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
  }

  const doneButton = (card: FakeSlackMessage) =>
    (card.blocks ?? [])
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements as Array<{ action_id: string }>)
      .map((button) => button.action_id)
      .find((id) => id.startsWith('deskmate:todo:done:')) as string;

  test('/todo list answers only the asker; Done on that private card replaces it through the click, nothing public', async () => {
    await mention('{bot} todo add Book the meeting room');
    const number = Number(/#(\d+)/.exec(visible(harness.fake.state.botMessages().at(-1)))?.[1]);
    const before = harness.fake.state.botMessages().length;
    await command('/todo', 'list');
    const answers = botMessagesAfter(before);
    expect(answers).toHaveLength(1);
    const card = answers[0];
    expect(card.visibleTo).toBe(people.alice.id);
    expect(visible(card)).toContain(`#${number} Book the meeting room`);

    const updatesBefore = harness.fake.callsTo('chat.update').length;
    await click(card, doneButton(card));
    // Slack refuses chat.update on an ephemeral message: the card is replaced through the click's response_url.
    expect(harness.fake.callsTo('chat.update').length).toBe(updatesBefore);
    expect(visible(harness.fake.state.message(card.channel, card.ts))).toContain(`✅ Todo #${number} done`);
    expect(botMessagesAfter(before).filter((message) => !message.visibleTo)).toEqual([]);
    const done = await new TodoStore(store).get(
      { platform: 'slack', workspace: harness.fake.state.teamId },
      number,
    );
    expect(done).toMatchObject({ doneBy: people.alice.id });
  });

  test('/todo add in a channel Deskmate is not in: the private card arrives once and its Done works', async () => {
    const before = harness.fake.state.botMessages().length;
    await command('/todo', 'add Renew the passport', quietChannel);
    const answers = botMessagesAfter(before);
    expect(answers).toHaveLength(1);
    const card = answers[0];
    expect(card).toMatchObject({ channel: quietChannel, visibleTo: people.alice.id });
    const number = Number(/#(\d+)/.exec(visible(card))?.[1]);
    expect(visible(card)).toContain(`Added todo #${number}: Renew the passport`);

    await click(card, doneButton(card));
    expect(visible(harness.fake.state.message(card.channel, card.ts))).toContain(`✅ Todo #${number} done`);
    expect(botMessagesAfter(before)).toHaveLength(1);
    const done = await new TodoStore(store).get(
      { platform: 'slack', workspace: harness.fake.state.teamId },
      number,
    );
    expect(done).toMatchObject({ doneBy: people.alice.id });
  });

  test('a todo that starts with a list word is added, with how to list and how to close it in case a list was meant', async () => {
    await mention('{bot} todo list the vendors for Q3');
    const added = visible(harness.fake.state.botMessages().at(-1));
    const number = /Added todo #(\d+): list the vendors for Q3/.exec(added)?.[1];
    expect(number).toBeDefined();
    expect(added).toContain(
      `Meant to see your todos? \`todo list\` shows them, and \`todo done ${number}\` closes this one.`,
    );
    await mention(`{bot} todo done ${number}`);
    expect(visible(harness.fake.state.botMessages().at(-1))).toContain(
      `✅ Todo #${number} done: list the vendors for Q3`,
    );
    await mention('{bot} todo add Order the badges');
    expect(visible(harness.fake.state.botMessages().at(-1))).not.toContain('Meant to see your todos?');
  });

  test('the owner is reminded in the thread at the due time, once; a todo done before then is not', async () => {
    await mention(`{bot} todo add Check the build in 1 minute <@${people.zhang.id}>`);
    await mention('{bot} todo add Water the plants in 1 minute');
    const plants = visible(harness.fake.state.botMessages().at(-1));
    await mention(`{bot} todo done ${/#(\d+)/.exec(plants)?.[1]}`);
    const reminderOf = (text: string) =>
      harness.fake.state.botMessages().filter((message) => visible(message).includes(`is due now: ${text}`));
    await waitUntil(() => reminderOf('Check the build').length === 1, 'the reminder', 15_000);
    const [reminder] = reminderOf('Check the build');
    expect(reminder.text).toContain(`<@${people.zhang.id}>`);
    expect(reminder.threadTs).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(reminderOf('Check the build')).toHaveLength(1);
    expect(reminderOf('Water the plants')).toHaveLength(0);
  });

  test('an explicit schedule attaches an .ics with DTSTART/DTEND in UTC from the requester timezone', async () => {
    const filesBefore = harness.fake.state.files.length;
    await mention(`{bot} schedule Budget review tomorrow 3pm 45m <@${people.zhang.id}>`);
    const files = harness.fake.state.files.slice(filesBefore);
    expect(files).toHaveLength(1);
    expect(files[0].filename).toBe('Budget review.ics');
    const start = berlinTime(1, 15);
    const end = new Date(start.getTime() + 45 * 60_000);
    expect(files[0].content).toContain(`DTSTART:${icsStamp(start)}`);
    expect(files[0].content).toContain(`DTEND:${icsStamp(end)}`);
    expect(files[0].content).toContain('SUMMARY:Budget review');
    expect(files[0].content).toContain('张三');
    const card = visible(harness.fake.state.botMessages().at(-1));
    expect(card).toContain('Budget review');
    expect(card).toContain('I will post a reminder 10 minutes before it starts.');
  });

  test('/schedule answers only the asker; the .ics invite an ephemeral message cannot carry comes in a direct message', async () => {
    const filesBefore = harness.fake.state.files.length;
    const before = harness.fake.state.botMessages().length;
    await command('/schedule', `Budget review tomorrow 3pm 45m <@${people.zhang.id}>`);
    const answers = botMessagesAfter(before);
    expect(answers).toHaveLength(1);
    expect(answers[0].visibleTo).toBe(people.alice.id);
    expect(visible(answers[0])).toContain('Budget review.ics: sent to you in a direct message from Deskmate');
    const files = harness.fake.state.files.slice(filesBefore);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      filename: 'Budget review.ics',
      channel: harness.fake.state.directChannel(people.alice.id).id,
    });
  });

  test('a meeting the model proposed waits for Create; the invite comes after the click', async () => {
    const filesBefore = harness.fake.state.files.length;
    await mention(
      `{bot} can you set up 30 min with <@${people.zhang.id}> tomorrow afternoon about the design`,
    );
    const card = harness.fake.state.botMessages().at(-1) as FakeSlackMessage;
    expect(visible(card)).toContain('Schedule this meeting?');
    expect(visible(card)).toContain('Design sync');
    expect(harness.fake.state.files.length).toBe(filesBefore);

    // Edit gives the equivalent explicit command, which books at once when sent back.
    await click(card, 'deskmate:schedule:edit:1');
    const edit = visible(harness.fake.state.botMessages().at(-1));
    const command = /`(schedule Design sync [^`]+)`/.exec(edit)?.[1];
    expect(command).toMatch(/^schedule Design sync \d{4}-\d{2}-\d{2} 14:00 30m @张三$/);
    expect(harness.fake.state.files.length).toBe(filesBefore);

    await click(card, 'deskmate:schedule:create:0');
    const files = harness.fake.state.files.slice(filesBefore);
    expect(files).toHaveLength(1);
    const start = berlinTime(1, 14);
    expect(files[0].content).toContain(`DTSTART:${icsStamp(start)}`);
    expect(files[0].content).toContain(`DTEND:${icsStamp(new Date(start.getTime() + 30 * 60_000))}`);
  });
});
