import { unwrap } from './api';
import type { LarkContext } from './context';

const memberPageSize = 100;
const maxMemberPages = 100;
/** Most pages of members whose names are read (1,000 people); a larger chat names its first ones only. */
const maxNamePages = 10;
const memberNamesTtlSeconds = 10 * 60;

/** One page of `im.v1.chatMembers.get`: each member's open_id and name (the name needs no contact scope). */
interface MemberPage {
  items?: Array<{ member_id?: string; name?: string }>;
  has_more?: boolean;
  page_token?: string;
}

function memberPage(
  context: LarkContext,
  chatId: string,
  pageToken: string | undefined,
): Promise<MemberPage> {
  return unwrap<MemberPage>(
    'im.v1.chatMembers.get',
    context.client.im.v1.chatMembers.get({
      path: { chat_id: chatId },
      params: {
        member_id_type: 'open_id',
        page_size: memberPageSize,
        ...(pageToken ? { page_token: pageToken } : {}),
      },
    }),
  );
}

/** Whether a person is a member of a chat (chat members, 100 a page; a chat too large to check counts as no). */
export async function isChatMember(context: LarkContext, chatId: string, userId: string): Promise<boolean> {
  let pageToken: string | undefined;
  for (let page = 0; page < maxMemberPages; page += 1) {
    const data = await memberPage(context, chatId, pageToken);
    if (data.items?.some((member) => member.member_id === userId)) return true;
    if (!data.has_more || !data.page_token) return false;
    pageToken = data.page_token;
  }
  context.logger.warn({ chatId, pages: maxMemberPages }, 'chat too large to check membership; refusing');
  return false;
}

/**
 * The names of a chat's members by open_id, as the chat lists them (cached ten minutes): the names people
 * are shown by when the contact directory does not answer for them (outside the app's contact range, external).
 * A chat that cannot be read gives no names.
 */
export async function chatMemberNames(context: LarkContext, chatId: string): Promise<Record<string, string>> {
  // A menu conversation is addressed to a person (`ou_…`), not a chat.
  if (chatId.startsWith('ou_')) return {};
  const key = `lark:member-names:${chatId}`;
  const cached = await context.store.getJson<Record<string, string>>(key);
  if (cached) return cached;
  const names: Record<string, string> = {};
  let pageToken: string | undefined;
  try {
    for (let page = 0; page < maxNamePages; page += 1) {
      const data = await memberPage(context, chatId, pageToken);
      for (const member of data.items ?? []) {
        if (member.member_id && member.name) names[member.member_id] = member.name;
      }
      if (!data.has_more || !data.page_token) break;
      pageToken = data.page_token;
    }
  } catch (error) {
    context.logger.debug({ err: error, chatId }, 'chat member names not readable');
    return names;
  }
  await context.store.setJson(key, names, memberNamesTtlSeconds);
  return names;
}
