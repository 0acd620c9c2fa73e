import { createHash } from 'node:crypto';
import type { DeskmateError, ErrorCode } from '../../src/core/errors';
import { LarkRequestError } from './http-instance';

/** The envelope every Lark open API method returns. */
export interface LarkEnvelope<T> {
  code?: number;
  msg?: string;
  data?: T;
}

const missingScopeCodes = new Set([99991672, 99991679, 1061004]);
const forbiddenCodes = new Set([230002, 232011, 232033, 230027]);
const notFoundCodes = new Set([230011, 231003, 234003, 190002]);
const throttledCodes = new Set([230020, 11232]);

/** The error for a Lark business code (HTTP 200 with `code != 0`), with a fix where one is known. */
function larkError(operation: string, code: number | undefined, message: string | undefined): DeskmateError {
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
  }
  return new LarkRequestError(errorCode, text, { larkCode: code, larkMessage: message, retryable });
}

/** Lark's business code on an error, when it came from Lark. */
export function larkCodeOf(error: unknown): number | undefined {
  return error instanceof LarkRequestError ? error.larkCode : undefined;
}

/** Await a Lark call and return its `data`, throwing a coded error when `code` is not 0. */
export async function unwrap<T>(operation: string, call: Promise<LarkEnvelope<T>>): Promise<T> {
  const response = await call;
  if (response.code !== undefined && response.code !== 0)
    throw larkError(operation, response.code, response.msg);
  return (response.data ?? {}) as T;
}

/** A Lark idempotency key (`uuid`, `client_token`, `idempotency_key`): at most 50 characters. */
export function idempotencyKey(key: string, suffix = ''): string {
  const clean = `${key}${suffix}`.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (clean.length <= 50) return clean;
  // Deterministic and short: the same key always maps to the same value.
  return `k${createHash('sha256').update(clean).digest('hex').slice(0, 40)}`;
}
