/**
 * The remote world of the ack benchmarks, in a process of its own so the load generator's timing is not
 * disturbed by it: the fake Slack Web API (with 200 seeded threads of 100 messages), the fake Lark Open
 * API, and a fake OpenAI-compatible model whose answers start after 200 ms and stream 400 tokens 20 ms
 * apart. Reports what requests need over IPC, and on request how many model answers are streaming and how
 * many tokens the model has streamed.
 * Usage (by bench/ack.ts): node dist/bench-build/bench/fake-platforms.js (or under tsx)
 */
import { FakeLarkServer } from '../test/fakes/lark-open-api';
import { FakeSlackServer } from '../test/fakes/slack-web-api';
import {
  prepareLarkWorkspace,
  prepareSlackWorkspace,
  slackAuthor,
  slackChannel,
} from '../test/helpers/served-deskmate';
import { StreamingModelServer } from './streaming-model';

/** What the benchmark needs to know about the fakes. */
export interface FakePlatformFacts {
  slack: { apiUrl: string; botToken: string; signingSecret: string; teamId: string; botUserId: string };
  lark: {
    url: string;
    appId: string;
    appSecret: string;
    encryptKey: string;
    verificationToken: string;
    tenantKey: string;
    botOpenId: string;
  };
  /** The fake model's base URL. */
  modelUrl: string;
  /** Thread roots with 100 messages each, for the summaries that stream during `slack-busy`. */
  summaryRoots: string[];
}

async function main(): Promise<void> {
  const slack = new FakeSlackServer();
  await slack.start();
  prepareSlackWorkspace(slack);
  const lark = new FakeLarkServer();
  await lark.start();
  prepareLarkWorkspace(lark);
  const summaryRoots: string[] = [];
  for (let thread = 0; thread < 200; thread += 1) {
    const rootMessage = slack.state.userSays({
      channel: slackChannel,
      user: slackAuthor.id,
      text: `Topic ${thread}`,
    });
    for (let index = 0; index < 100; index += 1) {
      slack.state.userSays({
        channel: slackChannel,
        user: slackAuthor.id,
        text: `Update ${index} on topic ${thread}: the laptops arrive Tuesday and the VPN certificates renew Friday.`,
        threadTs: rootMessage.ts,
      });
    }
    summaryRoots.push(rootMessage.ts);
  }
  const model = new StreamingModelServer({ firstTokenMs: 200, tokenIntervalMs: 20, tokens: 400 });
  const modelUrl = await model.start();
  const facts: FakePlatformFacts = {
    slack: {
      apiUrl: slack.apiUrl,
      botToken: slack.botToken,
      signingSecret: slack.signingSecret,
      teamId: slack.state.teamId,
      botUserId: slack.state.botUserId,
    },
    lark: {
      url: lark.url,
      appId: lark.appId,
      appSecret: lark.appSecret,
      encryptKey: lark.encryptKey,
      verificationToken: lark.verificationToken,
      tenantKey: lark.state.tenantKey,
      botOpenId: lark.state.botOpenId,
    },
    modelUrl,
    summaryRoots,
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'streaming')
      process.send?.({ type: 'streaming', count: model.streaming, tokens: model.tokensSent });
  });
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ type: 'ready', facts });
}

main().catch((error: unknown) => {
  process.stderr.write(`fake platforms failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
