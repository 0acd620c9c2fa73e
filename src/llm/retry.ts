import { LlmError } from '../core/errors';
import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../core/llm-provider';
import type { Logger } from '../core/logger';

/** One try at a model call: yields text pieces, returns the whole result; `onText` fires before each piece. */
export type ModelAttempt = (
  request: LlmRequest,
  model: string,
  onText: () => void,
) => AsyncGenerator<string, LlmResult>;

/** How a provider retries and waits. */
export interface RetryPolicy {
  /** Retries on throttling/unavailability before any text arrived. */
  maxRetries: number;
  /** Logger. */
  logger: Logger;
  /** Waits between retries (tests shorten them). */
  sleep?: (milliseconds: number) => Promise<void>;
}

/** The two deadlines of a call and the caller's signal, as one AbortSignal. */
export interface Deadlines {
  /** Aborts on either deadline or on the caller's signal. */
  signal: AbortSignal;
  /** Call when the first token arrives: the first-token deadline no longer applies. */
  firstTokenArrived(): void;
  /** Which deadline fired, if one did. */
  expired(): 'first token' | 'complete answer' | undefined;
  /** Clear the timers. */
  clear(): void;
}

/** Start the first-token and total deadlines of one attempt. */
export function startDeadlines(request: LlmRequest, firstTokenMs: number, totalMs: number): Deadlines {
  const controller = new AbortController();
  let fired: 'first token' | 'complete answer' | undefined;
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const first = setTimeout(() => {
    fired = 'first token';
    controller.abort();
  }, firstTokenMs);
  const total = setTimeout(() => {
    fired = 'complete answer';
    controller.abort();
  }, totalMs);
  return {
    signal: controller.signal,
    firstTokenArrived: () => clearTimeout(first),
    expired: () => fired,
    clear() {
      clearTimeout(first);
      clearTimeout(total);
      request.signal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Turn an exception of an attempt into an LlmError (timeouts, cancellation, network), keeping partial text. */
export function asLlmError(
  error: unknown,
  model: string,
  deadlines: Deadlines,
  request: LlmRequest,
  text: string,
): LlmError {
  const partialText = text || undefined;
  if (error instanceof LlmError) {
    return text && !error.partialText
      ? new LlmError(error.code, error.message, {
          cause: error,
          retryable: error.retryable,
          model,
          partialText,
        })
      : error;
  }
  const expired = deadlines.expired();
  if (expired) {
    return new LlmError('timeout', `model ${model} gave no ${expired} in time`, {
      retryable: true,
      model,
      partialText,
      cause: error,
    });
  }
  if (request.signal?.aborted)
    return new LlmError('timeout', 'the call was cancelled', { model, cause: error, partialText });
  return new LlmError('unavailable', `model ${model} could not be reached`, {
    retryable: true,
    model,
    cause: error,
    partialText,
  });
}

/** Run attempts with bounded, jittered retries: only before the first token, only for retryable errors. */
export async function* withRetries(
  request: LlmRequest,
  model: string,
  attempt: ModelAttempt,
  policy: RetryPolicy,
): AsyncGenerator<LlmStreamEvent> {
  const sleep =
    policy.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    let textSent = false;
    try {
      const generator = attempt(request, model, () => {
        textSent = true;
      });
      for (;;) {
        const next = await generator.next();
        if (next.done) {
          yield { type: 'done', result: next.value };
          return;
        }
        yield { type: 'text', text: next.value };
      }
    } catch (error) {
      // A deadline is the user's wait already spent: it is not retried, and neither is text already shown.
      const retryable = error instanceof LlmError && error.retryable && error.code !== 'timeout';
      if (textSent || !retryable || attemptNumber >= policy.maxRetries || request.signal?.aborted)
        throw error;
      const hinted = (error.cause as { retryAfterMs?: number } | undefined)?.retryAfterMs;
      const backoff = hinted ?? Math.min(8000, 500 * 2 ** attemptNumber);
      const waitMs = Math.round(backoff * (0.5 + Math.random() * 0.5));
      policy.logger.warn(
        { model, code: error.code, attempt: attemptNumber + 1, waitMs },
        'model call failed; retrying',
      );
      await sleep(waitMs);
    }
  }
}

/** Build a provider from its attempt function: `stream` retries as above; `complete` collects the stream. */
export function providerFromAttempt(
  name: string,
  modelFor: (request: LlmRequest) => string,
  attempt: ModelAttempt,
  policy: RetryPolicy,
): LlmProvider {
  return {
    name,
    configured: true,
    stream: (request) => withRetries(request, modelFor(request), attempt, policy),
    async complete(request) {
      for await (const event of withRetries(request, modelFor(request), attempt, policy)) {
        if (event.type === 'done') return event.result;
      }
      throw new LlmError('unavailable', 'the model ended without an answer', { retryable: true });
    },
  };
}

/** Parse a tool call's streamed JSON input; a broken one is kept as `{ raw }` for the caller to reject. */
export function parseToolInput(raw: string): Record<string, unknown> {
  try {
    const parsed = raw.trim() ? JSON.parse(raw) : {};
    return typeof parsed === 'object' && parsed !== null ? parsed : { value: parsed };
  } catch {
    return { raw };
  }
}
