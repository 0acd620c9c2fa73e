// The key table of docs/architecture.md is complete: Deskmate is started as `main()` starts it, on Redis with
// a prefix of its own, and driven through a slice of real flows: on Slack a mention, a summary, a shared
// file's summary, the file added to the knowledge base, a question it answers and the asker's 👍, todo add,
// list and done, a DM chat, an assistant thread, a schedule command, a model's proposal and its click, a slash
// command where the bot is not a member, a reminder delivered, a pass of the knowledge folder's sync and its job;
// on Lark a mention, a DM chat and a summary.
// Every key written meanwhile (seen through keyspace notifications, so short-lived locks and queue entries
// count too) must match a documented key pattern, and every key left whose row gives a TTL must have one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../src/logger';
import { createRedisReminderScheduler } from '../../src/pipeline/reminder-queue';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { escapeRegExp } from '../../src/text/regexp';
import { deliver, messageEvent } from '../fakes/lark-events';
import { FakeLarkServer } from '../fakes/lark-open-api';
import { FakeOpenAIServer } from '../fakes/openai-server';
import {
  assistantMessageEvent,
  assistantThreadStartedEvent,
  buttonClick,
  deliverCommand,
  deliverEvent,
  deliverInteraction,
  directMessageEvent,
  fileShareEvent,
  mentionEvent,
  slashCommand,
} from '../fakes/slack-events';
import type { FakeSlackMessage } from '../fakes/slack-state';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  larkAuthor,
  larkChat,
  larkEnvironment,
  prepareLarkWorkspace,
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackAuthor,
  slackChannel,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

/** A documented key pattern: its regular expression, how specific it is, and whether it promises a TTL. */
interface KeyPattern {
  pattern: string;
  expression: RegExp;
  literalLength: number;
  hasTtl: boolean;
}

/** Placeholders that stand for one id without a colon (docs/architecture.md lists them); others match any text. */
const singleIds = new Set([
  'platform',
  'workspace id',
  'team',
  'tenant',
  'channel',
  'chat',
  'user',
  'open id',
  'thread ts',
  'method',
  'limit',
  'number',
  'queue',
  'pass id',
  'day',
]);

/** The regular expression a placeholder stands for. */
function placeholder(name: string): string {
  if (name === 'day') return '\\d{4}-\\d{2}-\\d{2}';
  return singleIds.has(name) ? '[^:]+' : '.+';
}

