import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/core/logger';
import { loggerOptions } from '../../src/logger';

/** A real pino logger whose lines (from `level` up, default all) are kept in memory for assertions. */
export function createCaptureLogger(level = 'debug'): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  const logger = pino({ ...loggerOptions, level }, stream);
  return { logger, lines };
}
