import type { ConversationRef } from '../../src/core/conversation';
import { isDeskmateError } from '../../src/core/errors';
import type { DocumentAccess, DownloadLimits, FileContent, LinkedDocument } from '../../src/core/shared-file';
import { timeoutError, tooLargeError, unsupportedError } from '../../src/documents/document-error';
import { unwrap } from './api';
import { isChatMember } from './chat-members';
import type { LarkContext } from './context';
import { blocksToMarkdown, documentTitle, type LarkDocBlock } from './doc-blocks';

/** Hosts of Lark and Feishu documents (a tenant's own subdomain of one of these). */
const documentHosts = /(^|\.)(feishu\.cn|larksuite\.com|larkoffice\.com|feishu\.net|larkenterprise\.com)$/i;

/** `/docx/<token>` and `/wiki/<token>` links; other kinds (sheets, bases, old docs) are named when refused. */
const documentPath = /^\/(docx|wiki|docs|sheets|base|mindnotes|slides|file)\/([A-Za-z0-9]{8,})\/?$/;

/** Blocks asked for per page (the API's largest page). */
const blockPageSize = 500;

/** Link sharing that lets everyone in the tenant read the document (and partners or anyone, which include it). */
const tenantReadable = new Set([
  'tenant_readable',
  'tenant_editable',
  'partner_tenant_readable',
  'partner_tenant_editable',
  'anyone_readable',
  'anyone_editable',
]);

const otherKinds: Record<string, { en: string; zh: string }> = {
  docs: {
    en: 'an old-style Lark Doc; open it and upgrade it to a new Doc',
    zh: '旧版飞书文档，请先升级为新版文档',
  },
  sheets: { en: 'a Lark Sheet', zh: '飞书电子表格' },
  base: { en: 'a Lark Base', zh: '飞书多维表格' },
  mindnotes: { en: 'a Lark mind note', zh: '飞书思维笔记' },
  slides: { en: 'a Lark slide deck', zh: '飞书幻灯片' },
  file: { en: 'a file in Lark Drive', zh: '飞书云空间中的文件' },
};

/** The refusal of a kind of Lark document Deskmate does not read, naming it. */
function unsupportedKind(kind: string) {
  const wiki = { sheet: 'sheets', bitable: 'base', mindnote: 'mindnotes' } as Record<string, string>;
  return unsupportedError(
    otherKinds[wiki[kind] ?? kind] ?? { en: 'a Lark document of another kind', zh: '其他类型的飞书文档' },
  );
}

/** The Doc or Wiki page a pasted link names, in the tenant of the chat it was pasted in. */
export function parseDocumentLink(
  url: string,
  from: ConversationRef,
  tenantKey: string,
): LinkedDocument | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!documentHosts.test(parsed.hostname)) return undefined;
  const match = documentPath.exec(parsed.pathname);
  if (!match) return undefined;
  return {
    platform: 'lark',
    workspace: from.platform === 'lark' ? from.workspace : tenantKey,
    token: match[2],
    type: match[1] === 'docx' ? 'docx' : match[1],
    link: `${parsed.origin}${parsed.pathname}`,
  };
}

type PermissionType = 'docx' | 'wiki';

/** The node a Wiki link names: the document it holds (`obj_token`, `obj_type`) and its title. */
async function wikiNode(context: LarkContext, token: string) {
  const data = await unwrap<{ node?: { obj_token?: string; obj_type?: string; title?: string } }>(
    'wiki.v2.space.getNode',
    context.client.wiki.v2.space.getNode({ params: { token, obj_type: 'wiki' } }),
  );
  return data.node ?? {};
}

/**
 * Whether a person may read a linked Doc or Wiki page: its link sharing lets the tenant read it
 * (`drive.v2.permissionPublic.get`), or they are one of its members (`drive.v1.permissionMember.list`: the
 * person, or a group chat they are in). Anything Deskmate cannot check counts as no.
 */
