/** A user of the fake workspace. */
export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  timezone?: string;
  locale?: string;
  isBot?: boolean;
}

/** A message in the fake workspace, as Slack stores it. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  user?: string;
  botId?: string;
  subtype?: string;
  text: string;
  blocks?: Array<Record<string, unknown>>;
  threadTs?: string;
  /** Slack streaming: the Markdown text streamed so far, and whether the stream is still open. */
  stream?: { markdown: string; open: boolean };
  /** Set for ephemeral messages: who sees it. */
  visibleTo?: string;
  /** How many times `chat.update` replaced it. */
  updates: number;
  /** Message metadata (`chat.postMessage` metadata), returned only with `include_all_metadata`. */
  metadata?: Record<string, unknown>;
  /** Ids of the files shared with it (`file_share`). */
  files?: string[];
  /** Legacy attachments: integration posts, shared and forwarded messages (`is_share`). */
  attachments?: Array<Record<string, unknown>>;
  /** An integration's name on a `bot_message` (`username`). */
  username?: string;
}

/** A file someone shared in the fake workspace. */
export interface FakeSlackFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  bytes: Buffer;
  /** Who shared it. */
  user: string;
  /** The channels it was shared in (private channels and DMs included). */
  channels: string[];
  /** Where `files.info` says to download it, instead of the fake's own file host (a foreign host). */
  downloadUrl?: string;
  /** Answer the download with a redirect to this URL. */
  redirectTo?: string;
  /** Say no size: none in the file object, and the download sent in chunks without a Content-Length. */
  hideSize?: boolean;
}

/** A channel (or direct message) of the fake workspace. */
export interface FakeSlackChannel {
  id: string;
  name: string;
  isIm: boolean;
  /** A private channel (`is_private`): only its members may read it. */
  isPrivate?: boolean;
  /** Shared with another organization (Slack Connect, `is_ext_shared`). */
  isExternal?: boolean;
  /** Invited to Slack Connect, the invitation not yet accepted (`is_pending_ext_shared`). */
  isPendingExternal?: boolean;
  /** Shared between workspaces of the same Enterprise Grid organization (`is_org_shared`). */
  isOrgShared?: boolean;
  members: string[];
  messages: FakeSlackMessage[];
}

/** What a file share needs: where, who, the words with it (`{bot}` marks the bot's mention) and the file. */
export interface FileShareOptions {
  channel?: string;
  user: string;
  text?: string;
  threadTs?: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
  /** Where `files.info` says to download it (a foreign host, for the token test). */
  downloadUrl?: string;
  /** The fake's file host answers the download with a redirect to this URL. */
  redirectTo?: string;
  /** No size in the file object, and a chunked download without a Content-Length. */
  hideSize?: boolean;
}

/** The workspace behind the fake Web API: users, channels, messages, and what the bot did. */
export class FakeSlackState {
  readonly teamId = 'T0DESKMATE';
  readonly teamName = 'Deskmate Test';
  readonly workspaceUrl = 'https://deskmate-test.slack.com/';
  readonly botUserId = 'U0BOT0001';
  readonly botId = 'B0BOT0001';
  readonly appId = 'A0DESKMATE';
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  /** Assistant panel calls (`setStatus`, `setSuggestedPrompts`, `setTitle`) with their arguments. */
  readonly assistantCalls: Array<{ method: string; args: Record<string, unknown> }> = [];
  /** Files uploaded with `files.uploadV2`. */
  readonly files: Array<{
    id: string;
    filename: string;
    content: string;
    channel?: string;
    threadTs?: string;
  }> = [];
  /** Files people shared (`file_share`), by id. */
  readonly sharedFiles = new Map<string, FakeSlackFile>();
  /** Called when the bot posts a message (the demo script prints it). */
  onBotMessage?: (message: FakeSlackMessage) => void;
  /** Called when a bot message changes: updated, or its stream stopped. */
  onBotMessageChanged?: (message: FakeSlackMessage, change: 'updated' | 'stopped') => void;
  private lastTs = 0;

  constructor() {
    this.users.set(this.botUserId, {
      id: this.botUserId,
      name: 'deskmate',
      realName: 'Deskmate',
      isBot: true,
    });
  }

  /** A new message `ts`, later than every earlier one (microseconds since the epoch, as Slack writes it). */
  nextTs(): string {
    this.lastTs = Math.max(this.lastTs + 1, Date.now() * 1000);
    const text = String(this.lastTs);
    return `${text.slice(0, -6)}.${text.slice(-6)}`;
  }

  /** Add a user. */
  addUser(user: FakeSlackUser): FakeSlackUser {
    this.users.set(user.id, user);
    return user;
  }

  /** Add a channel (the bot is a member unless left out). */
  addChannel(channel: {
    id: string;
    name: string;
    members: string[];
    isIm?: boolean;
    isPrivate?: boolean;
    isExternal?: boolean;
    isPendingExternal?: boolean;
    isOrgShared?: boolean;
  }): FakeSlackChannel {
    const created: FakeSlackChannel = { ...channel, isIm: channel.isIm ?? false, messages: [] };
    this.channels.set(channel.id, created);
    return created;
  }

  /** The direct message channel between a user and the bot. */
  directChannel(userId: string): FakeSlackChannel {
    const id = `D${userId.slice(1)}`;
    return (
      this.channels.get(id) ??
      this.addChannel({ id, name: id, members: [userId, this.botUserId], isIm: true })
    );
  }

