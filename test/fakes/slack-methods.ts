import { randomBytes } from 'node:crypto';
import { type FakeSlackChannel, FakeSlackError, type FakeSlackMessage } from './slack-state';
import type { FakeSlackServer, SlackMethod } from './slack-web-api';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function required(args: Record<string, unknown>, name: string): string {
  const value = text(args[name]);
  if (!value)
    throw new FakeSlackError('invalid_arguments', { response_metadata: { messages: [`missing ${name}`] } });
  return value;
}

function later(left: string, right: string): boolean {
  return Number(left.replace('.', '')) > Number(right.replace('.', ''));
}

/** One page of a list and the cursor of the next (cursors are opaque offsets, as on Slack). */
function paginate<T>(items: T[], args: Record<string, unknown>, maxPageSize: number) {
  const offset = text(args.cursor)
    ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8').slice(7))
    : 0;
  const limit = Math.min(Number(args.limit ?? 100) || 100, maxPageSize);
  const page = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { page, has_more: next !== '', response_metadata: { next_cursor: next } };
}

function wire(
  fake: FakeSlackServer,
  message: FakeSlackMessage,
  withMetadata = false,
): Record<string, unknown> {
  const files = (message.files ?? []).flatMap((id) => {
    const file = fake.state.sharedFiles.get(id);
    return file ? [fake.fileObject(file)] : [];
  });
  return {
    ...(files.length > 0 ? { files, upload: false } : {}),
    ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    type: 'message',
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.user ? { user: message.user } : {}),
    ...(message.botId ? { bot_id: message.botId } : {}),
    text: message.stream ? message.stream.markdown : message.text,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.username ? { username: message.username } : {}),
  };
}

/**
 * Slack refuses a message whose blocks hold more than about 12,000 characters of text, whatever the block count
 * (`msg_blocks_too_long`; undocumented: slackapi/bolt-js#2509 measured ~13,200–13,297, a Slack maintainer there
 * named 12,000 text characters plus a buffer; bolt-js#2867 saw 11,341 refused). The fake counts every `text`
 * string in the blocks, as bolt-js#2867 did, and refuses above 12,000.
 */
export const fakeBlockTextLimit = 12_000;

function textInBlocks(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textInBlocks(item), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.entries(value).reduce(
    (sum: number, [key, item]) =>
      sum + (key === 'text' && typeof item === 'string' ? item.length : textInBlocks(item)),
    0,
  );
}

function checkBlocksLength(blocks: unknown): void {
  if (Array.isArray(blocks) && textInBlocks(blocks) > fakeBlockTextLimit) {
    throw new FakeSlackError('msg_blocks_too_long');
  }
}

