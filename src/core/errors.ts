/** Stable error codes: logs, metrics and the worker's polite replies key on them. */
export type ErrorCode =
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'invalid_request'
  | 'content_filtered'
  | 'policy_blocked'
  | 'context_too_long'
  | 'empty_answer'
  | 'not_configured'
  | 'forbidden'
  | 'not_found'
  | 'bad_input'
  | 'platform_error'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'document_too_large'
  | 'document_zip_bomb'
  | 'document_encrypted'
  | 'document_corrupt'
  | 'document_empty'
  | 'document_scanned'
  | 'document_unsupported'
  | 'document_timeout'
  | 'internal';

/** A message for users in each language Deskmate speaks; the worker shows the asker's. */
export interface UserText {
  /** English. */
  en: string;
  /** Chinese. */
  zh: string;
}

/** Options for a Deskmate error. */
export interface DeskmateErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Whether trying again later may succeed (remote errors). */
  retryable?: boolean;
  /** A message written for the user, shown instead of the generic one for the code (in the asker's language). */
  userMessage?: string | UserText;
}

/** An error with a stable `code`, a `cause`, and whether it is worth retrying. */
export class DeskmateError extends Error {
  /** Stable code. */
  readonly code: ErrorCode;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** A message written for the user, when the thrower knows better than the generic one. */
  readonly userMessage?: string | UserText;

  constructor(code: ErrorCode, message: string, options: DeskmateErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DeskmateError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.userMessage = options.userMessage;
  }
}

/** An error from a language model call; `partialText` holds what was streamed before it failed. */
export class LlmError extends DeskmateError {
  /** Text that already streamed before the failure. */
  readonly partialText?: string;
  /** The model that failed. */
  readonly model?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: DeskmateErrorOptions & { partialText?: string; model?: string } = {},
  ) {
    super(code, message, options);
    this.name = 'LlmError';
    this.partialText = options.partialText;
    this.model = options.model;
  }
}

/** Whether a value is a Deskmate error. */
export function isDeskmateError(value: unknown): value is DeskmateError {
  return value instanceof DeskmateError;
}

/**
 * An error and its causes in one line, for an admin (the Playground), never for a chat user: `model qwen-plus
 * failed (503) ← connect ECONNREFUSED 127.0.0.1:18991`. At most four levels.
 */
export function errorDetail(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && parts.length < 4) {
    const text = current instanceof Error ? current.message : String(current);
    const code = (current as { code?: unknown }).code;
    const withCode =
      typeof code === 'string' && !text.includes(code) && !isDeskmateError(current)
        ? `${text} (${code})`
        : text;
    if (withCode && !parts.includes(withCode)) parts.push(withCode);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' ← ');
}
