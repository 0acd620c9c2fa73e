import { unwrap } from './api';
import { chatMemberNames } from './chat-members';
import type { LarkContext } from './context';

const profileTtlSeconds = 24 * 60 * 60;

/** What the contact directory says about a person. */
export interface LarkProfile {
  name?: string;
  timezone?: string;
}

/**
 * A person's name and timezone from the contact directory, cached a day (needs contact:user.base:readonly and
 * the person inside the app's contact range; external people and people outside it answer 41050: no profile).
 */
export async function userProfile(context: LarkContext, userId: string): Promise<LarkProfile> {
  const key = `lark:profile:${userId}`;
  const cached = await context.store.getJson<LarkProfile>(key);
  if (cached) return cached;
  try {
    const data = await unwrap<{ user?: { name?: string; time_zone?: string } }>(
      'contact.v3.user.get',
      context.client.contact.v3.user.get({ path: { user_id: userId }, params: { user_id_type: 'open_id' } }),
    );
    const profile = {
      ...(data.user?.name ? { name: data.user.name } : {}),
      ...(data.user?.time_zone ? { timezone: data.user.time_zone } : {}),
    };
    await context.store.setJson(key, profile, profileTtlSeconds);
    return profile;
  } catch (error) {
    context.logger.debug(
      { err: error, user: userId },
      'no profile for user (needs contact:user.base:readonly and the user in the contact range)',
    );
    return {};
  }
}

/** Most distinct people whose names one lookup asks the contact directory for (the rest keep their ids). */
const maxNameLookups = 50;

/** Most chats whose member lists one lookup reads for the names the directory did not give. */
const maxMemberLists = 3;

/**
 * People's names by open_id: from the contact directory, else as the member lists of the given chats show them
 * (that needs no contact scope, and covers external people and people outside the app's contact range).
 */
export async function peopleNames(
  context: LarkContext,
  userIds: readonly string[],
  chatIds: readonly (string | undefined)[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const wanted = [...new Set(userIds.filter(Boolean))].slice(0, maxNameLookups);
  await Promise.all(
    wanted.map(async (userId) => {
      const { name } = await userProfile(context, userId);
      if (name) names.set(userId, name);
    }),
  );
  const chats = [...new Set(chatIds.filter((chatId): chatId is string => Boolean(chatId)))];
  for (const chatId of chats.slice(0, maxMemberLists)) {
    const missing = wanted.filter((userId) => !names.has(userId));
    if (missing.length === 0) break;
    const members = await chatMemberNames(context, chatId);
    for (const userId of missing) if (members[userId]) names.set(userId, members[userId]);
  }
  return names;
}
