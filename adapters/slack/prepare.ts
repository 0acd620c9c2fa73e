import type { InboundMessage } from '../../src/core/inbound-message';
import { escapeRegExp } from '../../src/text/regexp';
import { type SlackContext, slackPlatformData } from './context';
import { type ResponseUrlRecord, responseUrlKey, responseUrlPrefix, responseUrlTtlSeconds } from './messages';
import { workingStatus } from './wording';

const titleTtlSeconds = 30 * 24 * 60 * 60;
const channelReference = /#([CGD][A-Z0-9]{2,})(?![A-Z0-9])/g;

/** Put names in place of the ids the acknowledgement path left (`@U0ALICE01`, `#C0GENERAL`). */
function named(
  text: string,
  users: ReadonlyMap<string, string>,
  channels: ReadonlyMap<string, string>,
): string {
  let result = text;
  for (const [id, name] of users) {
    result = result.replace(new RegExp(`@${escapeRegExp(id)}(?![A-Z0-9])`, 'g'), `@${name}`);
  }
  return result.replace(channelReference, (whole, id: string) =>
    channels.has(id) ? `#${channels.get(id)}` : whole,
  );
}

/**
 * The job side of a Slack message: names of the author, the people mentioned and the channels referenced
 * (`users.info`, `conversations.info`, cached a day), the author's timezone and locale; in an assistant
 * thread, the "is thinking…" status and, once per thread, its title.
 */
export async function prepareSlackMessage(
  context: SlackContext,
  message: InboundMessage,
): Promise<InboundMessage> {
  await rememberPrivateCard(context, message);
  const mentioned = (message.mentions ?? []).map((mention) => mention.id);
  const channelIds = [...message.text.matchAll(channelReference)].map((match) => match[1]);
  const [profiles, channels] = await Promise.all([
    context.directory.users([message.author.id, ...mentioned]),
    context.directory.channelNames(channelIds),
  ]);
  const names = new Map<string, string>();
  for (const [id, profile] of profiles) if (profile.name) names.set(id, profile.name);
  const author = profiles.get(message.author.id);
  const prepared: InboundMessage = {
    ...message,
    author: {
      ...message.author,
      ...(author?.name ? { name: author.name } : {}),
      ...(author?.timezone ? { timezone: author.timezone } : {}),
    },
    text: named(message.text, names, channels),
    ...(message.mentions
      ? {
          mentions: message.mentions.map((mention) => ({
            ...mention,
            name: names.get(mention.id) ?? mention.name,
          })),
        }
      : {}),
    ...(message.command
      ? { command: { ...message.command, args: named(message.command.args, names, channels) } }
      : {}),
    ...(author?.locale && !message.locale ? { locale: author.locale } : {}),
  };
  const thread = slackPlatformData(message.platformData).assistantThread;
  if (thread && message.via === 'assistant') await markAssistantThread(context, thread, prepared.text);
  return prepared;
}

/**
 * A click on a private card: record the click's response_url under the card's id, so replacing the card
 * (`update`) goes through it with `replace_original`, the only way Slack lets an ephemeral message change.
 */
async function rememberPrivateCard(context: SlackContext, message: InboundMessage): Promise<void> {
  const card = message.action?.sourceMessageId;
  const url = slackPlatformData(message.platformData).responseUrl;
  if (!card?.startsWith(responseUrlPrefix) || !url) return;
  const record: ResponseUrlRecord = { url, replaces: true };
  await context.store.setJson(responseUrlKey(card), record, responseUrlTtlSeconds);
}

/** Show that Deskmate is working in an assistant thread, and title the thread after its first message. */
async function markAssistantThread(
  context: SlackContext,
  thread: { channelId: string; threadTs: string },
  text: string,
): Promise<void> {
  const place = { channel_id: thread.channelId, thread_ts: thread.threadTs };
  const cosmetic = (work: Promise<unknown>, what: string) =>
    work.catch((error: unknown) => context.logger.warn({ err: error, what }, 'assistant thread not updated'));
  await cosmetic(
    context.api.call(
      'assistant.threads.setStatus',
      { ...place, status: workingStatus },
      { idempotent: true },
    ),
    'status',
  );
  const title = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  if (
    title &&
    (await context.store.markSeen(
      `slack:assistant-title:${thread.channelId}:${thread.threadTs}`,
      titleTtlSeconds,
    ))
  ) {
    await cosmetic(
      context.api.call('assistant.threads.setTitle', { ...place, title }, { idempotent: true }),
      'title',
    );
  }
}
