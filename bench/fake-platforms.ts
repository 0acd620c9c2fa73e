/**
 * The remote world of the benchmarks, in a process of its own so the load generator's timing is not
 * disturbed by it: the fake Slack Web API (with 200 seeded threads of 100 messages), the fake Lark Open API,
 * and a fake OpenAI-compatible model whose answers start after 200 ms and stream 3,000 tokens 20 ms apart
 * (60 s: long enough for 200 summaries to be streaming at once while the acks are measured), and a proxy
 * of the Slack Web API that answers each call 100 ms late. Reports what requests need over IPC; on request,
 * what the model has done so far (answers streaming, requests, tokens), when each of the bot's Slack
 * messages was posted, and when the first reply in a given thread was.
 * Usage (by bench/processes.ts): node dist/bench-build/bench/fake-platforms.js (or under tsx)
 */
import { readFileSync } from 'node:fs';
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

/**
 * Share a file in the channel with a `summarize` mention, from a new member of the channel (the documents
 * benchmark; answered with the message's ts, its author and the file as Slack describes it in events): the bytes at `path`, with
 * the first `marker` in them overwritten by `replacement` (the same length), so each share has its own hash.
 */
export interface ShareFileRequest {
  type: 'share-file';
  path: string;
  name: string;
  mimetype: string;
  marker: string;
  replacement: string;
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
  // When each bot message was posted (epoch ms): the job benchmark's replies. And when the first bot message
  // in each thread was posted: the documents benchmark's help replies, asked for by the thread's ts.
  let posted: number[] = [];
  const firstReplyAt = new Map<string, number>();
  slack.state.onBotMessage = (message) => {
    const at = performance.timeOrigin + performance.now();
    posted.push(at);
    if (message.threadTs && !firstReplyAt.has(message.threadTs)) firstReplyAt.set(message.threadTs, at);
  };
  let newMembers = 0;
  // The documents benchmark's large file, read once; each share is a copy with its own title (own hash).
  const fileBytes = new Map<string, Buffer>();
  process.on('message', (message: { type: string } & Record<string, unknown>) => {
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
    } else if (message.type === 'share-file') {
      const share = message as unknown as ShareFileRequest;
      const original = fileBytes.get(share.path) ?? readFileSync(share.path);
      fileBytes.set(share.path, original);
      const bytes = Buffer.from(original);
      const marker = Buffer.from(share.marker, 'latin1');
      const at = bytes.indexOf(marker);
      if (at >= 0) bytes.write(share.replacement.padEnd(marker.length).slice(0, marker.length), at, 'latin1');
      // Each file from a person of its own, a member of the channel (the benchmark's load is another's).
      const user = `U0SHARE${String(slack.state.sharedFiles.size + 1).padStart(4, '0')}`;
      slack.state.addUser({ id: user, name: `sharer${user}`, displayName: `Sharer ${user}` });
      slack.state.requireChannel(slackChannel).members.push(user);
      const { message: shared, file } = slack.state.userSharesFile({
        channel: slackChannel,
        user,
        text: `<@${slack.state.botUserId}> summarize`,
        name: share.name,
        mimetype: share.mimetype,
        bytes,
      });
      process.send?.({ type: 'shared', ts: shared.ts, user, file: slack.fileObject(file) });
    } else if (message.type === 'new-member-mention') {
      // A person new to the workspace, a member of the channel, mentions the bot (top level, so its own thread).
      newMembers += 1;
      const user = `U0PROBE${String(newMembers).padStart(5, '0')}`;
      slack.state.addUser({ id: user, name: `prober${user}`, displayName: `Prober ${user}` });
      slack.state.requireChannel(slackChannel).members.push(user);
      const said = slack.state.userSays({
        channel: slackChannel,
        user,
        text: `<@${slack.state.botUserId}> ${String(message.text)}`,
      });
      process.send?.({ type: 'new-member-mentioned', ts: said.ts, user });
    } else if (message.type === 'reply-posted') {
      process.send?.({ type: 'reply-posted', at: firstReplyAt.get(String(message.thread)) ?? null });
    } else if (message.type === 'downloads') {
      process.send?.({ type: 'downloads', count: slack.fileDownloads.length });
    } else if (message.type === 'answered') {
      const name = String(message.name);
      const count = slack.state
        .botMessages()
        .filter((each) => slack.state.visibleText(each).includes(name)).length;
      process.send?.({ type: 'answered', count });
    }
  });
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ type: 'ready', facts });
}

main().catch((error: unknown) => {
  process.stderr.write(`fake platforms failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
