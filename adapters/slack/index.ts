import type { Adapter } from '../../src/core/adapter';
import { DeskmateError } from '../../src/core/errors';
import type { JobQueue } from '../../src/core/job-queue';
import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import { createSlackApi, type SlackTransportOptions, toSlackApiError, webClientOptions } from './api';
import { App } from './bolt';
import { createCallBudget } from './call-budget';
import type { SlackContext, SlackIdentity } from './context';
import { createSlackDirectory } from './directory';
import { slackFileOrigin } from './files';
import { httpFetch } from './http-fetch';
import { createSlackEventsRoute } from './http-route';
import { registerListeners } from './listeners';
import { createSlackPlatform } from './platform';
import { DeferredAckReceiver } from './receiver';
import { createSdkLogger } from './sdk-logger';
import type { SocketModeConnection, SocketModeOptions } from './socket-mode';

/**
 * The default stream budgets of a workspace: a bucket spends at most `perMinute + burst` calls in any minute,
 * kept within Slack's documented floors, per method and workspace (https://api.slack.com/apis/rate-limits):
 * `chat.appendStream` is Tier 4 (100+ a minute): 90 + 10; `chat.update` is Tier 3 (50+ a minute): 40 + 5,
 * leaving room for the updates outside the budget (a stream's last edit, a clicked card).
 */
export const defaultStreamBudgets = {
  append: { perMinute: 90, burst: 10, tierFloor: 100 },
  update: { perMinute: 40, burst: 5, tierFloor: 50 },
} as const;

/** Timeouts and retries of Web API calls. */
export type { SlackTransportOptions } from './api';

/** Options for the Slack adapter; nothing is read from the environment here. */
export interface SlackAdapterOptions {
  /** Bot User OAuth Token (`xoxb-…`), SLACK_BOT_TOKEN. */
  botToken: string;
  /** Signing Secret, SLACK_SIGNING_SECRET: serves `POST /slack/events` (HTTP mode). */
  signingSecret?: string;
  /** App-level token (`xapp-…`), SLACK_APP_TOKEN: receives over Socket Mode. */
  appToken?: string;
  /** Receive events (default true); false for a reply-only adapter (the job thread): no routes, no Socket Mode. */
  receive?: boolean;
  /** Web API base URL, SLACK_API_URL (default `https://slack.com/api/`). */
  apiUrl?: string;
  /** Where messages go. */
  queue: JobQueue;
  /** State: name caches, membership, assistant threads, stream records. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** The clock (signature window, received times). */
  now?: () => Date;
  /** The events path (default `/slack/events`). */
  path?: string;
  /** The slash command that takes a command word first (default `deskmate`, i.e. `/deskmate`). */
  umbrellaCommand?: string;
  /** Timeouts and retries of Web API calls. */
  transport?: SlackTransportOptions;
  /** Least time between stream appends of one reply (default 500 ms). */
  streamIntervalMs?: number;
  /** Least time between `chat.update` calls of one streamed reply without native streaming (default 1 s). */
  updateIntervalMs?: number;
  /**
   * Stream appends a workspace may make a minute, all replies together (default 90 with a burst of 10; Slack's
   * Tier 4 is 100+); and streamed `chat.update` calls (default 40 with a burst of 5; Tier 3 is 50+).
   */
  streamBudgets?: { appendsPerMinute?: number; updatesPerMinute?: number };
  /**
   * Opens the Socket Mode connection (`createSocketModeConnection` of socket-mode.ts), needed with `appToken`.
   * Given by the composition root only when SLACK_APP_TOKEN is set: the SDK's client loads undici, about
   * 10 MB that a process receiving over HTTP does not need.
   */
  connectSocketMode?: (options: SocketModeOptions) => SocketModeConnection;
  /** Socket Mode: ping timeout, which is also the pause before reconnecting (default 5 s). */
  socketPingTimeoutMs?: number;
  /** Wait before asking `auth.test` again after it failed (default 30 s). */
  identityRetryMs?: number;
  /** Waits (tests record and shorten them). */
  sleep?: (milliseconds: number) => Promise<void>;
}

const defaultSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());

async function postJson(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await httpFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    throw new DeskmateError('platform_error', `Slack response_url answered HTTP ${response.status}`, {
      retryable: response.status >= 500,
    });
  }
}

/**
 * Create the Slack adapter: a Bolt app that receives over HTTP (`POST /slack/events` on the shared
 * server, signing secret set) and/or Socket Mode (app token set), acknowledges only what it queued, and a
 * platform port with history, membership, Block Kit replies, ephemeral answers, streaming and the
 * assistant panel. A failing `auth.test` does not stop it: it logs the fix, keeps trying, and stays not ready.
 */
