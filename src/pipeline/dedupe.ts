import { conversationKey } from '../core/conversation';
import type { InboundMessage } from '../core/inbound-message';
import type { JobKind } from '../core/job-queue';
import type { StateStore } from '../core/state-store';

/** How long an event id is remembered: longer than Lark's ~7.1 h retry window and Slack's minutes. */
export const dedupeTtlSeconds = 9 * 60 * 60;

/** The keys a message dedupes on: its event id, and its platform message id. */
export function dedupeKeys(message: InboundMessage): string[] {
  const platform = message.conversation.platform;
  const keys = [`${platform}:event:${message.eventId}`];
  if (message.messageId && message.messageId !== message.eventId) {
    keys.push(`${platform}:message:${message.messageId}`);
  }
  return keys;
}

/** Claim a job for processing; false when an earlier delivery already claimed one of its keys. */
export async function claimJob<Job>(store: StateStore, kind: JobKind<Job>, job: Job): Promise<boolean> {
  for (const key of kind.dedupeKeys(job)) {
    // A new event id carrying a message already seen (app_mention + message of one post) stays a duplicate.
    if (!(await store.markSeen(key, kind.dedupeTtlSeconds))) return false;
  }
  return true;
}

/** A job id derived from the event id, with no colons. */
export function jobIdFor(message: InboundMessage): string {
  return `${message.conversation.platform}-${message.eventId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Chat messages as jobs: deduped on the event and message ids, in order per conversation. */
export const messageJobs: JobKind<InboundMessage> = {
  jobId: jobIdFor,
  dedupeKeys,
  dedupeTtlSeconds,
  orderingKey: (message) => conversationKey(message.conversation),
};

/** A queue's `kind` option: chat messages when left out, required for any other type of job. */
export type JobKindOption<Job> = [Job] extends [InboundMessage]
  ? { kind?: JobKind<Job> }
  : { kind: JobKind<Job> };

/** The kind a queue was given; only an `InboundMessage` queue may leave it out (see `JobKindOption`). */
export function kindOf<Job>(option: JobKindOption<Job>): JobKind<Job> {
  return (option as { kind?: JobKind<Job> }).kind ?? (messageJobs as unknown as JobKind<Job>);
}
