import { finished, type Readable } from 'node:stream';

/** Payloads waiting to be read before the body is paused until they are. */
const maxWaiting = 256;

/** The `data:` payloads of a server-sent event stream, read as they arrive. */
export interface ServerSentEvents {
  /** The payloads that arrived since the last call (waiting for one if none did), or undefined at the end. */
  next(): Promise<string[] | undefined>;
}

/**
 * Read the `data:` payloads of a server-sent event stream (one per event, multi-line data joined) from a
 * text body (`setEncoding` called), split as each chunk arrives. A model streams one small event per token,
 * so this is the job side's busiest path: it listens to the body's `data` events rather than iterating it,
 * which costs a promise per batch of events instead of several per chunk. A read or connection error, or a
 * body closed before its end, rejects the next call.
 */
export function readServerSentEvents(body: Readable): ServerSentEvents {
  let buffer = '';
  let lines: string[] = [];
  let waiting: string[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;

  body.on('data', (chunk: string) => {
    buffer += chunk;
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      if (end === start) {
        if (lines.length > 0) waiting.push(lines.length === 1 ? lines[0] : lines.join('\n'));
        lines = [];
      } else if (buffer.startsWith('data:', start)) {
        lines.push(buffer.slice(start + 5, end).trimStart());
      }
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = start === buffer.length ? '' : buffer.slice(start);
    if (waiting.length >= maxWaiting) body.pause();
    wake?.();
  });
  finished(body, (error) => {
    if (error) failure = error;
    else if (lines.length > 0) waiting.push(lines.join('\n'));
    ended = true;
    wake?.();
  });

  return {
    async next() {
      while (waiting.length === 0 && !ended) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        if (body.isPaused() && !ended) body.resume();
        return batch;
      }
      if (failure) throw failure;
      return undefined;
    },
  };
}
