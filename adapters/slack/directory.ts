import type { Logger } from '../../src/core/logger';
import type { StateStore } from '../../src/core/state-store';
import type { SlackApi } from './api';

/** What Deskmate knows about a Slack user. */
export interface SlackUserProfile {
  /** User id (`U…`, `W…`). */
  id: string;
  /** Display name, else real name, else handle. */
  name?: string;
  /** IANA timezone from the profile. */
  timezone?: string;
  /** The user's Slack locale (`en-US`, `zh-CN`). */
  locale?: string;
  /** Whether the user is a bot. */
  isBot?: boolean;
}

/** Names of users and channels, cached in the state store. */
export interface SlackDirectory {
  /** Profiles of users by id; unknown ids are left out. */
  users(ids: readonly string[]): Promise<Map<string, SlackUserProfile>>;
  /** Names of channels by id (without `#`); unknown ids are left out. */
  channelNames(ids: readonly string[]): Promise<Map<string, string>>;
}

const profileTtlSeconds = 24 * 60 * 60;
const missingTtlSeconds = 5 * 60;
interface UsersInfo {
  user?: {
    id?: string;
    name?: string;
    real_name?: string;
    tz?: string;
    locale?: string;
    is_bot?: boolean;
    profile?: { display_name?: string; real_name?: string };
  };
}

/** Create the directory: `users.info` and `conversations.info`, remembered for a day in the state store. */
export function createSlackDirectory(api: SlackApi, store: StateStore, logger: Logger): SlackDirectory {
  const loadStoredUser = async (id: string): Promise<SlackUserProfile | undefined> => {
    const key = `slack:user:${id}`;
    const cached = await store.getJson<SlackUserProfile | { missing: true }>(key);
    if (cached) return 'missing' in cached ? undefined : cached;
    try {
      const info = await api.call<UsersInfo>(
        'users.info',
        { user: id, include_locale: true },
        { idempotent: true },
      );
      const user = info.user ?? {};
      const profile: SlackUserProfile = {
        id,
        name:
          user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || undefined,
        timezone: user.tz || undefined,
        locale: user.locale || undefined,
        isBot: user.is_bot === true,
      };
      await store.setJson(key, profile, profileTtlSeconds);
      return profile;
    } catch (error) {
      logger.debug({ err: error, user: id }, 'no profile for user (needs users:read)');
      await store.setJson(key, { missing: true }, missingTtlSeconds).catch(() => undefined);
      return undefined;
    }
  };

  const loadStoredChannel = async (id: string): Promise<string | undefined> => {
    const key = `slack:channel-name:${id}`;
    const cached = await store.getJson<{ name?: string }>(key);
    if (cached) return cached.name;
    try {
      const info = await api.call<{ channel?: { name?: string } }>(
        'conversations.info',
        { channel: id },
        { idempotent: true },
      );
      const name = info.channel?.name || undefined;
      await store.setJson(key, { name }, name ? profileTtlSeconds : missingTtlSeconds);
      return name;
    } catch (error) {
      logger.debug({ err: error, channel: id }, 'no name for channel');
      await store.setJson(key, {}, missingTtlSeconds).catch(() => undefined);
      return undefined;
    }
  };

  return {
    async users(ids) {
      const unique = [...new Set(ids)];
      const profiles = await Promise.all(unique.map((id) => loadStoredUser(id).catch(() => undefined)));
      const result = new Map<string, SlackUserProfile>();
      unique.forEach((id, index) => {
        const profile = profiles[index];
        if (profile) result.set(id, profile);
      });
      return result;
    },
    async channelNames(ids) {
      const unique = [...new Set(ids)];
      const names = await Promise.all(unique.map((id) => loadStoredChannel(id).catch(() => undefined)));
      const result = new Map<string, string>();
      unique.forEach((id, index) => {
        const name = names[index];
        if (name) result.set(id, name);
      });
      return result;
    },
  };
}