  /** Someone writes a message (at `ts` when given, else now). */
  userSays(options: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
    ts?: string;
  }): FakeSlackMessage {
    const channel = this.requireChannel(options.channel);
    const message: FakeSlackMessage = {
      channel: options.channel,
      ts: options.ts ?? this.nextTs(),
      user: options.user,
      text: options.text,
      threadTs: options.threadTs,
      updates: 0,
    };
    const last = channel.messages.at(-1);
    channel.messages.push(message);
    // Kept in ts order; sorting only when a message arrives out of order keeps seeding long threads fast.
    if (last && Number(last.ts) > Number(message.ts)) {
      channel.messages.sort((left, right) => Number(left.ts) - Number(right.ts));
    }
    return message;
  }

  /** Someone shares a file in a channel (with words, in a thread when given): the message and the file. */
  userSharesFile(options: FileShareOptions & { channel: string }): {
    message: FakeSlackMessage;
    file: FakeSlackFile;
  } {
    const file: FakeSlackFile = {
      id: `F${String(this.sharedFiles.size + 1).padStart(3, '0')}${Date.now().toString(36).toUpperCase()}`,
      name: options.name,
      mimetype: options.mimetype,
      filetype: options.name.split('.').pop() ?? 'binary',
      bytes: options.bytes,
      user: options.user,
      channels: [options.channel],
      ...(options.downloadUrl ? { downloadUrl: options.downloadUrl } : {}),
      ...(options.redirectTo ? { redirectTo: options.redirectTo } : {}),
      ...(options.hideSize ? { hideSize: true } : {}),
    };
    this.sharedFiles.set(file.id, file);
    const message = this.userSays({
      channel: options.channel,
      user: options.user,
      text: options.text ?? '',
      threadTs: options.threadTs,
    });
    message.subtype = 'file_share';
    message.files = [file.id];
    return { message, file };
  }

  /**
   * Another app posts (Jira, GitHub, PagerDuty…): a `bot_message` with its own `bot_id` and no `user`, its content
   * in attachments or blocks, as `conversations.history` returns such posts.
   */
  integrationPosts(fields: {
    channel: string;
    botId: string;
    username: string;
    text: string;
    attachments?: Array<Record<string, unknown>>;
    blocks?: Array<Record<string, unknown>>;
  }): FakeSlackMessage {
    const channel = this.requireChannel(fields.channel);
    const message: FakeSlackMessage = { ...fields, subtype: 'bot_message', ts: this.nextTs(), updates: 0 };
    channel.messages.push(message);
    return message;
  }

  /** The bot posts a message. */
  botPosts(fields: Omit<FakeSlackMessage, 'ts' | 'updates' | 'user' | 'botId'>): FakeSlackMessage {
    const channel = this.requireChannel(fields.channel);
    const message: FakeSlackMessage = {
      ...fields,
      ts: this.nextTs(),
      user: this.botUserId,
      botId: this.botId,
      updates: 0,
    };
    channel.messages.push(message);
    this.onBotMessage?.(message);
    return message;
  }

  /** A message by channel and ts. */
  message(channel: string, ts: string): FakeSlackMessage | undefined {
    // From the newest: the messages asked for are mostly recent ones (a reply being updated).
    return this.channels.get(channel)?.messages.findLast((message) => message.ts === ts);
  }

  /** Every message the bot posted (ephemeral ones included), in order. */
  botMessages(): FakeSlackMessage[] {
    return [...this.channels.values()]
      .flatMap((channel) => channel.messages)
      .filter((message) => message.botId === this.botId)
      .sort((left, right) => Number(left.ts) - Number(right.ts));
  }

  /** The messages of a thread, parent first. */
  thread(channel: string, threadTs: string): FakeSlackMessage[] {
    return (this.channels.get(channel)?.messages ?? []).filter(
      (message) => message.ts === threadTs || message.threadTs === threadTs,
    );
  }

  /** What a person sees of a message: the streamed Markdown, and the text of its blocks (else its `text`). */
  visibleText(message: FakeSlackMessage): string {
    const parts: string[] = [];
    if (message.stream) parts.push(message.stream.markdown);
    if (message.blocks?.length) parts.push(...message.blocks.map(blockText).filter(Boolean));
    else if (!message.stream) parts.push(message.text);
    return parts.join('\n');
  }

  /** Throw Slack's `channel_not_found` for an unknown channel. */
  requireChannel(id: string): FakeSlackChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new FakeSlackError('channel_not_found');
    return channel;
  }
}

/** A Web API error the fake answers with (`ok: false`). */
export class FakeSlackError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** The text a person sees in one Block Kit block. */
export function blockText(block: Record<string, unknown>): string {
  const text = block.text as { text?: string } | undefined;
  if (block.type === 'section') return text?.text ?? '';
  if (block.type === 'context') {
    return ((block.elements as Array<{ text?: string }>) ?? [])
      .map((element) => element.text ?? '')
      .join(' ');
  }
  if (block.type === 'actions') {
    return ((block.elements as Array<{ text?: { text?: string } }>) ?? [])
      .map((element) => `[${element.text?.text ?? ''}]`)
      .join(' ');
  }
  if (block.type === 'markdown') return String(block.text ?? '');
  return '';
}
