// Proves: the acknowledgement path calls no Slack API. A `web` process takes a burst of mentions, DMs, slash
// commands and clicks and Slack's Web API hears nothing from it; the `jobs` process then answers them with
// the names looked up on its side.
import {
  buttonClick,
  deliverCommand,
  deliverEvent,
  deliverInteraction,
  directMessageEvent,
  mentionEvent,
  slashCommand,
} from '../fakes/slack-events';
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

describe('the acknowledgement path', () => {
  const slack = new FakeSlackServer();
  const prefix = `ack-path-${process.pid}-${Date.now()}:`;
  const colleague = { id: 'U0BOB0001', name: 'bob', displayName: 'Bob', timezone: 'Asia/Tokyo' };
  let web: ServedDeskmate;
  let jobs: ServedDeskmate | undefined;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    slack.state.addUser(colleague);
    web = await startServedDeskmate({
      ...slackEnvironment(slack),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      DESKMATE_ROLE: 'web',
    });
  });
  afterAll(async () => {
    await web.deskmate.stop();
    await jobs?.deskmate.stop();
    await slack.stop();
  });

  test('a burst of deliveries is acknowledged without one Web API call; the jobs side names the people', async () => {
    const url = `${web.baseUrl}/slack/events`;
    // A card with a Done button to click, posted before the burst.
    const card = slack.state.botPosts({
      channel: slackChannel,
      text: 'list',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'deskmate:todo:done:0',
              value: '1',
              text: { type: 'plain_text', text: 'Done' },
            },
          ],
        },
      ],
    });
    const callsBefore = slack.calls.length;
    const deliveries: Array<Promise<{ status: number }>> = [];
    for (let index = 0; index < 20; index += 1) {
      const { envelope } = mentionEvent(slack, {
        channel: slackChannel,
        user: slackAuthor.id,
        text: `{bot} todo add Review draft ${index} <@${colleague.id}>`,
      });
      deliveries.push(deliverEvent(url, envelope, slack.signingSecret));
    }
    deliveries.push(
      deliverEvent(
        url,
        directMessageEvent(slack, { user: slackAuthor.id, text: 'help' }).envelope,
        slack.signingSecret,
      ),
    );
    deliveries.push(
      deliverCommand(
        url,
        slashCommand(slack, {
          command: '/todo',
          text: `list <@${colleague.id}>`,
          user: slackAuthor.id,
          channel: slackChannel,
        }),
        slack.signingSecret,
      ),
    );
    deliveries.push(
      deliverInteraction(
        url,
        buttonClick(slack, { user: slackAuthor.id, message: card, actionId: 'deskmate:todo:done:0' }),
        slack.signingSecret,
      ),
    );
    const answers = await Promise.all(deliveries);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(slack.calls.slice(callsBefore).map((call) => call.method)).toEqual([]);

    jobs = await startServedDeskmate({
      ...slackEnvironment(slack),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      DESKMATE_ROLE: 'jobs',
    });
    const todoAnswersNow = () =>
      slack.state
        .botMessages()
        .map((message) => slack.state.visibleText(message))
        .filter((text) => /Added todo #\d+: Review draft/.test(text));
    // Wait for the todo answers themselves: the other answers of the burst (the list, the click) also post.
    await waitUntil(() => todoAnswersNow().length >= 20, 'the twenty todo answers', 20_000);
    const todoAnswers = todoAnswersNow();
    expect(todoAnswers).toHaveLength(20);
    for (const text of todoAnswers) expect(text).toContain('@Bob');
    expect(slack.callsTo('users.info').length).toBeGreaterThan(0);
  });
});
