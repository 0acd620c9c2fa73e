/**
 * The remote world of the benchmarks, in a process of its own so the load generator's timing is not
 * disturbed by it: the fake Slack Web API (with 200 seeded threads of 100 messages), the fake Lark Open API,
 * and a fake OpenAI-compatible model whose answers start after 200 ms and stream 3,000 tokens 20 ms apart
 * (60 s: long enough for 200 summaries to be streaming at once while the acks are measured). Reports what
 * requests need over IPC; on request, what the model has done so far (answers streaming, requests, tokens)
 * and when each of the bot's Slack messages was posted.
 * Usage (by bench/processes.ts): node dist/bench-build/bench/fake-platforms.js (or under tsx)
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

/** What the fake model has done so far. */
export interface ModelCounts {
  /** Answers streaming now. */
  answers: number;
  /** Requests received. */
  requests: number;
  /** Tokens streamed, all answers together. */
  tokens: number;
}

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
  const model = new StreamingModelServer({ firstTokenMs: 200, tokenIntervalMs: 20, tokens: 3000 });
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
  // When each bot message was posted (epoch ms): the job benchmark's replies.
  let posted: number[] = [];
  slack.state.onBotMessage = () => posted.push(performance.timeOrigin + performance.now());
  process.on('message', (message: { type: string }) => {
    if (message.type === 'model') {
      const counts: ModelCounts = {
        answers: model.streaming,
        requests: model.requests,
        tokens: model.tokensSent,
      };
      process.send?.({ type: 'model', counts });
    } else if (message.type === 'posted') {
      process.send?.({ type: 'posted', times: posted });
      posted = [];
    }
  });
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ type: 'ready', facts });
}

main().catch((error: unknown) => {
  process.stderr.write(`fake platforms failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
