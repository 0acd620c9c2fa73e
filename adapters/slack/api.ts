import {
  type WebAPICallResult,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { DeskmateError, type ErrorCode, type UserText } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { httpFetch } from './http-fetch';
import { createSdkLogger } from './sdk-logger';

/** How Web API calls time out and retry. */
export interface SlackTransportOptions {
  /** Timeout of one HTTP attempt in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Total time one call may spend on retries and rate-limit waits (default 60 s). */
  retryBudgetMs?: number;
  /** Attempts of an idempotent call after network errors and 5xx (default 4). */
  maxAttempts?: number;
}

/** Options of the Web API client. */
interface SlackApiOptions extends SlackTransportOptions {
  /** The bot token (`xoxb-…`). */
  botToken: string;
  /** Web API base URL (`https://slack.com/api/`, or a fake's). */
  apiUrl?: string;
  /** Logger (ids, methods and timings only). */
  logger: Logger;
  /** Waits between retries (tests record them). */
  sleep: (milliseconds: number) => Promise<void>;
}

/** Options of one call. */
interface CallOptions {
  /**
   * Whether running the call twice is harmless (reads, updates). Only those are retried after a network
   * error or a 5xx; every call is retried after a 429, which Slack answers before doing anything.
   */
  idempotent?: boolean;
}

/** Slack's Web API with Deskmate's bounded retry policy and coded errors. */
export interface SlackApi {
  /** The SDK client (its own retries are off: this wrapper retries). */
  readonly client: WebClient;
  /** Call a Web API method; throws `SlackApiError`. */
  call<T = Record<string, unknown>>(
    method: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<WebAPICallResult & T>;
}

/** A failed Web API call: Slack's own error string (`not_in_channel`) and the HTTP status, when known. */
export class SlackApiError extends DeskmateError {
  /** The method called. */
  readonly method: string;
  /** Slack's `error` field (`ok: false`), or `http_<status>`, `rate_limited`, `request_failed`. */
  readonly slackError: string;
  /** Seconds Slack asked to wait (429). */
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    details: {
      method: string;
      slackError: string;
      retryable: boolean;
      retryAfterSeconds?: number;
      cause?: unknown;
      userMessage?: string | UserText;
    },
  ) {
    super(code, message, {
      retryable: details.retryable,
      cause: details.cause,
      userMessage: details.userMessage,
    });
    this.name = 'SlackApiError';
    this.method = details.method;
    this.slackError = details.slackError;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Slack's error string of a failed call, when it was one. */
export function slackErrorOf(error: unknown): string | undefined {
  return error instanceof SlackApiError ? error.slackError : undefined;
}

const tokenErrors = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
]);
const transientErrors = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);
const notFoundErrors = new Set(['message_not_found', 'thread_not_found', 'user_not_found', 'file_not_found']);
const notInChannelErrors = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** What Deskmate says when it is not in the channel it was asked to read or write. */
const notInChannelMessage = {
  en: "I'm not a member of that channel. Invite me with `/invite @Deskmate` and try again.",
  zh: '我还不在这个频道里，请先用 `/invite @Deskmate` 邀请我，然后再试。',
};

/** The coded error for a platform error (`ok: false`), with a fix where one is known. */
function platformError(method: string, error: WebAPIPlatformError): SlackApiError {
  const slackError = error.data.error;
  const detail = `Slack ${method} failed: ${slackError}`;
  const base = { method, slackError, cause: error };
  if (tokenErrors.has(slackError)) {
    return new SlackApiError(
      'not_configured',
      `${detail}. Fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, and reinstall the app if it was revoked.`,
      { ...base, retryable: false },
    );
  }
  if (slackError === 'missing_scope') {
    const needed = (error.data as { needed?: string }).needed ?? 'the missing scope';
    return new SlackApiError(
      'not_configured',
      `${detail} (needs ${needed}). Fix: add ${needed} to the bot scopes (adapters/slack/manifest.yaml) and reinstall the app.`,
      { ...base, retryable: false },
    );
  }
  if (transientErrors.has(slackError)) {
    const code = slackError === 'ratelimited' ? 'rate_limited' : 'unavailable';
    return new SlackApiError(code, detail, { ...base, retryable: true });
  }
  if (notInChannelErrors.has(slackError)) {
    return new SlackApiError('forbidden', detail, {
      ...base,
      retryable: false,
      userMessage: notInChannelMessage,
    });
  }
  if (notFoundErrors.has(slackError))
    return new SlackApiError('not_found', detail, { ...base, retryable: false });
  return new SlackApiError('platform_error', detail, { ...base, retryable: false });
}

