import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyRead } from '../core/request-ingress';

/** The bytes that request bodies not yet authenticated may hold at once across one server. */
export interface UnauthenticatedBytes {
  /** The cap, in bytes. */
  readonly limit: number;
  /** Bytes held now. */
  held(): number;
  /** Hold `bytes` more if they fit under the cap; false (and nothing held) when they do not. */
  take(bytes: number): boolean;
  /** Give back `bytes` held earlier. */
  give(bytes: number): void;
}

/** Create the budget of bytes that unauthenticated request bodies may hold at once. */
export function createUnauthenticatedBytes(limit: number): UnauthenticatedBytes {
  let held = 0;
  return {
    limit,
    held: () => held,
    take(bytes) {
      if (held + bytes > limit) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      held = Math.max(0, held - bytes);
    },
  };
}

/** A body being read: its outcome, and `release` to give its bytes back to the budget (safe twice). */
interface BodyReading {
  /** The outcome of the read. */
  result: Promise<BodyRead>;
  /** Give the bytes this body holds back to the budget. */
  release(): void;
}

/**
 * Read a request's raw body, keeping at most `limit` bytes, held against `budget` (its declared length up
 * front, a chunked body as it arrives). Reading stops at once when the body is declared or counted past the
 * limit (`too_large`; chunked bodies too) or the budget has no room for it (`busy`): nothing more is read
 * or kept, the response is marked `connection: close`, and the socket is destroyed once the answer is
 * flushed, so an oversized body is never drained.
 */
export function readRawBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
  budget: UnauthenticatedBytes,
): BodyReading {
  let held = 0;
  const release = () => {
    budget.give(held);
    held = 0;
  };
  const result = new Promise<BodyRead>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (read: BodyRead) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAborted);
      request.off('close', onAborted);
      if (read.kind !== 'body') {
        chunks.length = 0;
        release();
      }
      if (read.kind === 'too_large' || read.kind === 'busy') {
        request.pause();
        const socket = request.socket;
        response.setHeader('connection', 'close');
        response.once('finish', () => socket.destroy());
      }
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle({ kind: 'too_large' });
      if (size > held) {
        if (!budget.take(size - held)) return settle({ kind: 'busy' });
        held = size;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onAborted = () => settle({ kind: 'aborted' });

    // A declared length is held up front, so a body with no room is refused before a byte of it is read;
    // a chunked body is held as it arrives.
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return settle({ kind: 'too_large' });
    if (declared > 0) {
      if (!budget.take(declared)) return settle({ kind: 'busy' });
      held = declared;
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAborted);
    request.on('close', onAborted);
  });
  return { result, release };
}
