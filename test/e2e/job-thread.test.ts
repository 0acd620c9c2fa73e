// Proves: with Redis, a mention is answered whether jobs run in their own thread (JOB_THREAD=on, the default)
// or in the acknowledging thread (off), and /metrics counts the job where it ran, once.
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackAuthor,
  slackChannel,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

describe.each(['on', 'off'])('JOB_THREAD=%s with Redis', (jobThread) => {
  const fake = new FakeSlackServer();
  let served: ServedDeskmate;

  beforeAll(async () => {
    await fake.start();
    prepareSlackWorkspace(fake);
    served = await startServedDeskmate({
      ...slackEnvironment(fake),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `job-thread-${jobThread}-${process.pid}:`,
      JOB_THREAD: jobThread,
    });
  });
  afterAll(async () => {
    await served?.deskmate.stop();
    await fake.stop();
  });

  test('a mention is answered once and counted once in /metrics', async () => {
    const { envelope } = mentionEvent(fake, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} help',
    });
    const answer = await deliverEvent(`${served.baseUrl}/slack/events`, envelope, fake.signingSecret);
    expect(answer.status).toBe(200);
    await waitUntil(() => fake.callsTo('chat.postMessage').length > 0, 'the reply', 10_000);
    // The job is counted when it finishes, just after its reply is posted.
    const jobCounted = /^deskmate_jobs_total\{skill="help",outcome="ok"\} 1$/m;
    let metrics = '';
    for (let tries = 0; tries < 100 && !jobCounted.test(metrics); tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await (await fetch(`${served.baseUrl}/metrics`)).text();
    }
    expect(metrics).toMatch(jobCounted);
    expect(metrics).toMatch(/^deskmate_events_total\{platform="slack",outcome="accepted"\} 1$/m);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    const ready = (await (await fetch(`${served.baseUrl}/readyz`)).json()) as {
      checks: Record<string, boolean>;
    };
    expect(ready.checks.jobs).toBe(jobThread === 'on' ? true : undefined);
  });
});
