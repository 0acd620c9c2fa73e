import { parseConfig } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import { createLogger } from '../../src/logger';
import { type Deskmate, startDeskmate } from '../../src/main';
import type { FakeLarkServer } from '../fakes/lark-open-api';
import type { FakeSlackServer } from '../fakes/slack-web-api';

/** The person who mentions the bot in the Slack workspace of these tests. */
export const slackAuthor = {
  id: 'U0ALICE01',
  name: 'alice',
  displayName: 'Alice',
  timezone: 'Europe/Berlin',
};
/** The Slack channel the author and the bot are in. */
export const slackChannel = 'C0GENERAL';

/** Give a fake Slack the author and a channel with the bot in it. */
export function prepareSlackWorkspace(fake: FakeSlackServer): void {
  fake.state.addUser(slackAuthor);
  fake.state.addChannel({
    id: slackChannel,
    name: 'general',
    members: [slackAuthor.id, fake.state.botUserId],
  });
}

/** The person who mentions the bot in the Lark tenant of these tests. */
export const larkAuthor = { openId: 'ou_alice000000000000000000000000000', name: 'Alice' };
/** The Lark group chat the author and the bot are in. */
export const larkChat = 'oc_group0000000000000000000000000000';

/** Give a fake Lark the author and a group chat with the bot in it. */
export function prepareLarkWorkspace(fake: FakeLarkServer): void {
  fake.state.addUser(larkAuthor);
  fake.state.addChat({ chatId: larkChat, type: 'group', members: [larkAuthor.openId] });
}

/** The settings that point Deskmate's Slack adapter (HTTP mode) at a fake. */
export function slackEnvironment(fake: FakeSlackServer): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: fake.signingSecret,
    SLACK_API_URL: fake.apiUrl,
  };
}

/** The settings that point Deskmate's Lark adapter (webhook mode) at a fake. */
export function larkEnvironment(fake: FakeLarkServer): Record<string, string> {
  return {
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_ENCRYPT_KEY: fake.encryptKey,
    LARK_VERIFICATION_TOKEN: fake.verificationToken,
    LARK_DOMAIN: fake.url,
    LARK_MODE: 'webhook',
  };
}

/** A Deskmate started from settings exactly as `main()` starts it, serving on a free loopback port. */
export interface ServedDeskmate {
  deskmate: Deskmate;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
}

/**
 * Start Deskmate through `startDeskmate` (the composition root: the shared HTTP server, the real adapters,
 * the Redis reminder schedule when REDIS_URL is set). No rate limits unless the environment sets them.
 */
export async function startServedDeskmate(
  environment: Record<string, string>,
  options: { logger?: Logger } = {},
): Promise<ServedDeskmate> {
  const result = parseConfig({
    DESKMATE_CONSOLE: 'off',
    // The job thread logs on its own (the main thread's logger below is silent).
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    LLM_PROVIDER: 'offline',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_WORKSPACE_PER_MINUTE: '0',
    ...environment,
  });
  if (!result.ok) throw new Error(`bad test configuration: ${JSON.stringify(result.problems)}`);
  // DESKMATE_TEST_LOG=warn (or info, debug) shows the served process's log lines on stderr while debugging a test.
  const deskmate = await startDeskmate(
    result.config,
    options.logger ??
      createLogger({ level: process.env.DESKMATE_TEST_LOG ?? 'silent', destination: 2, pretty: false }),
  );
  return { deskmate, baseUrl: `http://127.0.0.1:${deskmate.port}` };
}
