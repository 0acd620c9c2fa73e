import pino from 'pino';
import type { Logger } from './core/logger';

/** Options for the process logger. */
interface LoggerOptions {
  /** pino level (`info`, `debug`, `silent`, …). */
  level: string;
  /** Human-readable lines instead of JSON (defaults to whether the destination is a TTY). */
  pretty?: boolean;
  /** File descriptor to write to: 1 (stdout, servers) or 2 (stderr, the console assistant). */
  destination?: 1 | 2;
}

/** Paths whose values never reach a log line. */
export const redactedPaths = [
  'token',
  'botToken',
  'appToken',
  'appSecret',
  'signingSecret',
  'encryptKey',
  'apiKey',
  'authorization',
  'password',
  'text',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.appSecret',
  '*.signingSecret',
  '*.encryptKey',
  '*.apiKey',
  '*.authorization',
  '*.password',
  '*.text',
  'headers.authorization',
  'headers.cookie',
  'config.headers.Authorization',
];

/** Create the process logger: JSON lines, pretty in a terminal, secrets and message text redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  const pretty = options.pretty ?? (destination === 1 ? process.stdout.isTTY : process.stderr.isTTY) === true;
  const base = {
    level: options.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'deskmate' },
  };
  if (pretty) {
    const prettyStream = require('pino-pretty')({ destination, colorize: true, sync: true });
    return pino(base, prettyStream);
  }
  return pino(base, pino.destination({ dest: destination, sync: false }));
}
