// Proves: a Deskmate process killed with SIGKILL in the middle of a job loses nothing: a new process finishes the job, and the person sees one reply (the placeholder, updated), not two.
import { FakeOpenAIServer } from '../fakes/openai-server';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import { startDeskmateProcess, stopDeskmateProcesses } from '../helpers/deskmate-process';
import {
  prepareSlackWorkspace,
  slackAuthor,
  slackChannel,
  slackEnvironment,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

/**
 * How long a running job stays locked to its process. Deskmate's default is 60 s (plus up to 30 s until the
 * next stalled-job check), too long for a test.
 *
 * ASSUMES A SRC CHANGE: `JOB_LOCK_DURATION_MS` read by src/config.ts and passed by src/main.ts to
 * createBullQueue as `lockDurationMs` (which also sets the stalled-check interval). Without it the second
 * process only takes the job over after ~60–90 s and this test times out.
 */
const jobLockDurationMs = 2000;

describe('kill -9 in the middle of a job', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  let environment: Record<string, string>;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    environment = {
      ...slackEnvironment(slack),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `kill-${process.pid}-${Date.now()}:`,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-model',
      OPENAI_API_KEY: 'sk-fake',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '60000',
      LLM_MAX_RETRIES: '0',
      JOB_LOCK_DURATION_MS: String(jobLockDurationMs),
      SHUTDOWN_GRACE_MS: '1000',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await stopDeskmateProcesses(0);
    await model.stop();
    await slack.stop();
  });

  test('a new process finishes the job and updates the placeholder: one reply', async () => {
    const root = slack.state.userSays({
      channel: slackChannel,
      user: slackAuthor.id,
      text: 'Release plan: we ship on Friday, docs by Thursday.',
    });
    slack.state.userSays({
      channel: slackChannel,
      user: slackAuthor.id,
      text: 'Agreed, code freeze Thursday noon.',
      threadTs: root.ts,
    });
    // The first model call never answers: the job is mid-run when its process dies. Later calls answer.
    model.enqueue({ chunks: ['never sent'], stallAfterChunks: 0 });
    model.fallback = { chunks: ['**TL;DR** We ship on Friday after a Thursday code freeze [1].'] };

    const doomed = await startDeskmateProcess(environment);
    const { envelope } = mentionEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} summarize',
      threadTs: root.ts,
    });
    const answer = await deliverEvent(`${doomed.baseUrl}/slack/events`, envelope, slack.signingSecret);
    expect(answer.status).toBe(200);
    await waitUntil(() => model.requests.length === 1, 'the job to reach the model', 15_000);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1); // the "reading…" placeholder

    await doomed.signal('SIGKILL');
    expect(doomed.child.signalCode).toBe('SIGKILL');

    const survivor = await startDeskmateProcess(environment);
    const finalText = () => slack.state.botMessages()[0]?.text ?? '';
    await waitUntil(
      () => /ship on Friday/.test(finalText()),
      'the new process to finish the job (needs JOB_LOCK_DURATION_MS honoured, see above)',
      40_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the new process logged:\n${survivor.output()}`);
    });

    // One message in the thread, posted once and updated in place; the model was asked again once.
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const replies = slack.state.botMessages();
    expect(replies).toHaveLength(1);
    expect(replies[0].threadTs).toBe(root.ts);
    expect(replies[0].updates).toBeGreaterThanOrEqual(1);
    expect(model.requests).toHaveLength(2);
    await survivor.signal('SIGTERM');
    expect(survivor.child.exitCode).toBe(0);
  }, 60_000);
});
