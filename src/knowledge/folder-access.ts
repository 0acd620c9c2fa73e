import { z } from 'zod';
import type { KnowledgePrincipal } from '../core/knowledge-index';

/** The file that narrows who may read a knowledge folder (and the folders under it). */
export const accessFileName = 'access.json';

/** An example of the file, for the fix in error messages. */
export const accessFileExample =
  '{ "conversations": ["slack:T0123ABCD:C0456EFGH", "lark:<tenant key>:oc_…"], "users": ["slack:T0123ABCD:U0789IJKL"], "workspaces": ["lark:<tenant key>"] }';

const platform = '(slack|lark|console)';
const id = '[^:\\s]+';
const conversationOrUser = new RegExp(`^${platform}:${id}:${id}$`);
const workspace = new RegExp(`^${platform}:${id}$`);

const accessFileSchema = z
  .strictObject({
    conversations: z.array(z.string().regex(conversationOrUser)).optional(),
    users: z.array(z.string().regex(conversationOrUser)).optional(),
    workspaces: z.array(z.string().regex(workspace)).optional(),
  })
  .refine(
    (file) =>
      (file.conversations?.length ?? 0) + (file.users?.length ?? 0) + (file.workspaces?.length ?? 0) > 0,
    { message: 'names nobody' },
  );

/** What an `access.json` says: the principals it lets read, or what is wrong with it. */
export type FolderAccess = { ok: true; principals: KnowledgePrincipal[] } | { ok: false; problem: string };

/**
 * Read an `access.json`: `conversations` (`<platform>:<workspace>:<channel or chat id>`: its members),
 * `users` (`<platform>:<workspace>:<user id>`) and `workspaces` (`<platform>:<workspace>`: everyone allowed
 * to use Deskmate there). A file that does not parse or names nobody is a problem, never an open door.
 */
export function parseFolderAccess(text: string): FolderAccess {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  const parsed = accessFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join('.')} ` : '';
    const what =
      issue.code === 'invalid_format'
        ? 'is not <platform>:<workspace>:<id> (platform slack, lark or console)'
        : issue.message;
    return { ok: false, problem: `${where}${what}` };
  }
  const file = parsed.data;
  return {
    ok: true,
    principals: [
      ...(file.conversations ?? []).map((entry) => `conversation:${entry}`),
      ...(file.users ?? []).map((entry) => `user:${entry}`),
      ...(file.workspaces ?? []).map((entry) => `everyone:${entry}`),
    ],
  };
}
