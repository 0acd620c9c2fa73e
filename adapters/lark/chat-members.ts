import { unwrap } from './api';
import type { LarkContext } from './context';

const memberPageSize = 100;
const maxMemberPages = 100;

/** Whether a person is a member of a chat (chat members, 100 a page; a chat too large to check counts as no). */
export async function isChatMember(context: LarkContext, chatId: string, userId: string): Promise<boolean> {
  let pageToken: string | undefined;
  for (let page = 0; page < maxMemberPages; page += 1) {
    const data = await unwrap<{
      items?: Array<{ member_id?: string }>;
      has_more?: boolean;
      page_token?: string;
    }>(
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
    if (data.items?.some((member) => member.member_id === userId)) return true;
    if (!data.has_more || !data.page_token) return false;
    pageToken = data.page_token;
  }
  context.logger.warn({ chatId, pages: maxMemberPages }, 'chat too large to check membership; refusing');
  return false;
}
