import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import type { LarkDomain } from './sdk-bridge';

/** What the Lark platform port's parts share: the SDK client and the adapter's settings. */
export interface LarkContext {
  /** The SDK client (its HTTP calls go through the bounded transport). */
  client: lark.Client;
  /** State: card entities of streamed messages, link records, small caches. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** The configured domain (for app links). */
  domain: LarkDomain;
  /** The clock. */
  now: () => Date;
  /** Waits (tests may shorten it). */
  sleep: (milliseconds: number) => Promise<void>;
  /** Least time between two updates of a streaming card (CardKit allows 10 per second). */
  streamIntervalMs: number;
  /** Least time between two patches of a message (Lark allows 5 per second). */
  patchIntervalMs: number;
  /** The tenant seen in events, for conversations built from links. */
  tenantKey(): string;
  /** The app's id (`cli_…`): the sender id of the bot's own messages in history. */
  appId?: string;
  /** The app's name, once the bot info has been read (`app_name` of `/open-apis/bot/v3/info`). */
  appName?: () => string | undefined;
}

/** A raw message as `im.v1.message.list` and `get` return it. */
export interface LarkMessageItem {
  message_id?: string;
  root_id?: string;
  parent_id?: string;
  thread_id?: string;
  msg_type?: string;
  create_time?: string;
  deleted?: boolean;
  chat_id?: string;
  sender?: { id: string; id_type: string; sender_type: string; sender_name?: string };
  body?: { content: string };
  mentions?: Array<{ key: string; id: string; id_type: string; name: string }>;
  message_app_link?: string;
}
