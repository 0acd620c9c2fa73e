// Proves: with Redis, a mention is answered whether jobs run in their own thread (JOB_THREAD=on, the default)
// or in the acknowledging thread (off), and /metrics counts the job where it ran, once; the job thread runs
// below the acknowledging thread's priority, with the helper threads both share.
import { readdirSync, readFileSync } from 'node:fs';
import { jobThreadNiceness } from '../../src/thread-priority';
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

/** Each thread of this process and its niceness (Linux: a priority belongs to a thread). */
function threadNiceness(): Map<number, number> {
  const niceness = new Map<number, number>();
  for (const threadId of readdirSync('/proc/self/task').map(Number)) {
    try {
      const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'utf8');
      // Fields after the command name: state is field 3, niceness field 19.
      niceness.set(threadId, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return niceness;
}

describe.each(['on', 'off'])('JOB_THREAD=%s with Redis', (jobThread) => {
  const fake = new FakeSlackServer();
  let served: ServedDeskmate;
  let threadsBefore: number[] = [];

  beforeAll(async () => {
    threadsBefore = [...threadNiceness().keys()];
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

  test('acknowledgements keep the normal priority; the job thread lowers its helpers below it', () => {
    const niceness = threadNiceness();
    expect(niceness.get(process.pid)).toBe(0);
    if (jobThread === 'off') return;
    // V8's collectors and compilers and libuv's pool are shared by both threads: all are lowered.
    const helpers = threadsBefore.filter((threadId) => threadId !== process.pid && niceness.has(threadId));
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.map((threadId) => niceness.get(threadId))).toEqual(helpers.map(() => jobThreadNiceness));
  });
});
