import type { ConversationRef } from '../../src/core/conversation';
import { DeskmateError } from '../../src/core/errors';
import type {
  DownloadLimits,
  FileCapability,
  FileContent,
  LinkedFile,
  SharedFile,
} from '../../src/core/shared-file';
import { tooLargeError } from '../../src/documents/document-error';
import { readWithinLimit } from '../../src/documents/read-within-limit';
import { slackErrorOf } from './api';
import type { SlackContext } from './context';

/** A file object as Slack sends it in events and returns it from `files.info` (the fields Deskmate reads). */
export interface SlackFileObject {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  mode?: string;
  permalink?: string;
  url_private?: string;
  url_private_download?: string;
  channels?: string[];
  groups?: string[];
  ims?: string[];
  shares?: { public?: Record<string, unknown>; private?: Record<string, unknown> };
}

/** Slack's own file host: the only place besides SLACK_API_URL's host the bot token is ever sent. */
export const slackFileOrigin = 'https://files.slack.com';

/** Redirects followed (each to an allowed host) before a download is given up. */
const maxRedirects = 3;

const refusedHost = {
  en: "I won't download that file: its address is not on Slack's own file host, and I send my Slack token nowhere else.",
  zh: '不会下载这个文件：它的地址不在 Slack 自己的文件服务器上，而我的 Slack 令牌不会发往别处。',
};
const notDownloadable = {
  en: "I can't read that file: Slack keeps only a link to it (an external or deleted file).",
  zh: '无法读取这个文件：Slack 只保存了它的链接（外部文件或已删除的文件）。',
};

/** Modes of files Slack does not host itself: nothing to download. */
const notHostedModes = new Set(['external', 'tombstone', 'hidden_by_limit']);

/** Media Deskmate does not read (they stay "unreadable" parts of a message). */
export function isMediaFile(file: Pick<SlackFileObject, 'mimetype'>): boolean {
  return /^(image|audio|video)\//.test(file.mimetype ?? '');
}

/** Whether Slack hosts the file's bytes (an external or deleted file has none to read). */
export function isHostedFile(file: Pick<SlackFileObject, 'mode'>): boolean {
  return !notHostedModes.has(file.mode ?? 'hosted');
}

/** A Slack file object as a shared file of the conversation it came with. */
export function toSharedFile(
  file: SlackFileObject,
  conversation: ConversationRef,
  messageId?: string,
): SharedFile | undefined {
  if (!file.id) return undefined;
  return {
    id: file.id,
    ...(file.name || file.title ? { name: file.name ?? file.title } : {}),
    ...(file.mimetype ? { mimeType: file.mimetype } : {}),
    ...(typeof file.size === 'number' ? { size: file.size } : {}),
    ...(messageId ? { messageId } : {}),
    ...(file.permalink ? { link: file.permalink } : {}),
    conversation: { ...conversation, thread: undefined },
  };
}

