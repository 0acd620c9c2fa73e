import type { ConversationAudience, ConversationRef } from './conversation';

/**
 * A file shared in a conversation, as the platform described it (an event's payload, a history message):
 * enough to download it later on the job side. It is read only for members of `conversation`.
 */
export interface SharedFile {
  /** The platform's file id (Slack `F…`, Lark `file_key`; the console: an absolute path). */
  id: string;
  /** The file name, when known: a hint for text formats, and what the answer calls the file. */
  name?: string;
  /** The MIME type the platform reported, when it did. */
  mimeType?: string;
  /** Its size in bytes, when the platform said. */
  size?: number;
  /** The message it was shared in (Lark reads a file through its message). */
  messageId?: string;
  /** The conversation it was shared in: whoever asks to read it must be a member. */
  conversation: ConversationRef;
  /** A link that opens the file on the platform (citations point to it). */
  link?: string;
}

/** A document that lives outside conversations (a Lark Doc or Wiki page), found from a pasted link. */
export interface LinkedDocument {
  /** Which platform it is on. */
  platform: ConversationRef['platform'];
  /** The workspace it belongs to. */
  workspace: string;
  /** The document's token (a Wiki link is resolved to the document it holds). */
  token: string;
  /** What kind of document the token names (`docx`, `wiki`, …), as the platform's permission APIs call it. */
  type: string;
  /** The link that was pasted (citations point to it). */
  link: string;
  /** Its title, when known. */
  title?: string;
}

/** What a pasted link points to when it is a file or document of the platform. */
export type LinkedFile =
  /** A file shared in conversations (a Slack file permalink): readable for members of any of `sharedIn`. */
  | { kind: 'file'; file: Omit<SharedFile, 'conversation'>; sharedIn: ConversationRef[] }
  /** A document with its own sharing settings (a Lark Doc or Wiki page). */
  | { kind: 'document'; document: LinkedDocument };

/** Whether a person may read a linked document, and who else can. */
export interface DocumentAccess {
  /** Whether the person may read it: its sharing lets the whole workspace read it, or they are a member of it. */
  readable: boolean;
  /** Who can read it: the workspace (tenant-wide sharing) or only its members; decides where the answer may go. */
  audience: ConversationAudience;
}

/** The bytes of a downloaded file or document, with what the answer says about it. */
export interface FileContent {
  /** The bytes, never more than the byte limit. */
  bytes: Buffer;
  /** The file name (a hint for text formats). */
  name?: string;
  /** The MIME type reported (a hint). */
  mimeType?: string;
  /** A link that opens it on the platform, for citations. */
  link?: string;
  /** Its title (a Lark Doc's), when there is one. */
  title?: string;
}

/** Limits of one download. */
export interface DownloadLimits {
  /** Most bytes read; a larger file fails with `document_too_large` before or while downloading. */
  maxBytes: number;
  /** Most milliseconds the download may take. */
  timeoutMilliseconds: number;
}

/** Optional capability: reading the files and documents people share, on the job side only. */
export interface FileCapability {
  /** Download a shared file's bytes, stopping at the byte limit. */
  read(file: SharedFile, limits: DownloadLimits): Promise<FileContent>;
  /**
   * The file or document a pasted link points to, when it is one of this platform's; `from` is where the
   * link was pasted (a link resolves within that workspace).
   */
  resolveLink?(url: string, from: ConversationRef): Promise<LinkedFile | undefined>;
  /** Whether the person may read a linked document, from its sharing settings and its members. */
  documentAccess?(document: LinkedDocument, userId: string): Promise<DocumentAccess>;
  /** A linked document's text (as Markdown, headings kept), stopping at the byte limit. */
  readDocument?(document: LinkedDocument, limits: DownloadLimits): Promise<FileContent>;
}
