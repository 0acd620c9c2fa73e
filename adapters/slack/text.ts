import type { Author } from '../../src/core/inbound-message';
import type { SlackUserProfile } from './directory';

/** Slack's escaped characters, decoded (`&amp;` last, so `&amp;lt;` stays `&lt;`). */
function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const tokenPattern = /<([^<>\n]+)>/g;
const userTokenPattern = /^@([UW][A-Z0-9]+)(?:\|([^>]*))?$/;
const channelTokenPattern = /^#([CGD][A-Z0-9]+)(?:\|([^>]*))?$/;

/** The user ids mentioned and the channel ids referenced without a name, in a message's raw text. */
export function referencedIds(raw: string): { users: string[]; channels: string[] } {
  const users: string[] = [];
  const channels: string[] = [];
  for (const match of raw.matchAll(tokenPattern)) {
    const user = userTokenPattern.exec(match[1]);
    if (user) users.push(user[1]);
    const channel = channelTokenPattern.exec(match[1]);
    if (channel && !channel[2]) channels.push(channel[1]);
  }
  return { users, channels };
}

/** Names to put in place of ids. */
export interface NameLookup {
  /** Profiles by user id. */
  users: ReadonlyMap<string, SlackUserProfile>;
  /** Channel names by id. */
  channels: ReadonlyMap<string, string>;
}

/** A message's text as people read it, and who it mentions. */
interface ReadableText {
  /** The text with mentions as `@Name`, channels as `#name`, links as their labels, entities decoded. */
  text: string;
  /** Users mentioned, in order, without repeats (the bot left out). */
  mentions: Author[];
}

function linkText(target: string, label: string | undefined): string {
  const url = decodeEntities(target);
  if (url.startsWith('mailto:')) return decodeEntities(label ?? url.slice('mailto:'.length));
  if (!label) return url;
  const shown = decodeEntities(label);
  return shown === url || url.endsWith(shown) ? url : `${shown} (${url})`;
}

/**
 * Slack's markup as plain text: the bot's own mention removed; `<@U…>` as `@Display Name`; `<#C…|name>`
 * as `#name`; `<!here>` as `@here`; user groups by handle; dates by their fallback; links as `label (url)`;
 * `&amp; &lt; &gt;` decoded.
 */
export function toReadableText(raw: string, lookup: NameLookup, botUserId?: string): ReadableText {
  const mentions: Author[] = [];
  const seen = new Set<string>();
  let removedBot = false;
  const replace = (inner: string): string => {
    const user = userTokenPattern.exec(inner);
    if (user) {
      const id = user[1];
      if (id === botUserId) {
        removedBot = true;
        return '';
      }
      const name = lookup.users.get(id)?.name ?? (user[2] ? decodeEntities(user[2]) : undefined);
      if (!seen.has(id)) {
        seen.add(id);
        mentions.push(name ? { id, name } : { id });
      }
      return `@${name ?? id}`;
    }
    const channel = channelTokenPattern.exec(inner);
    if (channel) {
      const name = channel[2] ? decodeEntities(channel[2]) : lookup.channels.get(channel[1]);
      return `#${name ?? channel[1]}`;
    }
    if (inner.startsWith('!')) {
      const [command, label] = inner.slice(1).split('|', 2);
      if (/^(here|channel|everyone)$/.test(command)) return `@${command}`;
      if (command.startsWith('subteam^')) return label ? decodeEntities(label) : '@group';
      if (command.startsWith('date^')) return label ? decodeEntities(label) : '';
      return label ? decodeEntities(label) : '';
    }
    const bar = inner.indexOf('|');
    return bar >= 0 ? linkText(inner.slice(0, bar), inner.slice(bar + 1)) : linkText(inner, undefined);
  };
  // Only the literal parts are decoded: names and labels were decoded once already.
  let text = '';
  let last = 0;
  for (const match of raw.matchAll(tokenPattern)) {
    text += decodeEntities(raw.slice(last, match.index)) + replace(match[1]);
    last = match.index + match[0].length;
  }
  text += decodeEntities(raw.slice(last));
  if (removedBot) text = text.replace(/[ \t]{2,}/g, ' ');
  return { text: text.trim(), mentions };
}
