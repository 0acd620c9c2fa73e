/**
 * A fake Slack for the manual demo: serves the Web API and Socket Mode on 127.0.0.1, prints the SLACK_*
 * settings to start Deskmate with, sends a signed mention (to a webhook with --to, else over Socket
 * Mode), and prints every reply the bot posts.
 *
 *   npx tsx test/fakes/start-fake-slack.ts [--mention "help"] [--to http://127.0.0.1:3000/slack/events] [--exit-after-reply]
 *
 * Lines typed on stdin are sent as further mentions. FAKE_SLACK_PORT sets the port (default 4020).
 */
import { createInterface } from 'node:readline';
import { deliverEvent, mentionEvent } from './slack-events';
import type { FakeSlackMessage } from './slack-state';
import { FakeSlackServer } from './slack-web-api';

const alice = { id: 'U0ALICE01', name: 'alice', displayName: 'Alice', timezone: 'Europe/Berlin' };
const zhang = { id: 'U0ZHANG01', name: 'zhangsan', displayName: '张三', timezone: 'Asia/Shanghai' };
const channel = 'C0GENERAL';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(process.env.FAKE_SLACK_PORT ?? 4020);
  const target = argument('to');
  const firstMention = argument('mention');
  const exitAfterReply = process.argv.includes('--exit-after-reply');
  // Stable credentials, so the printed settings can go into .env once.
  const fake = new FakeSlackServer({
    botToken: 'xoxb-0000000000-fake-deskmate-demo',
    appToken: 'xapp-1-A0DESKMATE-fake-demo',
    signingSecret: 'fake-signing-secret-for-the-demo',
  });
  const url = await fake.start(port);
  fake.state.addUser(alice);
  fake.state.addUser(zhang);
  fake.state.addChannel({
    id: channel,
    name: 'general',
    members: [alice.id, zhang.id, fake.state.botUserId],
  });
  for (const [user, text] of [
    [zhang.id, 'Can we ship the release on Friday?'],
    [alice.id, 'Yes if the tests pass. I will write the release notes.'],
    [zhang.id, 'Decision: code freeze on Thursday at noon.'],
  ]) {
    fake.state.userSays({ channel, user, text });
  }

  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`Fake Slack listening on ${url}. Start Deskmate with:\n`);
  print(`  SLACK_BOT_TOKEN=${fake.botToken}`);
  print(target ? `  SLACK_SIGNING_SECRET=${fake.signingSecret}` : `  SLACK_APP_TOKEN=${fake.appToken}`);
  print(`  SLACK_API_URL=${fake.apiUrl}\n`);

  const stop = async (code: number) => {
    // Let the reply's own HTTP answer go out first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fake.stop();
    process.exit(code);
  };
  const show = (message: FakeSlackMessage, label: string) => {
    const place = message.threadTs ? `thread ${message.threadTs} of #general` : message.channel;
    print(`[${label} in ${place}]\n${fake.state.visibleText(message)}\n`);
  };
  fake.state.onBotMessage = (message) => {
    // A streamed reply starts nearly empty; it is shown when its stream stops.
    if (message.stream) print(`[bot started a streamed reply in ${message.threadTs ?? message.channel}]`);
    else if (message.visibleTo) show(message, `bot replied privately to ${message.visibleTo}`);
    else show(message, 'bot replied');
    if (exitAfterReply && !message.stream && !/^_.*…_$/.test(message.text)) void stop(0);
  };
  fake.state.onBotMessageChanged = (message, change) => {
    show(message, change === 'updated' ? 'bot updated its reply' : 'bot finished its streamed reply');
    if (exitAfterReply) void stop(0);
  };
  fake.onResponseUrlPost = (post) =>
    print(`[bot answered through response_url]\n${JSON.stringify(post.body.text)}\n`);

  const mention = async (text: string) => {
    const { envelope } = mentionEvent(fake, { channel, user: alice.id, text: `{bot} ${text}` });
    if (target) {
      // Deskmate may still be starting: try for a while, as Slack's retries would.
      for (let attempt = 1; attempt <= 30; attempt += 1) {
        try {
          const answer = await deliverEvent(
            target,
            envelope,
            fake.signingSecret,
            attempt > 1 ? { retryNum: Math.min(attempt - 1, 3) } : {},
          );
          print(`[sent "@Deskmate ${text}" to ${target}: HTTP ${answer.status}]`);
          if (answer.status < 500) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      print(`[could not reach ${target}]`);
      return;
    }
    if (!fake.socketMode.connected()) print('[waiting for Deskmate to connect over Socket Mode…]');
    await fake.socketMode.whenConnected();
    const { acknowledged } = fake.socketMode.deliver('events_api', envelope);
    await acknowledged;
    print(`[sent "@Deskmate ${text}" over Socket Mode: acknowledged]`);
  };

  if (firstMention) void mention(firstMention);
  print('Type a line to mention the bot in #general; Ctrl-C to stop.');
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim()) void mention(line.trim());
  });
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
