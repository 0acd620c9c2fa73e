/**
 * The remote world of the benchmarks, in a process of its own so the load generator's timing is not
 * disturbed by it: the fake Slack Web API (with 200 seeded threads of 100 messages), the fake Lark Open API,
 * and a fake OpenAI-compatible model whose answers start after 200 ms and stream 3,000 tokens 20 ms apart
 * (60 s: long enough for 200 summaries to be streaming at once while the acks are measured), and a proxy
 * of the Slack Web API that answers each call 100 ms late. Reports what requests need over IPC; on request,
 * what the model has done so far (answers streaming, requests, tokens) and when each of the bot's Slack
 * messages was posted.
 * Usage (by bench/processes.ts): node dist/bench-build/bench/fake-platforms.js (or under tsx)
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  slack: {
    apiUrl: string;
    /** The same Web API answering each call after `slackLatencyMs`, as the real one does from afar. */
    slowApiUrl: string;
    botToken: string;
    signingSecret: string;
    teamId: string;
    botUserId: string;
  };
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

/** How long the slow Web API takes to answer a call (the real one takes about 100–300 ms). */
export const slackLatencyMs = 100;

/** A proxy on a free loopback port that passes each request on to `target` after `delayMs`; its base URL. */
async function startDelayingProxy(target: string, delayMs: number): Promise<string> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        const forward = request(
          `${target}${incoming.url ?? '/'}`,
          { method: incoming.method, headers: incoming.headers, agent },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forward.on('error', () => outgoing.destroy());
        forward.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  const slowSlackUrl = await startDelayingProxy(slack.url, slackLatencyMs);
  const facts: FakePlatformFacts = {
    slack: {
      apiUrl: slack.apiUrl,
      slowApiUrl: `${slowSlackUrl}/api/`,
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