export async function documentAccess(
  context: LarkContext,
  document: LinkedDocument,
  userId: string,
): Promise<DocumentAccess> {
  const closed: DocumentAccess = { readable: false, audience: { openTo: 'members', external: false } };
  // A kind Deskmate does not read is named before anyone's access is looked up.
  if (document.type !== 'docx' && document.type !== 'wiki') throw unsupportedKind(document.type);
  const type = document.type as PermissionType;
  const token = document.token;
  try {
    const sharing = await unwrap<{ permission_public?: { link_share_entity?: string } }>(
      'drive.v2.permissionPublic.get',
      context.client.drive.v2.permissionPublic.get({ path: { token }, params: { type } }),
    );
    const linkShare = sharing.permission_public?.link_share_entity ?? 'closed';
    if (tenantReadable.has(linkShare))
      return { readable: true, audience: { openTo: 'workspace', external: false } };
    const members = await unwrap<{ items?: Array<{ member_type?: string; member_id?: string }> }>(
      'drive.v1.permissionMember.list',
      context.client.drive.v1.permissionMember.list({
        path: { token },
        params: { type, fields: 'member_type,member_id,perm,type' },
      }),
    );
    const items = members.items ?? [];
    if (items.some((member) => member.member_type === 'openid' && member.member_id === userId)) {
      return { readable: true, audience: closed.audience };
    }
    for (const member of items) {
      if (
        member.member_type === 'openchat' &&
        member.member_id &&
        (await isChatMember(context, member.member_id, userId))
      ) {
        return { readable: true, audience: closed.audience };
      }
    }
    return closed;
  } catch (error) {
    // A permission the app lacks is the admin's to fix, not a refusal of the person.
    if (!isDeskmateError(error) || error.retryable || error.code === 'not_configured') throw error;
    context.logger.info({ code: error.code, type }, 'lark document permissions not readable; refused');
    return closed;
  }
}

/**
 * A Lark Doc's text as Markdown (headings kept), from its blocks page by page (`docx.v1.documentBlock.list`);
 * a Wiki link is first resolved to the Doc it holds. Stops at the byte and time limits; other kinds of
 * documents are refused with their name.
 */
export async function readDocument(
  context: LarkContext,
  document: LinkedDocument,
  limits: DownloadLimits,
): Promise<FileContent> {
  const started = Date.now();
  let token = document.token;
  let kind = document.type;
  let title = document.title;
  if (document.type === 'wiki') {
    const node = await wikiNode(context, document.token);
    token = node.obj_token ?? '';
    kind = node.obj_type ?? 'unknown';
    title ??= node.title;
  }
  if (kind !== 'docx' || !token) throw unsupportedKind(kind);
  const blocks: LarkDocBlock[] = [];
  let bytes = 0;
  let pageToken: string | undefined;
  do {
    if (Date.now() - started > limits.timeoutMilliseconds) throw timeoutError(limits.timeoutMilliseconds);
    const page = await unwrap<{ items?: LarkDocBlock[]; has_more?: boolean; page_token?: string }>(
      'docx.v1.documentBlock.list',
      context.client.docx.v1.documentBlock.list({
        path: { document_id: token },
        params: { page_size: blockPageSize, ...(pageToken ? { page_token: pageToken } : {}) },
      }),
    );
    for (const block of page.items ?? []) {
      bytes += Buffer.byteLength(JSON.stringify(block));
      blocks.push(block);
    }
    // The blocks' JSON is larger than their text: a document whose blocks pass the limit is past it too.
    if (bytes > limits.maxBytes * 4) throw tooLargeError(limits.maxBytes);
    pageToken = page.has_more ? page.page_token : undefined;
  } while (pageToken);
  const markdown = Buffer.from(blocksToMarkdown(blocks), 'utf8');
  if (markdown.length > limits.maxBytes) throw tooLargeError(limits.maxBytes, markdown.length);
  const name = title ?? documentTitle(blocks);
  context.logger.info(
    { blocks: blocks.length, bytes: markdown.length, durationMs: Date.now() - started },
    'lark document read',
  );
  return {
    bytes: markdown,
    name: `${name ?? 'document'}.md`,
    mimeType: 'text/markdown',
    link: document.link,
    ...(name ? { title: name } : {}),
  };
}
