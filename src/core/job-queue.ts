import type { InboundMessage } from './inbound-message';

/** What happened to a message handed to the queue. */
export type EnqueueOutcome = 'accepted' | 'duplicate';

/** Runs one job; the worker behind it never throws for a skill failure. */
export type JobHandler = (message: InboundMessage, attempt: JobAttempt) => Promise<void>;

/** Facts about one run of a job. */
export interface JobAttempt {
  /** The job id (derived from the event id). */
  jobId: string;
  /** 1 for the first run, more on retries and after a crash. */
  attemptsMade: number;
  /** Aborted when the process is shutting down past its grace period. */
  signal: AbortSignal;
}

/** Where adapters hand messages: accepted once per event id, run later by workers. */
export interface JobQueue {
  /** Dedupe and enqueue; resolves fast. Rejects when the queue is unreachable (answer 503). */
  enqueue(message: InboundMessage): Promise<EnqueueOutcome>;
  /** Start running jobs with the handler. */
  start(handler: JobHandler): Promise<void>;
  /** Resolves when nothing is queued or running (used by the console and tests). */
  drain(): Promise<void>;
  /** Jobs waiting plus running. */
  depth(): Promise<number>;
  /** Stop taking jobs, let running ones finish within the grace period, leave the rest queued. */
  stop(graceMs: number): Promise<void>;
}
