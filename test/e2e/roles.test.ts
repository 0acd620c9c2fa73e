// Proves, with real processes on one Redis: DESKMATE_ROLE=web receives and queues but runs no job, `jobs`
// processes run them; every process serves /healthz, /readyz and /metrics; two messages sent 10 ms apart in
// one DM are answered in order with two `jobs` replicas (the second answer saw the first exchange); two
// `web` replicas in Socket Mode that both get one event answer it once; web or jobs without Redis refuse to
// start, saying why.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { conversationKey } from '../../src/core/conversation';
import { createRedisStateStore } from '../../src/state/redis-state-store';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { deliverEvent, directMessageEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  type DeskmateProcess,
  startDeskmateProcess,
  stopDeskmateProcesses,
} from '../helpers/deskmate-process';
import { prepareSlackWorkspace, slackAuthor, slackChannel } from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

const repositoryRoot = join(__dirname, '..', '..');

/** The user text of the last message the model was sent. */
function lastUserText(body: Record<string, unknown>): string {
  const messages = body.messages as Array<{ role: string; content: string }>;
  return messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
}

describe('process roles on one Redis', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  const prefix = `roles-${process.pid}-${Date.now()}:`;
  let web: DeskmateProcess;
  let jobs: DeskmateProcess[];

  const common = () => ({
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    LLM_PROVIDER: 'openai',
    OPENAI_MODEL: 'fake-model',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    // The first message's answer is slow: without ordering the second would be answered first.
    model.fallback = (body) => {
      const text = lastUserText(body);
      const earlier = (body.messages as unknown[]).length - 2;
      return { chunks: [`answer to ${text} after ${earlier} turns`], delayMs: text === 'first' ? 600 : 0 };
    };
    const environment = { ...common(), OPENAI_BASE_URL: modelUrl };
    web = await startDeskmateProcess({
      ...environment,
      DESKMATE_ROLE: 'web',
      SLACK_SIGNING_SECRET: slack.signingSecret,
    });
    jobs = await Promise.all(
      [1, 2].map(() => startDeskmateProcess({ ...environment, DESKMATE_ROLE: 'jobs' })),
    );
  });
  afterAll(async () => {
    await stopDeskmateProcesses();
    await model.stop();
    await slack.stop();
  });

  const metric = async (process: DeskmateProcess, pattern: RegExp) => {
    const text = await (await fetch(`${process.baseUrl}/metrics`)).text();
    return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  };

  test('every process serves health, readiness and metrics', async () => {
    for (const each of [web, ...jobs]) {
      expect((await fetch(`${each.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${each.baseUrl}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${each.baseUrl}/metrics`)).text()).toMatch(/deskmate_queue_depth/);
    }
    // Only `web` has the webhook route.
    expect((await fetch(`${jobs[0].baseUrl}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  test('two messages 10 ms apart in one DM are answered in order, the second knowing the first', async () => {
    const dm = slack.state.directChannel(slackAuthor.id).id;
    const before = slack.state.botMessages().length;
    for (const text of ['first', 'second']) {
      const { envelope } = directMessageEvent(slack, { user: slackAuthor.id, text });
      expect((await deliverEvent(`${web.baseUrl}/slack/events`, envelope, slack.signingSecret)).status).toBe(
        200,
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitUntil(() => slack.state.botMessages().length >= before + 2, 'both answers', 15_000);
    const answers = slack.state
      .botMessages()
      .slice(before)
      .filter((message) => message.channel === dm)
      .map((message) => slack.state.visibleText(message));
    expect(answers).toEqual(['answer to first after 0 turns', 'answer to second after 2 turns']);

    const store = createRedisStateStore({ url: testRedisUrl(), prefix });
    await store.ping();
    try {
      const key = conversationKey({
        platform: 'slack',
        workspace: slack.state.teamId,
        channel: dm,
        kind: 'dm',
      });
      const turns = await store.turns(key);
      expect(turns.map((turn) => [turn.role, turn.text])).toEqual([
        ['user', 'first'],
        ['assistant', 'answer to first after 0 turns'],
        ['user', 'second'],
        ['assistant', 'answer to second after 2 turns'],
      ]);
    } finally {
      await store.close();
    }
    // `web` received both and ran neither; the jobs processes ran both between them.
    expect(await metric(web, /^deskmate_events_total\{platform="slack",outcome="accepted"\} (\d+)/gm)).toBe(
      2,
    );
    expect(await metric(web, /^deskmate_jobs_total\{[^}]*\} (\d+)/gm)).toBe(0);
    const ran = await Promise.all(
      jobs.map((each) => metric(each, /^deskmate_jobs_total\{[^}]*outcome="ok"\} (\d+)/gm)),
    );
    expect(ran.reduce((sum, count) => sum + count, 0)).toBe(2);
  });

  test('two web replicas in Socket Mode that both get one event answer it once', async () => {
    // Stopped in afterAll with the others (stopDeskmateProcesses).
    await Promise.all(
      [1, 2].map(() =>
        startDeskmateProcess({
          ...common(),
          OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
          DESKMATE_ROLE: 'web',
          SLACK_APP_TOKEN: slack.appToken,
        }),
      ),
    );
    await waitUntil(() => slack.socketMode.connectedCount() === 2, 'both Socket Mode connections');
    const before = slack.state.botMessages().length;
    const { envelope } = mentionEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} help',
    });
    await Promise.all(slack.socketMode.deliverToEach('events_api', envelope));
    await waitUntil(() => slack.state.botMessages().length > before, 'the answer', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.state.botMessages().length).toBe(before + 1);
  });
});

describe('a role that needs Redis', () => {
  test.each(['web', 'jobs'])('DESKMATE_ROLE=%s without REDIS_URL refuses to start and says why', (role) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', DESKMATE_ROLE: role, DESKMATE_CONSOLE: 'off' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`REDIS_URL: is required with DESKMATE_ROLE=${role}`);
    expect(result.stderr).toContain('DESKMATE_ROLE=all');
  });
});
