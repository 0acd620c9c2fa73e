// Proves, with a `web` and two `jobs` processes on one Redis: the limits are the deployment's, not each
// process's. A person over their per-minute limit is answered three times and told once, whichever process
// takes their messages; twenty replies streaming through both processes together stay within the
// workspace's one Slack append budget, and each still ends with its whole text.
import { FakeOpenAIServer } from '../fakes/openai-server';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import { type DeskmateProcess, startDeskmateProcess } from '../helpers/deskmate-process';
import { prepareSlackWorkspace, slackAuthor, slackChannel } from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

/** The Slack adapter's default append budget: 120 a minute, bursts of 10. */
const appendsPerSecond = 2;
const appendBurst = 10;
const words = Array.from({ length: 24 }, (_, index) => `word${index} `);

describe('limits shared by every jobs process', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  const processes: DeskmateProcess[] = [];
  let web: DeskmateProcess;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    // Long answers, streamed slowly: each reply wants to append many times.
    model.fallback = { chunks: words, chunkDelayMs: 120 };
    const environment = {
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `shared-limits-${process.pid}-${Date.now()}:`,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-model',
      RATE_LIMIT_USER_PER_MINUTE: '3',
      WORKER_CONCURRENCY: '10',
      LOG_LEVEL: 'warn',
    };
    web = await startDeskmateProcess({
      ...environment,
      DESKMATE_ROLE: 'web',
      SLACK_SIGNING_SECRET: slack.signingSecret,
    });
    const jobs = await Promise.all(
      [1, 2].map(() => startDeskmateProcess({ ...environment, DESKMATE_ROLE: 'jobs' })),
    );
    processes.push(web, ...jobs);
  });
  afterAll(async () => {
    await Promise.all(processes.map((each) => each.signal('SIGTERM')));
    await model.stop();
    await slack.stop();
  });

  const mention = async (user: string, text: string) => {
    const { envelope } = mentionEvent(slack, { channel: slackChannel, user, text: `{bot} ${text}` });
    expect((await deliverEvent(`${web.baseUrl}/slack/events`, envelope, slack.signingSecret)).status).toBe(
      200,
    );
  };

  test('ten requests from one person: three answers and one notice across both processes', async () => {
    const before = slack.state.botMessages().length;
    await Promise.all(Array.from({ length: 10 }, (_, index) => mention(slackAuthor.id, `help ${index}`)));
    await waitUntil(
      () => slack.state.botMessages().length >= before + 4,
      'the answers and the notice',
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = slack.state.botMessages().slice(before);
    const notices = sent.filter((message) => /faster than I can take/.test(slack.state.visibleText(message)));
    expect(notices).toHaveLength(1);
    expect(notices[0].visibleTo).toBe(slackAuthor.id);
    expect(sent.filter((message) => /Deskmate/.test(slack.state.visibleText(message)))).toHaveLength(3);
  });

  test('twenty replies streaming through both processes stay within the one append budget and end whole', async () => {
    const users = Array.from({ length: 20 }, (_, index) => `U0STREAM${String(index).padStart(2, '0')}`);
    for (const user of users) slack.state.channels.get(slackChannel)?.members.push(user);
    const appendsBefore = slack.callsTo('chat.appendStream').length;
    const stopsBefore = slack.callsTo('chat.stopStream').length;
    const repliesBefore = slack.state.botMessages().length;
    const started = Date.now();
    await Promise.all(users.map((user) => mention(user, 'draft a long story about the office move')));
    const whole = words.join('').trim();
    // Every reply of this test, streamed or (where an append was lost) stopped and rewritten whole by chat.update.
    const replies = () =>
      slack.state
        .botMessages()
        .slice(repliesBefore)
        .filter((message) => !message.stream?.open)
        .map((message) => slack.state.visibleText(message))
        .filter((text) => text.startsWith('word0'));
    await waitUntil(
      () => replies().filter((text) => text.includes(whole)).length >= 20,
      'twenty finished replies, each whole',
      45_000,
    );
    const seconds = (Date.now() - started) / 1000;
    const appends = slack.callsTo('chat.appendStream').length - appendsBefore;
    // One bucket for the workspace: the burst, then two a second (a process each would allow twice that).
    expect(appends).toBeLessThanOrEqual(appendBurst + Math.ceil(appendsPerSecond * seconds) + 2);
    // They streamed (each started and stopped a stream), and each request got exactly one reply, none cut.
    expect(slack.callsTo('chat.stopStream').length - stopsBefore).toBeGreaterThanOrEqual(20);
    expect(replies()).toEqual(Array.from({ length: 20 }, () => expect.stringContaining(whole)));
  }, 60_000);
});
