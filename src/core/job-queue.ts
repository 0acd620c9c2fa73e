import type { InboundMessage } from './inbound-message';

/** What happened to a job handed to the queue. */
export type EnqueueOutcome = 'accepted' | 'duplicate';

/** Runs one job; the worker behind it never throws for a skill failure. */
export type JobHandler<Job = InboundMessage> = (job: Job, attempt: JobAttempt) => Promise<void>;

/** Facts about one run of a job. */
export interface JobAttempt {
  /** The job id (from the job's kind: for a chat message, its platform and event id). */
  jobId: string;
  /** 1 for the first run, more on retries and after a crash. */
  attemptsMade: number;
  /** True when the queue gives up on the job if this run throws (both queues set it; hand-made runs may not). */
  lastAttempt?: boolean;
  /** Aborted when the process is shutting down past its grace period. */
  signal: AbortSignal;
}

/** How a queue names, dedupes and orders the jobs of one kind (chat messages, knowledge folder files). */
export interface JobKind<Job> {
  /** A stable id for the job, made of letters, digits, `_`, `.` and `-`. */
  jobId(job: Job): string;
  /** The keys the job dedupes on (one or two): a job whose key was seen within the TTL is a duplicate. */
  dedupeKeys(job: Job): string[];
  /** How long a dedupe key is remembered. */
  dedupeTtlSeconds: number;
  /** Jobs with the same key run one at a time, in arrival order; different keys in parallel. */
  orderingKey(job: Job): string;
}

/** Where jobs are handed: accepted once per dedupe key, run later by workers. */
export interface JobQueue<Job = InboundMessage> {
  /** Dedupe and enqueue; resolves fast. Rejects when the queue is unreachable (answer 503). */
  enqueue(job: Job): Promise<EnqueueOutcome>;
  /** Start running jobs with the handler. */
  start(handler: JobHandler<Job>): Promise<void>;
  /** Resolves when nothing is queued or running (used by the console and tests). */
  drain(): Promise<void>;
  /** Jobs waiting plus running. */
  depth(): Promise<number>;
  /** Stop taking jobs, let running ones finish within the grace period, leave the rest queued. */
  stop(graceMs: number): Promise<void>;
}
