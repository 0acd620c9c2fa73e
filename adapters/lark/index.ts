import * as lark from '@larksuiteoapi/node-sdk';
import type { Adapter } from '../../src/core/adapter';
import { DeskmateError } from '../../src/core/errors';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { JobQueue } from '../../src/core/job-queue';
import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import type { LarkContext } from './context';
import { createLarkTransport, type LarkTransportOptions } from './http-instance';
import {
  type LarkCardActionEvent,
  type LarkMenuEvent,
  type LarkMessageEvent,
  type LarkRecallEvent,
  normalizeCardAction,
  normalizeMenuEvent,
  normalizeMessageEvent,
  normalizeRecallEvent,
} from './normalize';
import { createLarkPlatform } from './platform';
import { createSdkLogger, createTokenCache, type LarkDomain, sdkDomain } from './sdk-bridge';
import { createLarkWebhookRoute } from './webhook';

export type { LarkDomain } from './sdk-bridge';

/** Options for the Lark/Feishu adapter; nothing is read from the environment here. */
export interface LarkAdapterOptions {
  /** App ID (`cli_…`). */
  appId: string;
  /** App Secret. */
  appSecret: string;
  /** Encrypt Key: required for webhooks (decryption and signatures). */
  encryptKey?: string;
  /** Verification Token, checked against the token in each webhook event. */
  verificationToken?: string;
  /** `feishu`, `lark`, or a base URL. */
  domain: LarkDomain;
  /** `ws`: the SDK's long connection; `webhook`: `POST /lark/events` on the shared server. */
  mode: 'ws' | 'webhook';
  /** Receive events (default true); false for a reply-only adapter (the job thread): no route, no long connection. */
  receive?: boolean;
  /** Where messages go. */
  queue: JobQueue;
  /** State (card entities, link records, small caches). */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** The clock (signature window, received times). */
  now?: () => Date;
  /** The webhook path (default `/lark/events`). */
  path?: string;
  /** Timeouts and retries of API calls. */
  transport?: Omit<LarkTransportOptions, 'logger' | 'sleep'>;
  /** Least time between streaming card updates (default 110 ms: under CardKit's 10 per second). */
  streamIntervalMs?: number;
  /** Least time between patches of one message (default 220 ms: under Lark's 5 per second). */
  patchIntervalMs?: number;
  /** Waits (tests may shorten rate-limit waits). */
  sleep?: (milliseconds: number) => Promise<void>;
}

const botInfoRetryMs = 30_000;

/** The client's token manager (typed `any` by the SDK): its tenant token, from our cache or fetched anew. */
function tokenManagerOf(client: lark.Client): { getTenantAccessToken(): Promise<string | undefined> } {
  return (client as unknown as { tokenManager: { getTenantAccessToken(): Promise<string | undefined> } })
    .tokenManager;
}
const acknowledgement = {
  toast: { type: 'info', content: 'Working on it…', i18n: { zh_cn: '处理中…', en_us: 'Working on it…' } },
};

/**
 * Create the Lark/Feishu adapter: events over the long connection or a hardened webhook, normalized and
 * queued at once; a platform port with history, membership, cards, CardKit streaming, tasks and calendar.
 */
