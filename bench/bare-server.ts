/**
 * The baselines of the ack benchmarks, each in a process of its own: a bare Bolt `App` with a no-op
 * `app_mention` listener, or the Lark SDK's `EventDispatcher` behind `adaptDefault` with a no-op
 * `im.message.receive_v1` handler. Measures itself as Deskmate does (server-probe.ts).
 * Usage (by bench/processes.ts): node dist/bench-build/bench/bare-server.js slack|lark <port> (or under tsx)
 */
import './server-probe';
import { createServer } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { App, LogLevel } from '@slack/bolt';

/** The secrets the bare servers verify requests with. */
export interface BareServerConfig {
  signingSecret?: string;
  encryptKey?: string;
  verificationToken?: string;
  botToken?: string;
  apiUrl?: string;
}

async function startSlack(port: number, config: BareServerConfig): Promise<void> {
  const app = new App({
    token: config.botToken ?? '',
    signingSecret: config.signingSecret ?? '',
    clientOptions: { slackApiUrl: config.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.event('app_mention', async () => {});
  await app.start(port);
}

async function startLark(port: number, config: BareServerConfig): Promise<void> {
  const dispatcher = new lark.EventDispatcher({
    encryptKey: config.encryptKey ?? '',
    verificationToken: config.verificationToken ?? '',
    loggerLevel: lark.LoggerLevel.error,
  }).register({ 'im.message.receive_v1': async () => {} });
  const handle = lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true });
  // adaptDefault answers only its path; /healthz (the load generator opens its connections with it) is 404.
  const server = createServer((request, response) => {
    if (request.url === '/lark/events') return handle(request, response);
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

async function main(): Promise<void> {
  const [platform, port] = process.argv.slice(2);
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '{}') as BareServerConfig;
  if (platform === 'slack') await startSlack(Number(port), config);
  else await startLark(Number(port), config);
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
