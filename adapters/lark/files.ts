import type { Readable } from 'node:stream';
import type { ConversationRef } from '../../src/core/conversation';
import { DeskmateError, isDeskmateError } from '../../src/core/errors';
import type { FileCapability, FileContent, SharedFile } from '../../src/core/shared-file';
import { timeoutError } from '../../src/documents/document-error';
import { readWithinLimit } from '../../src/documents/read-within-limit';
import { larkCodeOf } from './api';
import type { LarkContext } from './context';
import { documentAccess, parseDocumentLink, readDocument } from './documents';
import { isForwardedRecord, readForwardedRecord } from './forwarded';

const missingScope = {
  en: "I can't read files and Docs here yet: the Lark app is missing a permission it needs (im:resource, docx:document:readonly, wiki:wiki:readonly, docs:permission.setting:readonly, docs:permission.member:retrieve). An admin adds them from adapters/lark/scopes.json and publishes a new version.",
  zh: '暂时无法读取这里的文件和文档：飞书应用缺少所需权限（im:resource、docx:document:readonly、wiki:wiki:readonly、docs:permission.setting:readonly、docs:permission.member:retrieve）。请管理员按 adapters/lark/scopes.json 添加并发布新版本。',
};

/** Lark's codes for a permission the app lacks. */
const missingScopeCodes = new Set([99991672, 99991679]);

/** A missing permission said to the person as such (not as a missing model); other errors unchanged. */
function explained<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    const missing = isDeskmateError(error) && error.code === 'not_configured' && !error.userMessage;
    if (!missing && !missingScopeCodes.has(larkCodeOf(error) ?? 0)) throw error;
    throw new DeskmateError('not_configured', error instanceof Error ? error.message : String(error), {
      cause: error,
      userMessage: missingScope,
    });
  });
}

/** A file message's content: `{"file_key":"file_v3_…","file_name":"report.pdf"}`. */
interface FileContentJson {
  file_key?: unknown;
  file_name?: unknown;
}

/** The file a `file` message carries, as a shared file of its chat; undefined for any other content. */
export function fileOfMessage(
  messageType: string | undefined,
  content: string | undefined,
  messageId: string,
  conversation: ConversationRef,
): SharedFile | undefined {
  if (messageType !== 'file' || !content) return undefined;
  let parsed: FileContentJson;
  try {
    parsed = JSON.parse(content) as FileContentJson;
  } catch {
    return undefined;
  }
  if (typeof parsed.file_key !== 'string' || !parsed.file_key) return undefined;
  return {
    id: parsed.file_key,
    ...(typeof parsed.file_name === 'string' && parsed.file_name ? { name: parsed.file_name } : {}),
    messageId,
    conversation: { ...conversation, thread: undefined },
  };
}

/**
 * Create Lark's file capability: a file message's file through the message resources API
 * (`im.v1.messageResource.get`, scope `im:resource`), streamed and stopped at the byte and time limits; Doc
 * and Wiki links (`…/docx/<token>`, `…/wiki/<token>`), their sharing and members (drive permission APIs), and
 * their text from the Doc's blocks.
 */
export function createLarkFiles(context: LarkContext): FileCapability {
  return {
    async read(file, limits): Promise<FileContent> {
      // A forwarded chat record is read as a transcript of its messages (scope im:message:readonly).
      if (isForwardedRecord(file)) return explained(readForwardedRecord(context, file, limits));
      if (!file.messageId) throw new DeskmateError('not_found', 'a Lark file is read through its message');
      const started = Date.now();
      const resource = await explained(
        context.client.im.v1.messageResource.get({
          params: { type: 'file' },
          path: { message_id: file.messageId, file_key: file.id },
        }),
      );
      const stream = resource.getReadableStream() as Readable;
      const length = Number((resource.headers as Record<string, unknown> | undefined)?.['content-length']);
      const timer = setTimeout(
        () => stream.destroy(timeoutError(limits.timeoutMilliseconds)),
        limits.timeoutMilliseconds,
      );
      try {
        const bytes = await readWithinLimit(stream, limits.maxBytes, {
          declaredBytes: Number.isFinite(length) && length > 0 ? length : file.size,
        });
        context.logger.info(
          { messageId: file.messageId, bytes: bytes.length, durationMs: Date.now() - started },
          'lark file downloaded',
        );
        return { bytes, ...(file.name ? { name: file.name } : {}) };
      } finally {
        clearTimeout(timer);
      }
    },
    async resolveLink(url, from) {
      const document = parseDocumentLink(url, from, context.tenantKey());
      return document ? { kind: 'document', document } : undefined;
    },
    documentAccess: (document, userId) => explained(documentAccess(context, document, userId)),
    readDocument: (document, limits) => explained(readDocument(context, document, limits)),
  };
}
