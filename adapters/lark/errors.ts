import { DeskmateError, type ErrorCode } from '../../src/core/errors';

/** An error from a Lark call; `response` mirrors the shape the SDK logs for axios errors. */
export class LarkRequestError extends DeskmateError {
  /** HTTP status, when a response came back. */
  readonly status?: number;
  /** Lark's business code, when the body had one. */
  readonly larkCode?: number;
  /** Status and business code only (never the request body). */
  readonly response?: { status: number; data: { code?: number; msg?: string } };

  constructor(
    code: DeskmateError['code'],
    message: string,
    details: {
      status?: number;
      larkCode?: number;
      larkMessage?: string;
      retryable: boolean;
      cause?: unknown;
    },
  ) {
    super(code, message, { retryable: details.retryable, cause: details.cause });
    this.name = 'LarkRequestError';
    this.status = details.status;
    this.larkCode = details.larkCode;
    if (details.status !== undefined) {
      this.response = { status: details.status, data: { code: details.larkCode, msg: details.larkMessage } };
    }
  }
}

const missingScopeCodes = new Set([99991672, 99991679, 1061004]);
const forbiddenCodes = new Set([230002, 232011, 232033, 230027]);
const notFoundCodes = new Set([230011, 231003, 234003, 190002]);
/** Lark's "too many updates of one message" (230020) and "too many messages" (11232): wait and try again. */
export const throttledCodes = new Set([230020, 11232]);
/**
 * The tenant_access_token a call carried is missing (99991661) or no longer valid (99991663, 99991668), e.g.
 * after the App Secret was reset: a fresh token fixes it.
 */
export const staleTokenCodes = new Set([99991661, 99991663, 99991668]);

/**
 * The error for a Lark business code, whether it came with HTTP 200 or (as Lark sends most business
 * errors) HTTP 4xx, with a fix where one is known.
 */
export function larkError(
  operation: string,
  code: number | undefined,
  message: string | undefined,
  status?: number,
): LarkRequestError {
  const detail = `Lark ${operation} failed: code ${code ?? 'unknown'} (${message ?? 'no message'})`;
  let errorCode: ErrorCode = 'platform_error';
  let retryable = false;
  let text = detail;
  if (code !== undefined && missingScopeCodes.has(code)) {
    errorCode = 'not_configured';
    text = `${detail}. Fix: add the missing permission in the developer console (import adapters/lark/scopes.json) and publish a new app version.`;
  } else if (code !== undefined && forbiddenCodes.has(code)) {
    errorCode = 'forbidden';
    text = `${detail}. Fix: add the bot to the chat.`;
  } else if (code !== undefined && notFoundCodes.has(code)) {
    errorCode = 'not_found';
  } else if (code !== undefined && throttledCodes.has(code)) {
    errorCode = 'rate_limited';
    retryable = true;
  } else if (code !== undefined && staleTokenCodes.has(code)) {
    text = `${detail}. Fix: check LARK_APP_ID and LARK_APP_SECRET (after an App Secret reset, set the new one).`;
  }
  return new LarkRequestError(errorCode, text, { status, larkCode: code, larkMessage: message, retryable });
}
