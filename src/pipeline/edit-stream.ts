import type { PostedMessageRef, ReplyStream } from '../core/chat-platform';
import type { Reply } from '../core/reply';

/** Spaces the calls made on one message at least `intervalMs` apart. */
export interface Pacer {
  /** Whether the next call may go now. */
  due(): boolean;
  /** Record that a call went now. */
  mark(): void;
  /** Wait (with the given sleep) until the next call may go, and record it. */
  wait(sleep: (milliseconds: number) => Promise<void>): Promise<void>;
}

/** The pacer every streamed reply uses: checked on each append, waited on only where a call must go. */
export function createPacer(intervalMs: number): Pacer {
  let last = 0;
  return {
    due: () => Date.now() - last >= intervalMs,
    mark: () => {
      last = Date.now();
    },
    async wait(sleep) {
      const remaining = last + intervalMs - Date.now();
      if (remaining > 0) await sleep(remaining);
      last = Date.now();
    },
  };
}

/** What a reply shown by editing a posted message needs from its platform. */
export interface EditStreamOptions {
  /** Least time between two edits of the message. */
  intervalMs: number;
  /** Post the message (the first text, or the whole reply when nothing was shown). */
  post(reply: Reply): Promise<PostedMessageRef>;
  /** Replace the message's content. */
  edit(message: PostedMessageRef, reply: Reply): Promise<void>;
  /** The message a retried job posted already: it is edited, not posted again. */
  existing?: PostedMessageRef;
  /** Whether an intermediate edit may be spent now (a rate budget shared with other replies). */
  mayEdit?(): Promise<boolean>;
  /** The part of the text so far that can be shown (e.g. up to a word boundary); all of it by default. */
  showable?(text: string): string;
  /** An intermediate edit failed: the final one carries everything, so the answer goes on. */
  onEditFailed?(error: unknown): void;
}

/**
 * The fallback every adapter shares where a platform (or a place) cannot stream natively: post the first
 * text, then edit the message as it grows, paced and within budget; `finish` leaves the full final reply.
 */
export function createEditStream(options: EditStreamOptions): ReplyStream {
  const pacer = createPacer(options.intervalMs);
  let message = options.existing;
  let text = '';
  let shown = '';
  return {
    async append(markdown) {
      text += markdown;
      if (!pacer.due()) return;
      const showable = options.showable ? options.showable(text) : text;
      if (!showable.trim() || showable === shown) return;
      if (message && options.mayEdit && !(await options.mayEdit())) return;
      if (!message) message = await options.post({ markdown: showable });
      else {
        try {
          await options.edit(message, { markdown: showable });
        } catch (error) {
          if (!options.onEditFailed) throw error;
          options.onEditFailed(error);
        }
      }
      shown = showable;
      pacer.mark();
    },
    async finish(reply) {
      if (!message) return options.post(reply);
      await options.edit(message, reply);
      return message;
    },
  };
}
