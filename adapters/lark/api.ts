import { createHash } from 'node:crypto';
import { LarkRequestError, larkError } from './errors';

/** The envelope every Lark open API method returns. */
export interface LarkEnvelope<T> {
  code?: number;
  msg?: string;
  data?: T;
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
