import type { RemovedContent } from './inbound-message';
import type { LinkedDocument, SharedFile } from './shared-file';

/**
 * The stable id of a knowledge source made from a shared file. A Lark file's id names the message it came in
 * (recalling the message removes it); other platforms' name the file (deleting the file removes it).
 */
export function sharedFileSourceId(file: SharedFile): string {
  const { platform, workspace } = file.conversation;
  if (platform === 'lark' && file.messageId) return `lark:${workspace}:message:${file.messageId}:${file.id}`;
  return `${platform}:${workspace}:file:${file.id}`;
}

/** The stable id of a knowledge source made from a linked document (a Lark Doc). */
export function linkedDocumentSourceId(document: LinkedDocument): string {
  return `${document.platform}:${document.workspace}:document:${document.token}`;
}

/** Whether a source id was made from content the platform removed in a workspace. */
export function madeFromRemoved(
  sourceId: string,
  platform: string,
  workspace: string,
  removed: RemovedContent,
): boolean {
  if (removed.kind === 'file') return sourceId === `${platform}:${workspace}:file:${removed.fileId}`;
  return sourceId.startsWith(`${platform}:${workspace}:message:${removed.messageId}:`);
}
