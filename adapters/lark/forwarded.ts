import type { ConversationRef } from '../../src/core/conversation';
import { DeskmateError } from '../../src/core/errors';
import type { DownloadLimits, FileContent, SharedFile } from '../../src/core/shared-file';
import { unwrap } from './api';
import { contentToText, resolveMentions } from './content';
import type { LarkContext, LarkMessageItem } from './context';
import { peopleNames, userProfile } from './people';

/** The id a forwarded chat record is shared under: its message id, marked so it is never taken for a file key. */
const recordPrefix = 'merge_forward:';
/** Most forwarded messages put in a transcript; the rest are said to be left out. */
export const maxForwardedMessages = 200;
/** Deepest forwarded record inside a forwarded record that is opened. */
const maxNesting = 3;

/** What a forwarded chat record is called, in the person's language (the answer names it so). */
const recordName = { en: 'Forwarded chat record', zh: '聊天记录' };

/** A forwarded message as `im.v1.message.get` returns it under its record (`upper_message_id`, in the SDK typings). */
type ForwardedItem = LarkMessageItem & { upper_message_id?: string };

/**
 * A forwarded chat record (合并转发, `merge_forward`) as a shared file of its chat, read on the job side like a
 * file: so `summarize` and `ask` work on it, for members of the chat it was shared in. Undefined for anything else.
 */
export function forwardedRecordOf(
  messageType: string | undefined,
  messageId: string,
  conversation: ConversationRef,
  language: 'en' | 'zh',
): SharedFile | undefined {
  if (messageType !== 'merge_forward' || !messageId) return undefined;
  return {
    id: `${recordPrefix}${messageId}`,
    name: recordName[language],
    messageId,
    conversation: { ...conversation, thread: undefined },
  };
}

/** Whether a shared file is a forwarded chat record. */
export function isForwardedRecord(file: SharedFile): boolean {
  return file.id.startsWith(recordPrefix);
}

/** `2026-11-27 09:30` in a timezone, and the zone's offset (`GMT+8`). */
function formatTime(milliseconds: number, zone: string): { time: string; offset: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(new Date(milliseconds))
      .map((part) => [part.type, part.value]),
  );
  return {
    time: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`,
    offset: String(parts.timeZoneName ?? 'GMT'),
  };
}

/**
 * A forwarded chat record as a text transcript: `im.v1.message.get` on the record's message id returns the
 * record first, then every forwarded message with `upper_message_id` naming the record (or the nested record)
 * it is in. One line head per message (time, sender's name), its text indented under it; nested records
 * inside; at most 200 messages and the byte limit, the rest said to be left out.
 */
export async function readForwardedRecord(
  context: LarkContext,
  file: SharedFile,
  limits: DownloadLimits,
): Promise<FileContent> {
  const recordId = file.id.slice(recordPrefix.length);
  const started = Date.now();
  const data = await unwrap<{ items?: ForwardedItem[] }>(
    'im.v1.message.get',
    context.client.im.v1.message.get({ path: { message_id: recordId } }),
  );
  const items = (data.items ?? []).filter((item) => item.message_id && item.message_id !== recordId);
  const children = new Map<string, ForwardedItem[]>();
  for (const item of items) {
    const parent = item.upper_message_id || recordId;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  for (const list of children.values()) {
    list.sort((left, right) => Number(left.create_time ?? 0) - Number(right.create_time ?? 0));
  }
  if (!children.get(recordId)?.length) {
    throw new DeskmateError('not_found', 'the forwarded chat record has no messages Deskmate can read');
  }
  const people = items
    .filter((item) => item.sender?.sender_type !== 'app' && item.sender?.id)
    .map((item) => item.sender?.id as string);
  // Names from the directory, else the member lists of the chat it was shared in and the chats it came from.
  const names = await peopleNames(context, people, [
    file.conversation.channel,
    ...items.map((item) => item.chat_id),
  ]);
  // Times in the zone of the person who forwarded it, else China time on Feishu, else UTC.
  const forwarder = data.items?.find((item) => item.message_id === recordId)?.sender?.id;
  const zone =
    (forwarder ? (await userProfile(context, forwarder)).timezone : undefined) ??
    (context.domain === 'feishu' ? 'Asia/Shanghai' : 'UTC');
  const chinese = file.name === recordName.zh;
  // People no one could name are told apart by a number, never shown by their id.
  const unnamed = new Map<string, number>();
  const nameOf = (senderId: string): string => {
    const known = names.get(senderId);
    if (known) return known;
    if (!unnamed.has(senderId)) unnamed.set(senderId, unnamed.size + 1);
    return chinese ? `成员 ${unnamed.get(senderId)}` : `Person ${unnamed.get(senderId)}`;
  };
  const lines: string[] = [];
  let offset = '';
  let bytes = 0;
  let written = 0;
  let leftOut = false;
  const write = (parentId: string, depth: number) => {
    for (const item of children.get(parentId) ?? []) {
      if (written >= maxForwardedMessages) {
        leftOut = true;
        return;
      }
      const indent = '    '.repeat(depth);
      const who =
        item.sender?.sender_type === 'app' ? (chinese ? '机器人' : 'Bot') : nameOf(item.sender?.id ?? '');
      const when = item.create_time ? formatTime(Number(item.create_time), zone) : undefined;
      offset ||= when?.offset ?? '';
      const nested = item.msg_type === 'merge_forward';
      const raw = nested ? '' : contentToText(item.msg_type ?? 'text', item.body?.content);
      const text = resolveMentions(
        raw,
        (item.mentions ?? []).map((mention) => ({
          key: mention.key,
          name: mention.name,
          openId: mention.id,
        })),
        undefined,
      ).text;
      const head = `${indent}[${when?.time ?? '?'}] ${who}:`;
      const body = nested
        ? `${indent}    ${chinese ? '（转发的聊天记录）' : '(a forwarded chat record)'}`
        : text
            .split('\n')
            .map((line) => `${indent}    ${line}`)
            .join('\n');
      const entry = `${head}\n${body}\n`;
      const size = Buffer.byteLength(entry);
      if (bytes + size > limits.maxBytes - 200) {
        leftOut = true;
        return;
      }
      lines.push(entry);
      bytes += size;
      written += 1;
      if (nested && item.message_id && depth < maxNesting) write(item.message_id, depth + 1);
    }
  };
  write(recordId, 0);
  const zoneSaid = offset ? (chinese ? `，时间为 ${offset}` : `, times in ${offset}`) : '';
  const title = chinese
    ? `${recordName.zh}（${written} 条消息${zoneSaid}）`
    : `${recordName.en} (${written} messages${zoneSaid})`;
  const footer = leftOut
    ? chinese
      ? '\n（其余消息未包含在内）\n'
      : '\n(the remaining messages are left out)\n'
    : '';
  const transcript = `${title}\n\n${lines.join('\n')}${footer}`;
  context.logger.info(
    {
      messageId: recordId,
      messages: written,
      leftOut,
      bytes: Buffer.byteLength(transcript),
      durationMs: Date.now() - started,
    },
    'lark forwarded chat record read',
  );
  return { bytes: Buffer.from(transcript, 'utf8'), ...(file.name ? { name: file.name } : {}) };
}
