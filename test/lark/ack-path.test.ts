// Proves: the Lark acknowledgement path calls no Open API. A `web` process takes a burst of group mentions
// and direct messages and the fake Open API hears nothing from it after start; a `jobs` process answers.
import { deliver, messageEvent } from '../fakes/lark-events';
import { FakeLarkServer } from '../fakes/lark-open-api';
import {
  larkAuthor,
  larkChat,
  larkEnvironment,
  prepareLarkWorkspace,
  type ServedDeskmate,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { waitUntil } from '../helpers/wait';

describe('the Lark acknowledgement path', () => {
  const lark = new FakeLarkServer();
  const prefix = `lark-ack-path-${process.pid}-${Date.now()}:`;
  let web: ServedDeskmate;
  let jobs: ServedDeskmate | undefined;

  beforeAll(async () => {
    await lark.start();
    prepareLarkWorkspace(lark);
    web = await startServedDeskmate({
      ...larkEnvironment(lark),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      DESKMATE_ROLE: 'web',
    });
    // The bot identity is read once at start.
    await waitUntil(() => lark.requestsTo('GET', /\/bot\/v3\/info$/).length > 0, 'the bot identity');
  });
  afterAll(async () => {
    await web.deskmate.stop();
    await jobs?.deskmate.stop();
    await lark.stop();
  });

  test('a burst of mentions and direct messages is acknowledged without one Open API call', async () => {
    const url = `${web.baseUrl}/lark/events`;
    const requestsBefore = lark.requests.length;
    const direct = lark.state.directChat(larkAuthor.openId).chatId;
    const payloads = [
      ...Array.from(
        { length: 10 },
        (_, index) =>
          messageEvent(lark, {
            chatId: larkChat,
            userId: larkAuthor.openId,
            text: `{mention:0} help ${index}`,
            mentions: ['bot'],
          }).payload,
      ),
      ...Array.from(
        { length: 5 },
        (_, index) =>
          messageEvent(lark, { chatId: direct, userId: larkAuthor.openId, text: `帮助 ${index}` }).payload,
      ),
    ];
    const answers = await Promise.all(payloads.map((payload) => deliver(url, payload, lark.encryptKey)));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(lark.requests.slice(requestsBefore).map((request) => `${request.method} ${request.path}`)).toEqual(
      [],
    );

    jobs = await startServedDeskmate({
      ...larkEnvironment(lark),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      DESKMATE_ROLE: 'jobs',
    });
    await waitUntil(() => lark.state.botMessages().length >= 15, 'fifteen answers', 20_000);
  });
});
