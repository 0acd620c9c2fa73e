import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../../src/core/logger';
import { webClientOptions } from './api';
import type { DeferredAckReceiver } from './receiver';
import { createSdkLogger } from './sdk-logger';

/** Options for the Socket Mode connection. */
export interface SocketModeOptions {
  /** The app-level token (`xapp-…`, scope `connections:write`). */
  appToken: string;
  /** Web API base URL (`apps.connections.open`). */
  apiUrl?: string;
  /** Runs deliveries through Bolt. */
  receiver: DeferredAckReceiver;
  /** Logger. */
  logger: Logger;
  /** Wait before trying again after the connection could not be opened (default 30 s). */
  retryMs?: number;
  /** How long a ping may go unanswered; also the SDK's pause before reconnecting (default 5 s). */
  pingTimeoutMs?: number;
}

/** A Socket Mode connection that reconnects by itself. */
export interface SocketModeConnection {
  /** Begin connecting; never throws (failures are logged and retried). */
  start(): void;
  /** Whether the connection is open. */
  connected(): boolean;
  /** Close the connection and stop reconnecting. */
  stop(): Promise<void>;
}

/**
 * What to fix when `apps.connections.open` failed. The Web API client throws `slack_webapi_http_error` with
 * `statusCode` for an HTTP answer that is not 200 (a 404 is a base URL without `/api/`: no such method there)
 * and `slack_webapi_request_error` when nothing answered; a refused token is a `slack_webapi_platform_error`.
 */
function connectionFailure(error: unknown, apiUrl: string | undefined): string {
  const failure = error as { code?: string; statusCode?: number } | undefined;
  const base = apiUrl ?? 'https://slack.com/api/';
  if (failure?.code === 'slack_webapi_http_error' && failure.statusCode === 404) {
    return `cannot open the Slack Socket Mode connection: ${base} answered HTTP 404 for apps.connections.open. Fix: SLACK_API_URL must be the Web API base, ending in /api/ (e.g. http://127.0.0.1:4020/api/ for a fake), or unset it for Slack itself`;
  }
  if (failure?.code === 'slack_webapi_request_error') {
    return `cannot open the Slack Socket Mode connection: ${base} did not answer. Fix: check the network (a proxy or firewall between this host and Slack) and SLACK_API_URL if it is set`;
  }
  return 'cannot open the Slack Socket Mode connection. Fix: set SLACK_APP_TOKEN to an app-level token (xapp-…) with connections:write, and enable Socket Mode in the app settings';
}

/**
 * Receive events over Socket Mode with the SDK's client. Each envelope runs through Bolt and is
 * acknowledged only when it was queued; an envelope that could not be queued is left unacknowledged, so
 * Slack sends it again (with `retry_attempt`).
 */
export function createSocketModeConnection(options: SocketModeOptions): SocketModeConnection {
  const logger = options.logger.child({ component: 'slack-socket-mode' });
  const retryMs = options.retryMs ?? 30_000;
  const client = new SocketModeClient({
    appToken: options.appToken,
    logger: createSdkLogger(options.logger),
    autoReconnectEnabled: true,
    clientPingTimeout: options.pingTimeoutMs ?? 5000,
    clientOptions: {
      ...webClientOptions({ apiUrl: options.apiUrl, logger: options.logger }),
      retryConfig: { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true },
    },
  });
  let open = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  client.on('connected', () => {
    open = true;
    logger.info({}, 'slack socket mode connected');
  });
  client.on('disconnected', () => {
    open = false;
  });
  client.on('reconnecting', () => {
    open = false;
    logger.info({}, 'slack socket mode reconnecting');
  });
  client.on(
    'slack_event',
    async (event: {
      ack: (response?: Record<string, unknown>) => Promise<void>;
      envelope_id?: string;
      type?: string;
      body: Record<string, unknown>;
      retry_num?: number;
      retry_reason?: string;
    }) => {
      const result = await options.receiver.dispatch({
        body: event.body,
        retryNum: event.retry_num,
        retryReason: event.retry_reason,
      });
      if (!result.ok) {
        logger.error(
          { err: result.error, envelopeId: event.envelope_id, type: event.type },
          'slack envelope not queued; leaving it unacknowledged so Slack sends it again',
        );
        return;
      }
      const body = typeof result.body === 'string' ? { text: result.body } : result.body;
      await event.ack(body).catch((error: unknown) => {
        logger.warn({ err: error, envelopeId: event.envelope_id }, 'socket mode acknowledgement failed');
      });
    },
  );

  const connect = async () => {
    try {
      await client.start();
    } catch (error) {
      logger.error({ err: error, retryInMs: retryMs }, connectionFailure(error, options.apiUrl));
      if (!stopped) {
        retryTimer = setTimeout(() => void connect(), retryMs);
        retryTimer.unref();
      }
    }
  };

  return {
    start() {
      stopped = false;
      void connect();
    },
    connected: () => open,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      open = false;
      await client.disconnect().catch(() => undefined);
    },
  };
}
