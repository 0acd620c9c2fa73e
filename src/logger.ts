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

/**
 * An error as a log line shows it (pino's own fields, its causes too), without the arguments of a Redis command
 * ioredis puts on its errors: a failed `HELLO 3 AUTH user password` carries the password.
 */
function errorFields(error: unknown): unknown {
  const fields = pino.stdSerializers.err(error as Error) as unknown;
  const strip = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 5) return;
    const record = value as Record<string, unknown>;
    const command = record.command as { args?: unknown } | undefined;
    if (command && typeof command === 'object' && 'args' in command) {
      record.command = { ...command, args: '[redacted]' };
    }
    strip(record.cause, depth + 1);
    if (Array.isArray(record.errors)) for (const inner of record.errors) strip(inner, depth + 1);
  };
  strip(fields, 0);
  // pino appends each cause's message to the error's; an error that already quotes its cause (a provider's
  // message inside Deskmate's) would show it twice: a cause's message already in the text is not repeated.
  if (error instanceof Error && fields && typeof fields === 'object') {
    let text = error.message;
    const seen = new Set<unknown>([error]);
    for (let cause = error.cause; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
      seen.add(cause);
      if (cause.message && !text.includes(cause.message)) text += `: ${cause.message}`;
    }
    (fields as { message?: string }).message = text;
  }
  return fields;
}

/** The options every Deskmate logger has: secrets and message text redacted, errors without Redis arguments. */
export const loggerOptions = {
  redact: { paths: redactedPaths, censor: '[redacted]' },
  serializers: { err: errorFields, error: errorFields },
};

/** Create the process logger: JSON lines, pretty in a terminal, secrets and message text redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  const pretty = options.pretty ?? (destination === 1 ? process.stdout.isTTY : process.stderr.isTTY) === true;
  const base = { ...loggerOptions, level: options.level, base: { service: 'deskmate' } };
  if (pretty) {
    const prettyStream = require('pino-pretty')({ destination, colorize: true, sync: true });
    return pino(base, prettyStream);
  }
  return pino(base, pino.destination({ dest: destination, sync: false }));
}
