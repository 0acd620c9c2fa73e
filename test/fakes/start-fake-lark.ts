/**
 * A fake Lark/Feishu for the manual demo: serves the open API and the long connection on 127.0.0.1,
 * prints the LARK_* settings to start Deskmate with, sends a group mention (encrypted and signed to a
 * webhook with --to, else over the long connection), and prints every reply the bot posts.
 *
 *   npx tsx test/fakes/start-fake-lark.ts [--mention "help"] [--to http://127.0.0.1:3000/lark/events] [--exit-after-reply]
 *
 * Lines typed on stdin are sent as further mentions. FAKE_LARK_PORT sets the port (default 4030).
 */
import { createInterface } from 'node:readline';
import { deliver, messageEvent } from './lark-events';
import { FakeLarkServer } from './lark-open-api';
import type { FakeMessage } from './lark-state';

const groupChatId = 'oc_demo000000000000000000000000000';
const alice = { openId: 'ou_alice000000000000000000000000000', name: 'Alice', timezone: 'Asia/Shanghai' };
const zhangsan = { openId: 'ou_zhangsan000000000000000000000000', name: '张三', timezone: 'Asia/Shanghai' };

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(process.env.FAKE_LARK_PORT ?? 4030);
  const target = argument('to');
  const firstMention = argument('mention');
  const exitAfterReply = process.argv.includes('--exit-after-reply');
  const fake = new FakeLarkServer();
  const url = await fake.start(port);
  fake.state.addUser(alice);
  fake.state.addUser(zhangsan);
  fake.state.addChat({ chatId: groupChatId, type: 'group', members: [alice.openId, zhangsan.openId] });

  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`Fake Lark listening on ${url}. Start Deskmate with:\n`);
  print(`  LARK_APP_ID=${fake.appId}`);
  print(`  LARK_APP_SECRET=${fake.appSecret}`);
  print(`  LARK_DOMAIN=${url}`);
  print(`  LARK_ENCRYPT_KEY=${fake.encryptKey}`);
  print(`  LARK_VERIFICATION_TOKEN=${fake.verificationToken}`);
  print(`  LARK_MODE=${target ? 'webhook' : 'ws'}\n`);

  const stop = async (code: number) => {
    // Let the reply's own HTTP answer go out first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fake.stop();
    process.exit(code);
  };
  const show = (message: FakeMessage, label: string) => {
    const place = message.rootId ? `thread of ${message.rootId}` : message.chatId;
    print(`[${label} in ${place}]\n${fake.state.visibleText(message)}\n`);
  };
  fake.onBotMessage = (message) => {
    // A streamed answer starts empty; it is shown when its streaming closes.
    if (fake.state.cardOf(message))
      print(`[bot started a streamed reply in ${message.rootId ?? message.chatId}]`);
    else show(message, 'bot replied');
    if (exitAfterReply && !fake.state.cardOf(message)) void stop(0);
  };
  fake.state.onBotMessageChanged = (message, change) => {
    if (change === 'streamed') return;
    show(message, change === 'patched' ? 'bot updated its reply' : 'bot finished its reply');
    if (exitAfterReply && change === 'closed') void stop(0);
  };

  const mention = async (text: string) => {
    const { payload } = messageEvent(fake, {
      chatId: groupChatId,
      userId: alice.openId,
      text: `{mention:0} ${text}`,
      mentions: ['bot'],
    });
    if (target) {
      // Deskmate may still be starting: try for a while, as Lark's retries would.
      for (let attempt = 1; attempt <= 30; attempt += 1) {
        try {
          const answer = await deliver(target, payload, fake.encryptKey);
          print(`[sent "@Deskmate ${text}" to ${target}: HTTP ${answer.status}]`);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      print(`[could not reach ${target}]`);
      return;
    }
    if (!fake.longConnection.connected()) print('[waiting for Deskmate to open the long connection…]');
    const answer = await fake.longConnection.push(payload);
    print(`[sent "@Deskmate ${text}" over the long connection: code ${answer.code}]`);
  };

  if (firstMention) void mention(firstMention);
  print('Type a line to mention the bot in the demo group; Ctrl-C to stop.');
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