/** Whether a URL is on a host the bot token may go to: Slack's file host over https, or SLACK_API_URL's. */
export function isAllowedFileUrl(url: string, allowedOrigins: readonly string[]): boolean {
  try {
    const parsed = new URL(url);
    return allowedOrigins.includes(parsed.origin) && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/** The conversations a file was shared in (`files.info`: its shares, else its channel lists). */
function sharedIn(file: SlackFileObject, workspace: string): ConversationRef[] {
  const ids = new Set<string>([
    ...Object.keys(file.shares?.public ?? {}),
    ...Object.keys(file.shares?.private ?? {}),
    ...(file.channels ?? []),
    ...(file.groups ?? []),
    ...(file.ims ?? []),
  ]);
  return [...ids].map((channel) => ({
    platform: 'slack',
    workspace,
    channel,
    kind: channel.startsWith('D') ? 'dm' : 'group',
  }));
}

const missingScope = {
  en: "I can't read files here yet: the Slack app needs the files:read scope (an admin adds it under OAuth & Permissions, as in adapters/slack/manifest.yaml, and reinstalls the app).",
  zh: '暂时无法读取这里的文件：Slack 应用需要 files:read 权限（管理员在 OAuth & Permissions 中添加后重新安装应用）。',
};

/** `files.info` for one file; a missing `files:read` scope is said to the person as such. */
async function fileInfo(context: SlackContext, fileId: string): Promise<SlackFileObject> {
  const result = await context.api
    .call<{ file?: SlackFileObject }>('files.info', { file: fileId, count: 1 }, { idempotent: true })
    .catch((error: unknown) => {
      if (slackErrorOf(error) !== 'missing_scope') throw error;
      throw new DeskmateError('not_configured', (error as Error).message, {
        cause: error,
        userMessage: missingScope,
      });
    });
  if (!result.file) throw new DeskmateError('not_found', `Slack files.info returned no file for ${fileId}`);
  return result.file;
}

/**
 * GET a private file with the bot token, following redirects only to allowed hosts (a redirect elsewhere is
 * refused before anything is sent there), and read the body within the byte limit.
 */
async function download(
  context: SlackContext,
  url: string,
  limits: DownloadLimits,
  declaredBytes: number | undefined,
): Promise<Buffer> {
  const signal = AbortSignal.timeout(limits.timeoutMilliseconds);
  let address = url;
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    if (!isAllowedFileUrl(address, context.fileOrigins)) {
      context.logger.warn(
        { host: safeHost(address), code: 'foreign_file_host' },
        'slack file refused: its URL is not on an allowed host',
      );
      throw new DeskmateError('forbidden', 'the file URL is not on an allowed host', {
        userMessage: refusedHost,
      });
    }
    const response = await fetch(address, {
      headers: { authorization: `Bearer ${context.botToken}` },
      redirect: 'manual',
      signal,
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) break;
      address = new URL(location, address).toString();
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new DeskmateError('platform_error', `Slack file download answered HTTP ${response.status}`, {
        retryable: response.status >= 500,
      });
    }
    const length = Number(response.headers.get('content-length'));
    return readWithinLimit(response.body as unknown as AsyncIterable<Uint8Array>, limits.maxBytes, {
      declaredBytes: Number.isFinite(length) && length > 0 ? length : declaredBytes,
    });
  }
  throw new DeskmateError('platform_error', 'Slack file download was redirected too often');
}

/** The host of a URL, for logs (never the path or query). */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

/** A file permalink's id: `https://<workspace>.slack.com/files/U…/F…/name`, or `files.slack.com/files-pri/T…-F…/…`. */
function fileIdOf(context: SlackContext, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.host.toLowerCase();
  const workspaceUrl = context.identity()?.workspaceUrl;
  const ownHost = workspaceUrl ? new URL(workspaceUrl).host.toLowerCase() : undefined;
  const onWorkspace = ownHost ? host === ownHost : host.endsWith('.slack.com');
  const permalink = /^\/files\/[UW][A-Z0-9]+\/(F[A-Z0-9]+)(?:\/|$)/.exec(parsed.pathname);
  if (onWorkspace && permalink) return permalink[1];
  const privateUrl = /^\/files-pri\/T[A-Z0-9]+-(F[A-Z0-9]+)(?:\/|$)/.exec(parsed.pathname);
  if (`${parsed.protocol}//${host}` === slackFileOrigin && privateUrl) return privateUrl[1];
  return undefined;
}

/**
 * Create Slack's file capability: files are looked up with `files.info` and downloaded from
 * `url_private_download` with the bot token (scope `files:read`), which goes only to Slack's file host or to
 * SLACK_API_URL's host, within the byte and time limits; a pasted file permalink resolves to the file and the
 * conversations it was shared in.
 */
export function createSlackFiles(context: SlackContext): FileCapability {
  return {
    async read(file, limits): Promise<FileContent> {
      // Not even looked up: the size Slack sent with the event is already over the limit.
      if (typeof file.size === 'number' && file.size > limits.maxBytes) {
        throw tooLargeError(limits.maxBytes, file.size);
      }
      const info = await fileInfo(context, file.id);
      if (!isHostedFile(info)) {
        throw new DeskmateError('not_found', 'the Slack file is not hosted by Slack', {
          userMessage: notDownloadable,
        });
      }
      const url = info.url_private_download ?? info.url_private;
      if (!url) throw new DeskmateError('not_found', 'the Slack file has no download URL');
      const started = Date.now();
      const bytes = await download(context, url, limits, info.size);
      context.logger.info(
        { fileId: file.id, bytes: bytes.length, durationMs: Date.now() - started },
        'slack file downloaded',
      );
      const name = info.name ?? info.title ?? file.name;
      const link = info.permalink ?? file.link;
      return {
        bytes,
        ...(name ? { name } : {}),
        ...((info.mimetype ?? file.mimeType) ? { mimeType: info.mimetype ?? file.mimeType } : {}),
        ...(link ? { link } : {}),
      };
    },
    async resolveLink(url, from): Promise<LinkedFile | undefined> {
      const fileId = fileIdOf(context, url);
      if (!fileId) return undefined;
      const info = await fileInfo(context, fileId).catch((error: unknown) => {
        context.logger.info({ fileId, err: error }, 'linked slack file not found');
        return undefined;
      });
      if (!info) return undefined;
      const workspace = context.identity()?.teamId ?? (from.platform === 'slack' ? from.workspace : 'slack');
      const shared = toSharedFile(info, from);
      if (!shared) return undefined;
      const { conversation: _where, ...file } = shared;
      return { kind: 'file', file, sharedIn: sharedIn(info, workspace) };
    },
  };
}
