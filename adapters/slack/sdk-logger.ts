import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../src/core/logger';

function describe(parts: unknown[]): {
  sdkMessage: string;
  err?: { name?: string; code?: unknown; message: string };
} {
  const words: string[] = [];
  let err: { name?: string; code?: unknown; message: string } | undefined;
  for (const part of parts.flat()) {
    if (typeof part === 'string') words.push(part);
    else if (part instanceof Error) {
      err ??= {
        name: part.name,
        code: (part as { code?: unknown }).code,
        message: part.message.slice(0, 300),
      };
    }
  }
  return { sdkMessage: words.join(' ').slice(0, 300), err };
}

/**
 * The Slack SDKs' logger (Bolt, WebClient, Socket Mode), bridged onto ours. Their debug lines carry request
 * and event bodies (message text, tokens in places): they are dropped; of the rest only the SDK's own
 * strings and error names and codes are kept.
 */
export function createSdkLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: () => {},
    info: (...parts: unknown[]) => child.debug(describe(parts), 'slack sdk info'),
    warn: (...parts: unknown[]) => child.warn(describe(parts), 'slack sdk warning'),
    error: (...parts: unknown[]) => child.error(describe(parts), 'slack sdk error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