export function createLarkAdapter(options: LarkAdapterOptions): Adapter {
  const logger = options.logger.child({ platform: 'lark' });
  const now = options.now ?? (() => new Date());
  const sleep =
    options.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const sdkLogger = createSdkLogger(logger);
  const tokenCache = createTokenCache();
  const transport = createLarkTransport({
    ...options.transport,
    logger,
    sleep,
    // The SDK keeps a token until its expiry; one Lark rejected is dropped and the SDK fetches another.
    renewToken: async (staleToken) => {
      tokenCache.forget(staleToken);
      return tokenManagerOf(client).getTenantAccessToken();
    },
  });
  const client = new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: sdkDomain(options.domain),
    cache: tokenCache,
    httpInstance: transport,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.warn,
    source: 'deskmate',
  });
  let botOpenId: string | undefined;
  let appName: string | undefined;
  let tenantKey = 'lark';
  let started = false;
  let botInfoTimer: NodeJS.Timeout | undefined;
  let botInfoRequest: Promise<void> | undefined;
  let wsClient: lark.WSClient | undefined;

  const context: LarkContext = {
    client,
    store: options.store,
    logger,
    domain: options.domain,
    now,
    sleep,
    streamIntervalMs: options.streamIntervalMs ?? 110,
    patchIntervalMs: options.patchIntervalMs ?? 220,
    tenantKey: () => tenantKey,
    appId: options.appId,
    appName: () => appName,
  };
  const platform = createLarkPlatform(context);

  /** The bot's own open_id, to tell its mention apart; failures are retried in the background. */
  const loadBotInfo = (): Promise<void> => {
    botInfoRequest ??= (async () => {
      try {
        const info = await client.request<{
          code?: number;
          msg?: string;
          bot?: { open_id?: string; app_name?: string };
        }>({
          method: 'GET',
          url: '/open-apis/bot/v3/info',
        });
        if (info.code !== 0 || !info.bot?.open_id) {
          throw new DeskmateError('platform_error', `bot info answered code ${info.code}: ${info.msg ?? ''}`);
        }
        botOpenId = info.bot.open_id;
        appName = info.bot.app_name || undefined;
        logger.info({ botOpenId }, 'lark bot identity loaded');
      } catch (error) {
        logger.error(
          { err: error, retryInMs: botInfoRetryMs },
          'cannot read the Lark bot identity. Fix: check LARK_APP_ID, LARK_APP_SECRET, LARK_DOMAIN, and that the app has the bot capability',
        );
        if (started) {
          clearTimeout(botInfoTimer);
          botInfoTimer = setTimeout(() => void loadBotInfo(), botInfoRetryMs);
          botInfoTimer.unref();
        }
      } finally {
        botInfoRequest = undefined;
      }
    })();
    return botInfoRequest;
  };

  const enqueue = async (message: InboundMessage, kind: string) => {
    const outcome = await options.queue.enqueue(message);
    logger.info(
      { eventId: message.eventId, messageId: message.messageId, via: message.via, kind, outcome },
      'lark event queued',
    );
  };

  const dispatcher = new lark.EventDispatcher({
    encryptKey: options.encryptKey,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.warn,
  }).register({
    'im.message.receive_v1': async (data: LarkMessageEvent) => {
      if (data.tenant_key) tenantKey = data.tenant_key;
      if (!botOpenId) void loadBotInfo();
      const message = normalizeMessageEvent(data, { botOpenId, now, domain: options.domain });
      if (!message) {
        logger.debug(
          { eventId: data.event_id, chatType: data.message?.chat_type },
          'lark message not for the bot',
        );
        return;
      }
      await enqueue(message, message.conversation.kind);
    },
    'application.bot.menu_v6': async (data: LarkMenuEvent) => {
      const message = normalizeMenuEvent(data, { botOpenId, now, domain: options.domain });
      if (message) await enqueue(message, 'menu');
    },
    'im.message.recalled_v1': async (data: LarkRecallEvent) => {
      const message = normalizeRecallEvent(data, { botOpenId, now });
      if (message) await enqueue(message, 'recalled');
    },
    'card.action.trigger': async (data: LarkCardActionEvent) => {
      const message = normalizeCardAction(data, { botOpenId, now });
      if (!message) return {};
      await enqueue(message, 'action');
      return acknowledgement;
    },
  } as lark.EventHandles);

  const receive = options.receive ?? true;
  const routes =
    receive && options.mode === 'webhook'
      ? [
          createLarkWebhookRoute({
            path: options.path ?? '/lark/events',
            encryptKey: options.encryptKey,
            verificationToken: options.verificationToken,
            dispatcher,
            logger,
            now,
          }),
        ]
      : [];

  return {
    platform,
    routes,
    async start() {
      started = true;
      await loadBotInfo();
      if (receive && options.mode === 'ws') {
        wsClient = new lark.WSClient({
          appId: options.appId,
          appSecret: options.appSecret,
          domain: sdkDomain(options.domain),
          httpInstance: transport,
          logger: sdkLogger,
          loggerLevel: lark.LoggerLevel.warn,
          autoReconnect: true,
          handshakeTimeoutMs: 10_000,
          source: 'deskmate',
          onReady: () => logger.info({}, 'lark long connection ready'),
          onError: (error) =>
            logger.error(
              { err: error },
              'lark long connection failed. Fix: check the app credentials and that "Receive events through persistent connection" is chosen in the developer console',
            ),
        });
        await wsClient.start({ eventDispatcher: dispatcher });
      }
    },
    ready() {
      if (!started || !botOpenId) return false;
      return !receive || options.mode === 'webhook' || wsClient?.getConnectionStatus().state === 'connected';
    },
    async stop() {
      started = false;
      if (botInfoTimer) clearTimeout(botInfoTimer);
      wsClient?.close({ force: true });
      wsClient = undefined;
    },
  };
}