/** Turn any error of the SDK into a coded `SlackApiError`. */
export function toSlackApiError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  if (error instanceof WebAPIPlatformError) return platformError(method, error);
  if (error instanceof WebAPIRateLimitedError) {
    return new SlackApiError(
      'rate_limited',
      `Slack ${method} was rate limited (retry after ${error.retryAfter} s)`,
      {
        method,
        slackError: 'rate_limited',
        retryable: true,
        retryAfterSeconds: error.retryAfter,
        cause: error,
      },
    );
  }
  if (error instanceof WebAPIHTTPError) {
    const retryable = error.statusCode >= 500;
    return new SlackApiError(
      retryable ? 'unavailable' : 'platform_error',
      `Slack ${method} answered HTTP ${error.statusCode}`,
      { method, slackError: `http_${error.statusCode}`, retryable, cause: error },
    );
  }
  if (error instanceof WebAPIRequestError) {
    const name = error.original?.name ?? '';
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return new SlackApiError(
      timedOut ? 'timeout' : 'unavailable',
      `Slack ${method} ${timedOut ? 'timed out' : 'could not be reached'}: ${error.original?.message ?? ''}`,
      { method, slackError: 'request_failed', retryable: true, cause: error },
    );
  }
  return new SlackApiError('internal', `Slack ${method} failed: ${String(error)}`, {
    method,
    slackError: 'unknown',
    retryable: false,
    cause: error,
  });
}

/** The WebClient settings Deskmate uses everywhere (Bolt's clients too): no SDK retries, a timeout, 429s thrown. */
export function webClientOptions(options: {
  apiUrl?: string;
  timeoutMs?: number;
  logger: Logger;
}): WebClientOptions {
  return {
    ...(options.apiUrl
      ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }
      : {}),
    // The SDK default retries for ~30 minutes and waits out any Retry-After: retries happen in `call`.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: createSdkLogger(options.logger),
    // Node's http rather than the global fetch: see http-fetch.ts (about 15 MB less resident memory).
    fetch: httpFetch,
  };
}

/**
 * Create the Web API client: one attempt at a time with a timeout; 429s wait out `Retry-After`; network
 * errors and 5xx of idempotent calls are retried with backoff and jitter; all within a budget (~60 s),
 * after which the call fails with a coded, retryable error instead of hanging a job.
 */
export function createSlackApi(options: SlackApiOptions): SlackApi {
  const retryBudgetMs = options.retryBudgetMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const logger = options.logger.child({ component: 'slack-api' });
  const client = new WebClient(options.botToken, webClientOptions(options));

  return {
    client,
    async call<T>(method: string, args: Record<string, unknown> = {}, callOptions: CallOptions = {}) {
      const started = Date.now();
      for (let attempt = 1; ; attempt += 1) {
        try {
          return (await client.apiCall(method, args)) as WebAPICallResult & T;
        } catch (caught) {
          const error = toSlackApiError(method, caught);
          const rateLimited = error.retryAfterSeconds !== undefined;
          const retry =
            error.retryable && (rateLimited || callOptions.idempotent === true) && attempt < maxAttempts;
          const waitMs = rateLimited
            ? (error.retryAfterSeconds ?? 1) * 1000 + Math.random() * 250
            : 250 * 2 ** (attempt - 1) + Math.random() * 250;
          if (!retry || Date.now() - started + waitMs > retryBudgetMs) {
            logger.warn(
              {
                method,
                slackError: error.slackError,
                code: error.code,
                attempt,
                elapsedMs: Date.now() - started,
              },
              'slack call failed',
            );
            throw error;
          }
          logger.info(
            { method, slackError: error.slackError, attempt, waitMs: Math.round(waitMs) },
            'slack call retried',
          );
          await options.sleep(waitMs);
        }
      }
    },
  };
}