/** Define the Web API methods Deskmate uses, with Slack's arguments, answers and errors. */
export function defineSlackMethods(
  fake: FakeSlackServer,
  define: (name: string, method: SlackMethod) => void,
): void {
  const state = fake.state;
  const memberChannel = (id: string): FakeSlackChannel => {
    const channel = state.requireChannel(id);
    if (!channel.members.includes(state.botUserId)) throw new FakeSlackError('not_in_channel');
    return channel;
  };
  const botMessage = (channel: string, ts: string): FakeSlackMessage => {
    const message = state.message(channel, ts);
    if (!message) throw new FakeSlackError('message_not_found');
    if (message.botId !== state.botId) throw new FakeSlackError('cant_update_message');
    return message;
  };

  define('auth.test', () => ({
    url: state.workspaceUrl,
    team: state.teamName,
    user: 'deskmate',
    team_id: state.teamId,
    user_id: state.botUserId,
    bot_id: state.botId,
    is_enterprise_install: false,
  }));

  define('apps.connections.open', () => ({
    url: `${fake.url.replace(/^http/, 'ws')}/socket-mode?ticket=${randomBytes(8).toString('hex')}&app_id=${state.appId}`,
  }));

  define('chat.postMessage', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    if (!text(args.text) && !Array.isArray(args.blocks)) throw new FakeSlackError('no_text');
    checkBlocksLength(args.blocks);
    const message = state.botPosts({
      channel: channel.id,
      text: text(args.text) ?? '',
      blocks: args.blocks as FakeSlackMessage['blocks'],
      threadTs: text(args.thread_ts),
      ...(args.metadata ? { metadata: args.metadata as Record<string, unknown> } : {}),
    });
    return { channel: channel.id, ts: message.ts, message: wire(fake, message) };
  });

  define('chat.update', (args) => {
    const message = botMessage(required(args, 'channel'), required(args, 'ts'));
    // Ephemeral messages cannot be edited with chat.update: Slack answers message_not_found. They are
    // replaced only through the response_url of a click on them (slackapi/bolt-python#1268;
    // phelia PR #22 "Slack only allows ephemeral messages to be updated by interactions with those
    // messages themselves"; howdyai/botkit#1095).
    if (message.visibleTo) throw new FakeSlackError('message_not_found');
    if (message.stream?.open) throw new FakeSlackError('message_is_streaming');
    checkBlocksLength(args.blocks);
    message.text = text(args.text) ?? message.text;
    message.blocks = Array.isArray(args.blocks)
      ? (args.blocks as FakeSlackMessage['blocks'])
      : message.blocks;
    message.stream = undefined;
    message.updates += 1;
    state.onBotMessageChanged?.(message, 'updated');
    return { channel: message.channel, ts: message.ts, text: message.text };
  });

  define('chat.postEphemeral', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    const user = required(args, 'user');
    if (!channel.members.includes(user)) throw new FakeSlackError('user_not_in_channel');
    checkBlocksLength(args.blocks);
    const message = state.botPosts({
      channel: channel.id,
      text: text(args.text) ?? '',
      blocks: args.blocks as FakeSlackMessage['blocks'],
      threadTs: text(args.thread_ts),
      visibleTo: user,
    });
    return { message_ts: message.ts };
  });

  define('chat.getPermalink', (args) => {
    const channel = required(args, 'channel');
    const ts = required(args, 'message_ts');
    if (!state.message(channel, ts)) throw new FakeSlackError('message_not_found');
    return { channel, permalink: `${state.workspaceUrl}archives/${channel}/p${ts.replace('.', '')}` };
  });

  define('chat.startStream', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    const threadTs = required(args, 'thread_ts');
    if (!channel.isIm && (!text(args.recipient_user_id) || !text(args.recipient_team_id))) {
      throw new FakeSlackError('invalid_arguments', {
        response_metadata: { messages: ['missing recipient'] },
      });
    }
    const message = state.botPosts({
      channel: channel.id,
      text: '',
      threadTs,
      stream: { markdown: text(args.markdown_text) ?? '', open: true },
    });
    return { channel: channel.id, ts: message.ts };
  });

  define('chat.appendStream', (args) => {
    const message = botMessage(required(args, 'channel'), required(args, 'ts'));
    if (!message.stream?.open) throw new FakeSlackError('message_not_in_streaming_state');
    message.stream.markdown += required(args, 'markdown_text');
    return { channel: message.channel, ts: message.ts };
  });

  define('chat.stopStream', (args) => {
    const message = botMessage(required(args, 'channel'), required(args, 'ts'));
    if (!message.stream?.open) throw new FakeSlackError('message_not_in_streaming_state');
    message.stream.markdown += text(args.markdown_text) ?? '';
    message.stream.open = false;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks as FakeSlackMessage['blocks'];
    message.text = message.stream.markdown;
    state.onBotMessageChanged?.(message, 'stopped');
    return { channel: message.channel, ts: message.ts, message: wire(fake, message) };
  });

  const visible = (message: FakeSlackMessage) => !message.visibleTo;
  define('conversations.history', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    const oldest = text(args.oldest);
    const items = channel.messages
      .filter(visible)
      .filter(
        (message) =>
          !message.threadTs || message.threadTs === message.ts || message.subtype === 'thread_broadcast',
      )
      .filter((message) => !oldest || later(message.ts, oldest))
      .reverse()
      .map((message) => ({
        ...wire(fake, message, args.include_all_metadata === true || args.include_all_metadata === 'true'),
        ...(state.thread(channel.id, message.ts).length > 1
          ? { reply_count: state.thread(channel.id, message.ts).length - 1 }
          : {}),
      }));
    const { page, ...rest } = paginate(items, args, fake.maxPageSize);
    return { messages: page, ...rest };
  });

  define('conversations.replies', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    const ts = required(args, 'ts');
    const oldest = text(args.oldest);
    const thread = state.thread(channel.id, ts).filter(visible);
    if (thread.length === 0) throw new FakeSlackError('thread_not_found');
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const items = thread
      .filter((message) => !oldest || later(message.ts, oldest))
      .map((message) => wire(fake, message, withMetadata));
    const { page, ...rest } = paginate(items, args, fake.maxPageSize);
    return { messages: page, ...rest };
  });

  define('conversations.members', (args) => {
    const channel = memberChannel(required(args, 'channel'));
    const { page, response_metadata } = paginate(channel.members, args, fake.maxPageSize);
    return { members: page, response_metadata };
  });

  define('conversations.info', (args) => {
    const channel = state.requireChannel(required(args, 'channel'));
    return {
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: !channel.isIm && !channel.isPrivate,
        is_group: Boolean(channel.isPrivate),
        is_im: channel.isIm,
        is_mpim: false,
        is_private: Boolean(channel.isPrivate || channel.isIm),
        // `is_shared` is set for any sharing, within a Grid organization (`is_org_shared`) or with another
        // one (`is_ext_shared`): https://docs.slack.dev/reference/objects/conversation-object
        is_shared: Boolean(channel.isExternal || channel.isOrgShared || channel.isPendingExternal),
        is_org_shared: Boolean(channel.isOrgShared),
        is_ext_shared: Boolean(channel.isExternal),
        is_pending_ext_shared: Boolean(channel.isPendingExternal),
        ...(channel.isIm ? { user: channel.members.find((member) => member !== state.botUserId) } : {}),
      },
    };
  });

  define('conversations.open', (args) => {
    const users = required(args, 'users').split(',');
    if (users.length !== 1 || !state.users.has(users[0])) throw new FakeSlackError('user_not_found');
    return { channel: { id: state.directChannel(users[0]).id } };
  });

  define('users.info', (args) => {
    const user = state.users.get(required(args, 'user'));
    if (!user) throw new FakeSlackError('user_not_found');
    return {
      user: {
        id: user.id,
        team_id: state.teamId,
        name: user.name,
        real_name: user.realName ?? user.name,
        tz: user.timezone,
        is_bot: user.isBot === true,
        ...(args.include_locale === 'true' || args.include_locale === true
          ? { locale: user.locale ?? 'en-US' }
          : {}),
        profile: { display_name: user.displayName ?? '', real_name: user.realName ?? user.name },
      },
    };
  });

  for (const name of ['setStatus', 'setSuggestedPrompts', 'setTitle']) {
    define(`assistant.threads.${name}`, (args) => {
      required(args, 'channel_id');
      required(args, 'thread_ts');
      state.assistantCalls.push({ method: `assistant.threads.${name}`, args });
      return {};
    });
  }

  define('files.info', (args) => {
    const file = state.sharedFiles.get(required(args, 'file'));
    // The bot sees a file only where it was shared in a conversation the bot is in.
    const visible = file?.channels.some((id) => state.channels.get(id)?.members.includes(state.botUserId));
    if (!file || !visible) throw new FakeSlackError('file_not_found');
    const shares: { public: Record<string, unknown>; private: Record<string, unknown> } = {
      public: {},
      private: {},
    };
    const lists = { channels: [] as string[], groups: [] as string[], ims: [] as string[] };
    for (const id of file.channels) {
      const channel = state.requireChannel(id);
      const message = channel.messages.find((each) => each.files?.includes(file.id));
      const share = [
        {
          reply_users: [],
          reply_users_count: 0,
          reply_count: 0,
          ts: message?.ts ?? state.nextTs(),
          channel_name: channel.name,
          team_id: state.teamId,
          share_user_id: file.user,
        },
      ];
      if (channel.isPrivate || channel.isIm) {
        shares.private[id] = share;
        (channel.isIm ? lists.ims : lists.groups).push(id);
      } else {
        shares.public[id] = share;
        lists.channels.push(id);
      }
    }
    return {
      file: { ...fake.fileObject(file), ...lists, shares, comments_count: 0 },
      comments: [],
      response_metadata: { next_cursor: '' },
    };
  });

  define('files.getUploadURLExternal', (args) => {
    const { fileId, uploadUrl } = fake.newUpload(required(args, 'filename'));
    return { upload_url: uploadUrl, file_id: fileId };
  });

  define('files.completeUploadExternal', (args) => {
    const files = (args.files as Array<{ id: string; title?: string }>) ?? [];
    const channel = text(args.channel_id);
    if (channel) memberChannel(channel);
    return {
      files: files.map((file) => {
        const upload = fake.uploadedContent(file.id);
        if (!upload?.content) throw new FakeSlackError('file_not_found');
        state.files.push({
          id: file.id,
          filename: upload.filename,
          content: upload.content,
          channel,
          threadTs: text(args.thread_ts),
        });
        return { id: file.id, title: file.title ?? upload.filename, name: upload.filename };
      }),
    };
  });
}
