import { LlmError } from '../core/errors';
import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../core/llm-provider';
import type { Logger } from '../core/logger';

/** One try at a model call: yields text pieces, returns the whole result; `onText` fires before each piece. */
type ModelAttempt = (
  request: LlmRequest,
  model: string,
  onText: () => void,
) => AsyncGenerator<string, LlmResult>;

/** How a provider retries and waits. */
interface RetryPolicy {
  /** Retries on throttling/unavailability before any text arrived (0 = one try only). */
  maxRetries: number;
  /** Logger. */
  logger: Logger;
  /** Waits between retries; resolves early when the signal aborts (tests pass one that records and returns). */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

/** What every provider takes besides its endpoint: retries, deadlines and per-skill models. */
export interface ProviderPolicy extends RetryPolicy {
  /** Model per purpose (skill), e.g. `{ summarize: '<a stronger model>' }`. */
  modelOverrides?: Record<string, string>;
  /** Deadline for the first token. */
  firstTokenTimeoutMs: number;
  /** Deadline for a whole answer. */
  totalTimeoutMs: number;
}

/** The model a request uses: its purpose's override, else the default. */
export function modelChooser(defaultModel: string, overrides?: Record<string, string>) {
  return (request: LlmRequest): string => (request.purpose && overrides?.[request.purpose]) || defaultModel;
}

/** Which deadline of a call ran out. */
type ExpiredDeadline = 'first token' | 'complete answer';

/** The two deadlines of a call and the caller's signal, as one AbortSignal. */
interface Deadlines {
  /** Aborts on either deadline, on the caller's signal, or when the attempt is released. */
  signal: AbortSignal;
  /** Call when the first token arrives: the first-token deadline no longer applies. */
  firstTokenArrived(): void;
  /** Which deadline fired, if one did. */
  expired(): ExpiredDeadline | undefined;
  /** Clear the timers and abort the attempt's request if it is still open (an early exit closes it). */
  clear(): void;
}

/** Start the first-token and total deadlines of one attempt. */
export function startDeadlines(request: LlmRequest, firstTokenMs: number, totalMs: number): Deadlines {
  const controller = new AbortController();
  let fired: ExpiredDeadline | undefined;
  const onCallerAbort = () => controller.abort();
  if (request.signal?.aborted) controller.abort();
  else request.signal?.addEventListener('abort', onCallerAbort, { once: true });
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
      // A finished request ignores this; one the caller walked away from is closed, so the model stops.
      controller.abort();
    },
  };
}

/** The error for a call the caller cancelled (its AbortSignal fired). */
function cancelledError(model: string, cause?: unknown, partialText?: string): LlmError {
  return new LlmError('timeout', `the call to model ${model} was cancelled`, {
    model,
    cause,
    partialText: partialText || undefined,
    retryable: false,
  });
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
          userMessage: error.userMessage,
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
  if (request.signal?.aborted) return cancelledError(model, error, text);
  return new LlmError('unavailable', `model ${model} could not be reached`, {
    retryable: true,
    model,
    cause: error,
    partialText,
  });
}

function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A server asking for a longer wait than this is not waited on: the person hears at once that it is busy. */
const maxHintedWaitMs = 20_000;

/** How long to wait before retry number `attemptNumber + 1`: the server's hint, else exponential, with jitter. */
function backoffMs(attemptNumber: number, hintedMs?: number): number {
  const backoff = hintedMs ?? Math.min(8000, 500 * 2 ** attemptNumber);
  return Math.round(backoff * (0.5 + Math.random() * 0.5));
}

/** What the retry loop needs besides the attempt: the policy, and the provider's name for the log. */
interface RetryRun extends RetryPolicy {
  /** The provider's name. */
  name: string;
}

/**
 * Run attempts with bounded, jittered retries: only before the first token, only for retryable errors. Yields
 * each text piece (unless `withText` is false: a whole answer is wanted, and every piece of a long answer
 * would cost a hop through this generator for nothing), then the result, which is logged.
 */
async function* withRetries(
  request: LlmRequest,
  model: string,
  attempt: ModelAttempt,
  run: RetryRun,
  withText: boolean,
): AsyncGenerator<LlmStreamEvent> {
  const sleep = run.sleep ?? abortableSleep;
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    if (request.signal?.aborted) throw cancelledError(model);
    let textSent = false;
    let finished = false;
    const generator = attempt(request, model, () => {
      textSent = true;
    });
    try {
      for (;;) {
        const next = await generator.next();
        if (next.done) {
          finished = true;
          logResult(request, next.value, run);
          yield { type: 'done', result: next.value };
          return;
        }
        if (withText) yield { type: 'text', text: next.value };
      }
    } catch (error) {
      finished = true;
      // A deadline is the user's wait already spent: it is not retried, and neither is text already shown.
      const retryable = error instanceof LlmError && error.retryable && error.code !== 'timeout';
      if (textSent || !retryable || attemptNumber >= run.maxRetries || request.signal?.aborted) throw error;
      const hinted = (error.cause as { retryAfterMs?: number } | undefined)?.retryAfterMs;
      if (hinted !== undefined && hinted > maxHintedWaitMs) throw error;
      const waitMs = backoffMs(attemptNumber, hinted);
      run.logger.warn(
        { model, code: error.code, attempt: attemptNumber + 1, waitMs },
        'model call failed; retrying',
      );
      await sleep(waitMs, request.signal);
    } finally {
      // The caller stopped reading early: close the attempt, which clears its timers and its request.
      if (!finished) await generator.return(undefined as never);
    }
  }
}

function logResult(request: LlmRequest, result: LlmResult, run: RetryRun): void {
  run.logger.debug(
    {
      provider: run.name,
      model: result.model,
      purpose: request.purpose,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      latencyMs: result.latencyMs,
      stopReason: result.stopReason,
      toolCalls: result.toolCalls.length,
    },
    'model call finished',
  );
}

/** Build a provider from attempt functions: `stream` and `complete` both retry as above. */
export function providerFromAttempt(
  name: string,
  modelFor: (request: LlmRequest) => string,
  attempts: { stream: ModelAttempt; complete?: ModelAttempt },
  policy: RetryPolicy,
): LlmProvider {
  const run: RetryRun = { ...policy, name };
  return {
    name,
    configured: true,
    stream: (request) => withRetries(request, modelFor(request), attempts.stream, run, true),
    async complete(request) {
      const whole = attempts.complete ?? attempts.stream;
      for await (const event of withRetries(request, modelFor(request), whole, run, false)) {
        if (event.type === 'done') return event.result;
      }
      throw new LlmError('unavailable', 'the model ended without an answer', { retryable: true });
    },
  };
}

/**
 * Iterate a response stream so that a caller leaving early does not wait on the stream's own cleanup (a
 * stalled stream never finishes it); the attempt's deadlines then abort the request, which closes it.
 */
export async function* unlessAbandoned<T>(iterable: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Throw when an answer's stream ended only because a deadline or the caller aborted it. */
export function assertNotCutOff(deadlines: Deadlines): void {
  if (deadlines.signal.aborted) throw new Error('the answer stream was cut off by an abort');
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