export function createSlackAdapter(options: SlackAdapterOptions): Adapter {
  if (!options.botToken) {
    throw new DeskmateError('not_configured', 'Slack adapter cannot start: set SLACK_BOT_TOKEN (xoxb-…).');
  }
  const receive = options.receive ?? true;
  if (receive && !options.signingSecret && !options.appToken) {
    throw new DeskmateError(
      'not_configured',
      'Slack adapter cannot start: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode).',
    );
  }
  const connectSocketMode = options.connectSocketMode;
  if (receive && options.appToken && !connectSocketMode) {
    throw new DeskmateError(
      'internal',
      'Slack adapter cannot receive over Socket Mode: pass connectSocketMode (adapters/slack/socket-mode) with appToken.',
    );
  }
  const logger = options.logger.child({ platform: 'slack' });
  if (!options.botToken.startsWith('xoxb-')) {
    logger.warn({ variable: 'SLACK_BOT_TOKEN' }, 'SLACK_BOT_TOKEN does not look like a bot token (xoxb-…)');
  }
  if (options.appToken && !options.appToken.startsWith('xapp-')) {
    logger.warn(
      { variable: 'SLACK_APP_TOKEN' },
      'SLACK_APP_TOKEN does not look like an app-level token (xapp-…)',
    );
  }
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const apiUrl = options.apiUrl ?? 'https://slack.com/api/';
  const identityRetryMs = options.identityRetryMs ?? 30_000;
  const api = createSlackApi({
    ...options.transport,
    botToken: options.botToken,
    apiUrl: options.apiUrl,
    logger,
    sleep,
  });
  let identity: SlackIdentity | undefined;
  let started = false;
  let identityTimer: NodeJS.Timeout | undefined;

  const context: SlackContext = {
    api,
    store: options.store,
    logger,
    directory: createSlackDirectory(api, options.store, logger),
    now,
    sleep,
    identity: () => identity,
    streamIntervalMs: options.streamIntervalMs ?? 500,
    updateIntervalMs: options.updateIntervalMs ?? 1000,
    streamBudgets: {
      append: createCallBudget(
        options.store,
        'chat.appendStream',
        options.streamBudgets?.appendsPerMinute ?? defaultStreamBudgets.append.perMinute,
        defaultStreamBudgets.append.burst,
      ),
      update: createCallBudget(
        options.store,
        'chat.update',
        options.streamBudgets?.updatesPerMinute ?? defaultStreamBudgets.update.perMinute,
        defaultStreamBudgets.update.burst,
      ),
    },
    postToResponseUrl: postJson,
    botToken: options.botToken,
    // The bot token goes to Slack's own file host, and to the Web API's host when SLACK_API_URL names another.
    fileOrigins: [...new Set([slackFileOrigin, ...(options.apiUrl ? [new URL(options.apiUrl).origin] : [])])],
  };

  const receiver = new DeferredAckReceiver();
  const app = new App({
    receiver,
    // The identity comes from our own auth.test (Bolt's would run in the constructor and crash on failure).
    authorize: async () => ({
      botToken: options.botToken,
      botId: identity?.botId,
      botUserId: identity?.botUserId,
      teamId: identity?.teamId,
    }),
    logger: createSdkLogger(logger),
    clientOptions: webClientOptions({
      apiUrl: options.apiUrl,
      timeoutMs: options.transport?.timeoutMs,
      logger,
    }),
    ignoreSelf: true,
    convoStore: false,
  });
  registerListeners(app, {
    context,
    queue: options.queue,
    umbrellaCommand: (options.umbrellaCommand ?? 'deskmate').replace(/^\//, '').toLowerCase(),
  });

  const loadIdentity = async (): Promise<void> => {
    try {
      const result = await api.call<{ user_id?: string; bot_id?: string; team_id?: string; url?: string }>(
        'auth.test',
        {},
        { idempotent: true },
      );
      identity = {
        botUserId: result.user_id ?? '',
        botId: result.bot_id,
        teamId: result.team_id ?? '',
        workspaceUrl: result.url,
      };
      logger.info({ botUserId: identity.botUserId, teamId: identity.teamId }, 'slack bot identity loaded');
    } catch (error) {
      const failure = toSlackApiError('auth.test', error);
      if (failure.slackError === 'request_failed') {
        // Nothing answered: the address is what to check, not the token.
        logger.error(
          { url: apiUrl, code: failure.code, retryInMs: identityRetryMs },
          `cannot reach the Slack Web API at ${apiUrl} (auth.test). Fix: check SLACK_API_URL (unset it for Slack itself; a local fake must be running first) and the network`,
        );
      } else if (failure.code === 'not_configured') {
        logger.error(
          { slackError: failure.slackError, retryInMs: identityRetryMs },
          'cannot verify the Slack bot token with auth.test. Fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
        );
      } else {
        logger.error(
          { err: error, slackError: failure.slackError, retryInMs: identityRetryMs },
          'Slack auth.test failed; retrying',
        );
      }
      if (started) {
        clearTimeout(identityTimer);
        identityTimer = setTimeout(() => void loadIdentity(), identityRetryMs);
        identityTimer.unref();
      }
    }
  };

  const routes =
    receive && options.signingSecret
      ? [
          createSlackEventsRoute({
            path: options.path ?? '/slack/events',
            signingSecret: options.signingSecret,
            receiver,
            logger,
            now,
          }),
        ]
      : [];
  let socket: SocketModeConnection | undefined;

  return {
    platform: createSlackPlatform(context),
    routes,
    async start() {
      started = true;
      await loadIdentity();
      if (receive && options.appToken && connectSocketMode) {
        socket = connectSocketMode({
          appToken: options.appToken,
          apiUrl: options.apiUrl,
          receiver,
          logger,
          pingTimeoutMs: options.socketPingTimeoutMs,
        });
        socket.start();
      }
    },
    ready() {
      if (!started || !identity) return false;
      return !socket || socket.connected();
    },
    async stop() {
      started = false;
      clearTimeout(identityTimer);
      await socket?.stop();
      socket = undefined;
    },
  };
}
