import { tooLargeError } from './document-error';

/** How a download declares its size before it is read (a `Content-Length` header, a platform's file size). */
export interface ReadWithinLimitOptions {
  /** The size the source says it has; over the limit fails before reading a byte. */
  declaredBytes?: number;
}

/**
 * Read a download (a Node stream, a fetch body, any async iterable of bytes) into memory, stopping it as soon
 * as it passes `maxBytes`: the stream is ended (its iterator's `return`, which destroys a Node stream and
 * cancels a web stream), so an adapter never downloads more than the limit.
 */
export async function readWithinLimit(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  options: ReadWithinLimitOptions = {},
): Promise<Buffer> {
  if (options.declaredBytes !== undefined && options.declaredBytes > maxBytes) {
    // Not read at all: a Node stream is destroyed, a web stream cancelled.
    const stream = source as { destroy?: () => void; cancel?: () => Promise<void> };
    if (typeof stream.destroy === 'function') stream.destroy();
    else if (typeof stream.cancel === 'function') await stream.cancel();
    throw tooLargeError(maxBytes, options.declaredBytes);
  }
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await iterator.next();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLargeError(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  return Buffer.concat(chunks, total);
}
