// Proves: forged, replayed, stale, future, oversized, malformed and undecryptable requests to both webhooks, and unknown paths, get the right status codes thousands of times over, with no second reply, no crash, and no memory kept.
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encryptPayload, messageEvent, postRaw, signatureHeaders } from '../fakes/lark-events';
import { FakeLarkServer } from '../fakes/lark-open-api';
import { mentionEvent, signedHeaders } from '../fakes/slack-events';
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

/** Requests sent after the warm-up; the matrix repeats until this many went out. */
const measuredRequests = 5000;
/** Every request that is refused carries this much padding, so a leak of kept bodies shows in the heap. */
const padding = 'x'.repeat(16 * 1024);
/** Just over both routes' 1 MB limit. */
const oversized = 'o'.repeat(1024 * 1024 + 100 * 1024);
/** Heap plus Buffer memory may grow this much over the measured requests (a kept padded body per request: ~80 MB). */
const allowedGrowthBytes = 20 * 1024 * 1024;

/** A full garbage collection, and the memory still held by the heap and by Buffers. */
function retainedBytes(): number {
  setFlagsFromString('--expose_gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

interface Probe {
  name: string;
  expected: number;
  send(): Promise<number>;
}

/** One bad request (or a replay of a good one) and the status it must get. */
function probe(name: string, expected: number, url: string, body: string, headers = {}): Probe {
  return {
    name,
    expected,
    send: async () => (await postRaw(url, body, headers)).status,
  };
}

describe('bad input to both webhooks', () => {
  const slack = new FakeSlackServer();
  const lark = new FakeLarkServer();
  let served: ServedDeskmate;
  const crashes: unknown[] = [];
  const recordCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    await slack.start();
    await lark.start();
    prepareSlackWorkspace(slack);
    prepareLarkWorkspace(lark);
    process.on('unhandledRejection', recordCrash);
    process.on('uncaughtException', recordCrash);
    served = await startServedDeskmate({
      ...slackEnvironment(slack),
      ...larkEnvironment(lark),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `bad-input-${process.pid}-${Date.now()}:`,
      SHUTDOWN_GRACE_MS: '2000',
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', recordCrash);
    process.off('uncaughtException', recordCrash);
    await served?.deskmate.stop();
    await slack.stop();
    await lark.stop();
  });

  const slackReplies = () => slack.callsTo('chat.postMessage').length;
  const larkReplies = () => lark.state.botMessages().length;

  /** A Slack mention, signed as Slack signs it, answered once; its exact request is returned for replaying. */
  async function acceptedSlackRequest(): Promise<{ body: string; headers: Record<string, string> }> {
    const { envelope } = mentionEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} help',
    });
    const body = JSON.stringify(envelope);
    const headers = { ...signedHeaders(body, slack.signingSecret) };
    const before = slackReplies();
    expect((await postRaw(`${served.baseUrl}/slack/events`, body, headers)).status).toBe(200);
    await waitUntil(() => slackReplies() === before + 1, 'the Slack reply', 10_000);
    return { body, headers };
  }

  /** A Lark mention, encrypted and signed as Lark sends it, answered once; its exact request is returned. */
  async function acceptedLarkRequest(): Promise<{ body: string; headers: Record<string, string> }> {
    const { payload } = messageEvent(lark, {
      chatId: larkChat,
      userId: larkAuthor.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    const body = encryptPayload(payload, lark.encryptKey);
    const headers = signatureHeaders(body, lark.encryptKey);
    const before = larkReplies();
    expect((await postRaw(`${served.baseUrl}/lark/events`, body, headers)).status).toBe(200);
    await waitUntil(() => larkReplies() === before + 1, 'the Lark reply', 10_000);
    return { body, headers };
  }

  /** The matrix: every kind of bad request to both routes, and a replay of an accepted one to each. */
  function matrix(
    slackReplay: { body: string; headers: Record<string, string> },
    larkReplay: { body: string; headers: Record<string, string> },
    withOversized: boolean,
  ): Probe[] {
    const slackUrl = `${served.baseUrl}/slack/events`;
    const larkUrl = `${served.baseUrl}/lark/events`;
    const now = Math.floor(Date.now() / 1000);
    const slackBody = JSON.stringify({
      ...mentionEvent(slack, { channel: slackChannel, user: slackAuthor.id, text: '{bot} help' }).envelope,
      padding,
    });
    const slackSigned = (body: string, timestamp = now) =>
      signedHeaders(body, slack.signingSecret, timestamp);
    const { payload } = messageEvent(lark, {
      chatId: larkChat,
      userId: larkAuthor.openId,
      text: '{mention:0} help',
      mentions: ['bot'],
    });
    const larkBody = encryptPayload({ ...payload, padding }, lark.encryptKey);
    const larkSigned = (body: string, timestamp = now) => signatureHeaders(body, lark.encryptKey, timestamp);
    const malformed = `{"type":"event_callback","padding":"${padding}"`;
    const garbage = JSON.stringify({ encrypt: randomBytes(12 * 1024).toString('base64') });
    const probes: Probe[] = [
      probe('slack forged', 401, slackUrl, slackBody, signedHeaders(slackBody, 'not-the-secret')),
      probe('slack stale', 401, slackUrl, slackBody, slackSigned(slackBody, now - 6 * 60)),
      probe('slack future', 401, slackUrl, slackBody, slackSigned(slackBody, now + 6 * 60)),
      probe('slack unsigned', 401, slackUrl, slackBody),
      probe('slack malformed JSON', 400, slackUrl, malformed, slackSigned(malformed)),
      probe('slack replayed', 200, slackUrl, slackReplay.body, slackReplay.headers),
      probe('lark forged', 401, larkUrl, larkBody, {
        ...larkSigned(larkBody),
        'x-lark-signature': 'f'.repeat(64),
      }),
      probe('lark stale', 401, larkUrl, larkBody, larkSigned(larkBody, now - 10 * 60)),
      probe('lark future', 401, larkUrl, larkBody, larkSigned(larkBody, now + 10 * 60)),
      probe('lark unsigned', 401, larkUrl, larkBody),
      probe('lark malformed JSON', 400, larkUrl, malformed, larkSigned(malformed)),
      probe('lark garbage encrypt', 400, larkUrl, garbage, larkSigned(garbage)),
      probe('lark short garbage encrypt, unsigned', 400, larkUrl, '{"encrypt":"AAAAgarbage=="}'),
      probe('lark replayed', 200, larkUrl, larkReplay.body, larkReplay.headers),
      probe('unknown path', 404, `${served.baseUrl}/admin`, slackBody, slackSigned(slackBody)),
      probe('unknown path under lark', 404, `${larkUrl}/extra`, larkBody, larkSigned(larkBody)),
    ];
    if (withOversized) {
      const slackLarge = JSON.stringify({ padding: oversized });
      const larkLarge = JSON.stringify({ encrypt: oversized });
      probes.push(
        probe('slack oversized', 413, slackUrl, slackLarge, slackSigned(slackLarge)),
        probe('lark oversized', 413, larkUrl, larkLarge, larkSigned(larkLarge)),
      );
    }
    return probes;
  }

  test('the matrix, thousands of times: right status codes, no second reply, no crash, memory flat', async () => {
    const slackReplay = await acceptedSlackRequest();
    const larkReplay = await acceptedLarkRequest();
    const wrong = new Map<string, string>();
    let sent = 0;
    const runRound = async (round: number) => {
      const probes = matrix(slackReplay, larkReplay, round % 10 === 0);
      const statuses = await Promise.all(probes.map((each) => each.send()));
      probes.forEach((each, index) => {
        if (statuses[index] !== each.expected) {
          wrong.set(each.name, `expected ${each.expected}, got ${statuses[index]}`);
        }
      });
      sent += probes.length;
    };

    for (let round = 0; round < 30; round += 1) await runRound(round);
    const baseline = retainedBytes();
    sent = 0;
    for (let round = 0; sent < measuredRequests; round += 1) await runRound(round);
    const growth = retainedBytes() - baseline;

    expect(Object.fromEntries(wrong)).toEqual({});
    expect(sent).toBeGreaterThanOrEqual(measuredRequests);
    expect(growth).toBeLessThan(allowedGrowthBytes);
    expect(crashes).toEqual([]);

    // Replays, however often, were answered once; nothing bad was queued.
    await served.deskmate.queue.drain();
    expect(slackReplies()).toBe(1);
    expect(larkReplies()).toBe(1);
    expect(slack.callsTo('chat.update')).toHaveLength(0);

    // Still alive and serving: health, and a fresh event on each platform is answered.
    expect((await fetch(`${served.baseUrl}/healthz`)).status).toBe(200);
    await acceptedSlackRequest();
    await acceptedLarkRequest();
    expect(slackReplies()).toBe(2);
    expect(larkReplies()).toBe(2);
  }, 60_000);
});
