import type { Config } from './config';
import type { Adapter } from './core/adapter';
import type { JobQueue } from './core/job-queue';
import type { Logger } from './core/logger';
import type { StateStore } from './core/state-store';

/** What the chat adapters are built for: receiving events (and replying), or only replying (a `jobs` process). */
type AdapterRole = 'receive' | 'reply';

/**
 * The Slack and Lark adapters the configuration names. Each platform SDK is loaded only when its adapter is
 * configured (start-up time and memory). With `reply`, nothing is received: no Socket Mode or long
 * connection, no routes; the adapters only give skills their platform port.
 */
export function createChatAdapters(
  config: Config,
  parts: { queue: JobQueue; store: StateStore; logger: Logger },
  role: AdapterRole,
): Adapter[] {
  const adapters: Adapter[] = [];
  if (config.slack) {
    const { createSlackAdapter } = require('../adapters/slack') as typeof import('../adapters/slack');
    // Socket Mode's SDK client (and undici under it, ~10 MB) only where it receives over Socket Mode.
    const socketMode =
      role === 'receive' && config.slack.appToken
        ? (require('../adapters/slack/socket-mode') as typeof import('../adapters/slack/socket-mode'))
        : undefined;
    adapters.push(
      createSlackAdapter({
        ...config.slack,
        ...parts,
        receive: role === 'receive',
        connectSocketMode: socketMode?.createSocketModeConnection,
      }),
    );
  }
  if (config.lark) {
    const { createLarkAdapter } = require('../adapters/lark') as typeof import('../adapters/lark');
    adapters.push(createLarkAdapter({ ...config.lark, ...parts, receive: role === 'receive' }));
  }
  return adapters;
}
