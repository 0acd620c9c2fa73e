import { LlmError } from '../core/errors';

/** How embedding calls wait and retry. */
export interface EmbeddingPolicy {
  /** Retries on throttling and unavailability (0 = one try only). */
  maxRetries: number;
  /** Deadline of one call, in milliseconds. */
  timeoutMs: number;
  /** Waits between retries (tests pass one that records and returns at once). */
  sleep?: (milliseconds: number) => Promise<void>;
  /** What the model is called in error messages (default `embedding model`). */
  kind?: string;
}

/** The longest a server's `retry-after` is honoured; past it the call fails at once as throttled. */
const maxHintedWaitMs = 20_000;

const pause = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Run one embedding call with a deadline, retrying retryable failures (throttling, unavailability, timeouts)
 * with exponential backoff and jitter, or the server's `retry-after` when it gave one. `toError` turns what a
 * try threw into an LlmError.
 */
export async function withEmbeddingRetries<T>(
  model: string,
  policy: EmbeddingPolicy,
  signal: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
  toError: (error: unknown) => unknown,
): Promise<T> {
  const sleep = policy.sleep ?? pause;
  const kind = policy.kind ?? 'embedding model';
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    const deadline = AbortSignal.timeout(policy.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let failure: unknown;
    try {
      return await attempt(combined);
    } catch (error) {
      failure = toError(error);
      if (!(failure instanceof LlmError)) {
        failure = deadline.aborted
          ? new LlmError('timeout', `${kind} ${model} gave no answer in ${policy.timeoutMs} ms`, {
              retryable: true,
              model,
              cause: error,
            })
          : new LlmError('unavailable', `${kind} ${model} could not be reached`, {
              retryable: !signal?.aborted,
              model,
              cause: error,
            });
      }
    }
    const error = failure as LlmError;
    const hinted = (error.cause as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (!error.retryable || attemptNumber >= policy.maxRetries || (hinted ?? 0) > maxHintedWaitMs)
      throw error;
    const backoff = hinted ?? 500 * 2 ** attemptNumber;
    await sleep(backoff + Math.floor(Math.random() * 250));
  }
}
