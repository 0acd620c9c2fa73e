import type { ConversationRef } from './conversation';

/** A message to deliver at a set time (a todo's due time, a meeting about to start). */
export interface Reminder {
  /** Stable id: scheduling the same id twice keeps one reminder, and it is delivered once. */
  id: string;
  /** When to deliver it (ISO 8601). */
  dueAt: string;
  /** Where to deliver it. */
  conversation: ConversationRef;
  /** The person it is for (mentioned in the delivery). */
  userId?: string;
  /** What to say (Markdown). */
  text: string;
}

/** Delivers reminders at their time, across restarts, never twice. */
export interface ReminderScheduler {
  /** Schedule a reminder; a second call with the same id changes nothing. */
  schedule(reminder: Reminder): Promise<void>;
  /** Cancel a reminder that has not fired yet. */
  cancel(id: string): Promise<void>;
}