/** Every row of the key tables: `| \`deskmate:…\` | holds | TTL |`. */
function documentedKeys(markdown: string, prefix: string): KeyPattern[] {
  const rows = [...markdown.matchAll(/^\| `deskmate:([^`]+)` \|[^|\n]*\| ([^|\n]+) \|$/gm)];
  return rows.map(([, rest, ttl]) => {
    const parts = rest.split(/<([^>]+)>/);
    const source = parts
      .map((part, index) => (index % 2 === 0 ? escapeRegExp(part) : placeholder(part)))
      .join('');
    return {
      pattern: `deskmate:${rest}`,
      expression: new RegExp(`^${escapeRegExp(prefix)}${source}$`, 's'),
      literalLength: parts.filter((_part, index) => index % 2 === 0).join('').length,
      hasTtl: !/^none\b/i.test(ttl.trim()),
    };
  });
}

describe('every Redis key Deskmate writes is in the key table of docs/architecture.md', () => {
  const prefix = `docs-keys-${process.pid}-${Date.now()}:`;
  const slack = new FakeSlackServer();
  const lark = new FakeLarkServer();
  const model = new FakeOpenAIServer();
  const dataDirectory = mkdtempSync(join(tmpdir(), 'deskmate-keys-data-'));
  const knowledgeFolder = join(dataDirectory, 'knowledge-folder');
  const redis = new Redis(testRedisUrl());
  const listener = new Redis(testRedisUrl());
  const written = new Set<string>();
  let notifications = '';
  const zhang = { id: 'U0ZHANG01', name: 'zhangsan', displayName: '张三', timezone: 'Asia/Shanghai' };
  let served: ServedDeskmate;

  beforeAll(async () => {
    // Every write under the prefix is announced on `__keyspace@<db>__:<key>` (restored after the test).
    notifications = String(((await redis.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '');
    await redis.config('SET', 'notify-keyspace-events', 'KA');
    listener.on('pmessage', (_pattern: string, channel: string) => {
      written.add(channel.slice(channel.indexOf('__:') + 3));
    });
    await listener.psubscribe(`__keyspace@*__:${prefix}*`);
    await slack.start();
    await lark.start();
    prepareLarkWorkspace(lark);
    prepareSlackWorkspace(slack);
    slack.state.addUser(zhang);
    slack.state.channels.get(slackChannel)?.members.push(zhang.id);
    slack.state.addChannel({ id: 'C0QUIET', name: 'quiet', members: [slackAuthor.id] });
    const modelUrl = await model.start();
    model.fallback = (body) => {
      const messages = body.messages as Array<{ role: string; content: unknown }>;
      const last = String(messages.at(-1)?.content);
      // A knowledge question: answered from its first excerpt, cited.
      if (last.includes('<knowledge>')) return { chunks: ['We ship on Friday [1].'] };
      // Routing: a meeting asked for in free text is the schedule skill's, with its arguments.
      if (body.tools && last.includes('set up')) {
        return {
          toolCalls: [
            {
              id: 'route-1',
              name: 'schedule',
              arguments: { title: 'Design sync', when: 'tomorrow afternoon', duration_minutes: 30 },
            },
          ],
        };
      }
      return { chunks: ['Fine, ', 'thanks.'] };
    };
    mkdirSync(knowledgeFolder);
    writeFileSync(join(knowledgeFolder, 'parking.md'), '# Parking\n\nVisitors park on level two.');
    served = await startServedDeskmate({
      ...slackEnvironment(slack),
      ...larkEnvironment(lark),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-model',
      RATE_LIMIT_USER_PER_MINUTE: '100',
      RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000',
      DAILY_TOKEN_BUDGET_PER_WORKSPACE: '1000000',
      DATA_DIR: dataDirectory,
      // A knowledge folder of one file: the folder sync passes at start (its lock, its plan, its job on the
      // knowledge queue, the job's count and the pass's record).
      KNOWLEDGE_DIR: knowledgeFolder,
    });
  });
  afterAll(async () => {
    await served.deskmate.stop();
    await model.stop();
    await slack.stop();
    await lark.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
    listener.disconnect();
    await redis.config('SET', 'notify-keyspace-events', notifications);
    redis.disconnect();
  });

  const eventsUrl = () => `${served.baseUrl}/slack/events`;
  const drain = () => served.deskmate.queue.drain();
  const latest = () => slack.state.botMessages().at(-1) as FakeSlackMessage;
  const visible = (message: FakeSlackMessage) => slack.state.visibleText(message);

  async function mention(text: string, threadTs?: string) {
    const { envelope } = mentionEvent(slack, { channel: slackChannel, user: slackAuthor.id, text, threadTs });
    expect((await deliverEvent(eventsUrl(), envelope, slack.signingSecret)).status).toBe(200);
    await drain();
  }
  async function click(message: FakeSlackMessage, actionId: string) {
    const payload = buttonClick(slack, { user: slackAuthor.id, message, actionId });
    expect((await deliverInteraction(eventsUrl(), payload, slack.signingSecret)).status).toBe(200);
    await drain();
  }

  test('a slice of real flows writes only documented keys, with the TTLs documented', async () => {
    await mention('{bot} help');
    expect(visible(latest())).toContain('Deskmate');

    slack.state.userSays({ channel: slackChannel, user: zhang.id, text: 'Can we ship on Friday?' });
    slack.state.userSays({ channel: slackChannel, user: slackAuthor.id, text: 'Yes, freeze on Thursday.' });
    await mention('{bot} summarize today');
    expect(visible(latest())).toContain('Fine, thanks.');

    const shared = fileShareEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} summarize',
      name: 'notes.md',
      mimetype: 'text/markdown',
      bytes: Buffer.from('# Plan\n\nShip on Friday.\n\n# Risks\n\nThe freeze is tight.\n'),
    });
    expect((await deliverEvent(eventsUrl(), shared.envelope, slack.signingSecret)).status).toBe(200);
    await drain();
    expect(visible(latest())).toContain('Summary of notes.md');

    const added = fileShareEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} kb add',
      name: 'plan.md',
      mimetype: 'text/markdown',
      bytes: Buffer.from('# Release\n\nWe ship on Friday after the freeze.\n'),
    });
    expect((await deliverEvent(eventsUrl(), added.envelope, slack.signingSecret)).status).toBe(200);
    await drain();
    expect(visible(latest())).toContain('Added plan.md');
    await mention('{bot} ask when do we ship?');
    const answer = latest();
    expect(visible(answer)).toContain('plan.md § Release');
    await click(answer, 'deskmate:ask:feedback:0');
    expect(visible(latest())).toContain('Thanks, noted.');

    await mention(`{bot} todo add Send the weekly report by Friday <@${zhang.id}>`);
    const number = /#(\d+)/.exec(visible(latest()))?.[1];
    expect(number).toBeDefined();
    await mention('{bot} todo list');
    expect(visible(latest())).toContain('Send the weekly report');
    await mention(`{bot} todo done ${number}`);
    expect(visible(latest())).toContain(`#${number}`);

    const { envelope: direct } = directMessageEvent(slack, { user: slackAuthor.id, text: 'How are you?' });
    expect((await deliverEvent(eventsUrl(), direct, slack.signingSecret)).status).toBe(200);
    await drain();
    expect(visible(latest())).toContain('Fine, thanks.');

    const thread = assistantThreadStartedEvent(slack, { user: slackAuthor.id, contextChannel: slackChannel });
    await deliverEvent(eventsUrl(), thread.envelope, slack.signingSecret);
    const question = assistantMessageEvent(slack, {
      user: slackAuthor.id,
      channel: thread.channel,
      threadTs: thread.threadTs,
      text: 'Anything new?',
    });
    expect((await deliverEvent(eventsUrl(), question, slack.signingSecret)).status).toBe(200);
    await drain();

    const filesBefore = slack.state.files.length;
    await mention(`{bot} schedule Budget review tomorrow 3pm 45m <@${zhang.id}>`);
    expect(slack.state.files.length).toBe(filesBefore + 1);

    await mention(`{bot} can you set up 30 min with <@${zhang.id}> tomorrow afternoon about the design`);
    const card = latest();
    expect(visible(card)).toContain('Schedule this meeting?');
    await click(card, 'deskmate:schedule:create:0');
    expect(slack.state.files.length).toBe(filesBefore + 2);

    // In a channel the bot is not in, a slash command's answer goes through its response_url.
    const fields = slashCommand(slack, {
      command: '/deskmate',
      text: 'help',
      user: slackAuthor.id,
      channel: 'C0QUIET',
    });
    const postsBefore = slack.responseUrlPosts.length;
    expect((await deliverCommand(eventsUrl(), fields, slack.signingSecret)).status).toBe(200);
    await drain();
    expect(slack.responseUrlPosts.length).toBe(postsBefore + 1);

    const larkEvents = `${served.baseUrl}/lark/events`;
    const larkSays = async (chatId: string, text: string, mentions?: ['bot']) => {
      const before = lark.state.botMessages().length;
      const { payload } = messageEvent(lark, { chatId, userId: larkAuthor.openId, text, mentions });
      expect((await deliver(larkEvents, payload, lark.encryptKey)).status).toBe(200);
      await drain();
      return lark.state
        .botMessages()
        .slice(before)
        .map((message) => lark.state.visibleText(message));
    };
    expect((await larkSays(larkChat, '{mention:0} help', ['bot'])).join('\n')).toContain('Deskmate');
    expect((await larkSays(lark.state.directChat(larkAuthor.openId).chatId, '你好')).join('\n')).toContain(
      'Fine, thanks.',
    );
    lark.state.userSays({
      chatId: larkChat,
      userId: larkAuthor.openId,
      content: '{"text":"周五发布可以吗？"}',
    });
    expect((await larkSays(larkChat, '{mention:0} 总结 今天', ['bot'])).join('\n')).toContain(
      'Fine, thanks.',
    );

    // A reminder comes due: scheduled as the skills schedule one, delivered by Deskmate's reminder worker.
    const scheduler = createRedisReminderScheduler({
      url: testRedisUrl(),
      prefix,
      store: createMemoryStateStore(),
      logger: createLogger({ level: 'silent' }),
    });
    await scheduler.schedule({
      id: 'docs:keys:due-now',
      dueAt: new Date().toISOString(),
      conversation: {
        platform: 'slack',
        workspace: slack.state.teamId,
        channel: slackChannel,
        kind: 'group',
      },
      text: 'The keys test reminder',
    });
    await waitUntil(
      () => slack.state.botMessages().some((message) => visible(message).includes('The keys test reminder')),
      'the reminder',
    );
    await scheduler.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The folder's pass is closed: its job ran on the knowledge queue and wrote the pass's record.
    for (
      let tries = 0;
      tries < 100 && !(await redis.exists(`${prefix}json:knowledge-folder-sync`));
      tries += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const keys: string[] = [];
    for (let cursor = '0', first = true; first || cursor !== '0'; first = false) {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    }
    // A row the pattern above cannot read (a `|` in a cell, say) would silently document nothing.
    const architecture = readFileSync(join(__dirname, '..', '..', 'docs', 'architecture.md'), 'utf8');
    const patterns = documentedKeys(architecture, prefix);
    expect(patterns.length).toBe(architecture.match(/^\| `deskmate:/gm)?.length);
    const undocumented: string[] = [];
    const withoutTtl: string[] = [];
    const used = new Set<string>();
    for (const key of [...new Set([...written, ...keys])].sort()) {
      const match = patterns
        .filter((pattern) => pattern.expression.test(key))
        .sort((left, right) => right.literalLength - left.literalLength)[0];
      if (!match) {
        undocumented.push(key.slice(prefix.length));
        continue;
      }
      used.add(match.pattern);
      // Only keys still there can be asked for their TTL (-1: none; -2: gone since).
      if (match.hasTtl && (await redis.pttl(key)) === -1)
        withoutTtl.push(`${key.slice(prefix.length)} (${match.pattern})`);
    }
    expect({ undocumented, withoutTtl }).toEqual({ undocumented: [], withoutTtl: [] });
    // The flows above reached every part of the table they were meant to (a silent flow proves nothing).
    const reached = [
      'deskmate:seen:<platform>:event:<event id>',
      'deskmate:queue:<queue>:depth',
      'deskmate:json:posted:<job id>',
      'deskmate:turns:<conversation key>',
      'deskmate:json:summary:<conversation key>:<period or thread>',
      'deskmate:json:proposal:<id>',
      'deskmate:json:todo:<platform>:<workspace id>:item:<number>',
      'deskmate:json:reminder-sent:<reminder id>',
      'deskmate:json:reminder-cancelled:<reminder id>',
      'deskmate:counters:usage:<platform>:<workspace id>:<day>',
      'deskmate:bucket:rate:user:<platform>:<workspace id>:<user>',
      'deskmate:json:slack:response-url:<id>',
      'deskmate:seen:slack:file:<channel>:<message id>:<file name>',
      'deskmate:reminders:due',
      'deskmate:reminders:reminder:<reminder id>',
      'deskmate:queue:<queue>:conversation:<conversation key or source id>',
      'deskmate:queue:<queue>:owners',
      'deskmate:seen:knowledge-folder:<pass id>:<source id>',
      'deskmate:json:knowledge-folder-sync-progress',
      'deskmate:counters:knowledge-folder-pass:<pass id>',
      'deskmate:json:knowledge-folder-sync',
      'deskmate:lock:todo:<platform>:<workspace id>:<record>',
      'deskmate:json:slack:assistant-thread:<channel>:<thread ts>',
      'deskmate:json:lark:profile:<open id>',
      'deskmate:json:lark:p2p-owner:<chat>',
    ];
    expect(reached.filter((pattern) => !used.has(pattern))).toEqual([]);
  });
});
