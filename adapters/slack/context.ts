import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import type { SlackApi } from './api';
import type { CallBudget } from './call-budget';
import type { SlackDirectory } from './directory';

/** Who the bot is, from `auth.test`. */
export interface SlackIdentity {
  /** The bot's user id (`U…`): its mentions look like `<@U…>`. */
  botUserId: string;
  /** The bot id (`B…`): its own messages carry it. */
  botId?: string;
  /** The workspace id (`T…`). */
  teamId: string;
  /** The workspace URL (`https://acme.slack.com/`), for message links. */
  workspaceUrl?: string;
}

/** What the Slack adapter's parts share. */
export interface SlackContext {
  /** The Web API with Deskmate's retry policy. */
  api: SlackApi;
  /** State: caches, stream records, response URLs. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** Names of users and channels. */
  directory: SlackDirectory;
  /** The clock. */
  now: () => Date;
  /** Waits (tests shorten it). */
  sleep: (milliseconds: number) => Promise<void>;
  /** Who the bot is, once `auth.test` answered. */
  identity(): SlackIdentity | undefined;
  /** Least time between two `chat.appendStream` calls of one reply. */
  streamIntervalMs: number;
  /** Least time between two `chat.update` calls of one reply when streaming falls back to updates. */
  updateIntervalMs: number;
  /** Each workspace's share of `chat.appendStream` and of streamed `chat.update` calls, shared by all replies. */
  streamBudgets: { append: CallBudget; update: CallBudget };
  /** POST JSON to a `response_url` (slash commands, buttons); throws on a non-2xx answer. */
  postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void>;
  /** The bot token, for file downloads (sent only to `fileOrigins`). */
  botToken: string;
  /** The only origins file downloads may go to with the bot token: Slack's file host, and SLACK_API_URL's. */
  fileOrigins: readonly string[];
}

/** What the adapter carries in `InboundMessage.platformData` for the port to use later (JSON only). */
export type SlackPlatformData = {
  /** The user who wrote the message (stream recipient). */
  userId?: string;
  /** Their own team (stream recipient team): in a Slack Connect channel, their organization's, not the envelope's. */
  teamId?: string;
  /** Where a slash command or button answer can go when the bot cannot post in the channel. */
  responseUrl?: string;
  /** The assistant thread the message belongs to. */
  assistantThread?: { channelId: string; threadTs: string; contextChannelId?: string };
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The Slack fields of a message's platform data, read field by field: the data went through the queue as
 * JSON, so nothing is taken on trust; a field of the wrong shape is left out.
 */
export function slackPlatformData(value: Record<string, unknown> | undefined): SlackPlatformData {
  const data = value ?? {};
  const thread = data.assistantThread as Record<string, unknown> | undefined;
  const channelId = text(thread?.channelId);
  const threadTs = text(thread?.threadTs);
  const contextChannelId = text(thread?.contextChannelId);
  const userId = text(data.userId);
  const teamId = text(data.teamId);
  const responseUrl = text(data.responseUrl);
  return {
    ...(userId ? { userId } : {}),
    ...(teamId ? { teamId } : {}),
    ...(responseUrl ? { responseUrl } : {}),
    ...(channelId && threadTs
      ? { assistantThread: { channelId, threadTs, ...(contextChannelId ? { contextChannelId } : {}) } }
      : {}),
  };
}
