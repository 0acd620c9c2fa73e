/** A person or bot mentioned in a Lark message: the `@_user_N` key in the text, and who it is. */
export interface LarkMention {
  /** The placeholder in the text (`@_user_1`). */
  key: string;
  /** Display name. */
  name: string;
  /** The open_id (`ou_…`), when known. */
  openId?: string;
  /** Lark's `mentioned_type` (`user` | `bot`), when sent. */
  mentionedType?: string;
}

type PostElement = Record<string, unknown> & { tag?: string };

const placeholders: Record<string, string> = {
  image: '[image]',
  file: '[file]',
  audio: '[audio]',
  media: '[video]',
  sticker: '[sticker]',
  share_chat: '[shared chat]',
  share_user: '[shared contact]',
  merge_forward: '[forwarded messages]',
  location: '[location]',
  todo: '[task]',
  calendar: '[calendar event]',
  share_calendar_event: '[calendar event]',
  video_chat: '[video meeting]',
};

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return undefined;
  }
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A post's code block as fenced Markdown, with its language (`PYTHON` → python), as typed inside. */
function fencedCode(code: string, language: string): string {
  const body = code.replace(/\n$/, '');
  // A fence longer than any run of backticks in the code, so the code cannot close it.
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `\n${fence}${language.toLowerCase()}\n${body}\n${fence}\n`;
}

function postElementText(element: PostElement): string {
  switch (element.tag) {
    case 'text':
    case 'md':
      return asString(element.text);
    case 'code_block':
      return fencedCode(asString(element.text), asString(element.language));
    case 'a': {
      const text = asString(element.text);
      const href = asString(element.href);
      return text && href && text !== href ? `${text} (${href})` : text || href;
    }
    case 'at': {
      const key = asString(element.user_id);
      // Received posts carry the `@_user_N` key, resolved later like in text messages.
      if (key.startsWith('@_')) return key;
      return `@${asString(element.user_name) || key}`;
    }
    case 'img':
      return '[image]';
    case 'media':
      return '[video]';
    case 'hr':
      return '\n';
    default:
      return asString(element.text);
  }
}

function postToText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  // Sent posts are wrapped in a locale (`zh_cn`, `en_us`); received ones are not.
  const body = Array.isArray(record.content)
    ? record
    : (Object.values(record).find((item) => typeof item === 'object' && item !== null) as Record<
        string,
        unknown
      >);
  if (!body) return '';
  const title = asString(body.title);
  const paragraphs = Array.isArray(body.content) ? body.content : [];
  const lines = paragraphs.map((paragraph) =>
    Array.isArray(paragraph)
      ? paragraph.map((element) => postElementText(element as PostElement)).join('')
      : '',
  );
  return [title, ...lines].filter((line) => line.trim().length > 0).join('\n');
}

/** Text inside a card: markdown and plain_text contents, and the degraded `elements` form history returns. */
function cardToText(value: unknown): string {
  const found: string[] = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const tag = asString(record.tag);
    if (
      (tag === 'markdown' || tag === 'lark_md' || tag === 'plain_text') &&
      typeof record.content === 'string'
    ) {
      found.push(record.content);
    } else if (tag === 'text' && typeof record.text === 'string') {
      found.push(record.text);
    } else if (tag === 'a' && typeof record.text === 'string') {
      found.push(record.text);
    }
    for (const [key, child] of Object.entries(record)) {
      if (key === 'behaviors' || key === 'value') continue;
      if (typeof child === 'object') visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return found.join('\n');
}

/** A message's content as plain text (mention placeholders like `@_user_1` still in place). */
export function contentToText(messageType: string, content: string | undefined): string {
  if (!content) return placeholders[messageType] ?? '';
  const parsed = parseJson(content);
  switch (messageType) {
    case 'text':
      return asString((parsed as { text?: unknown } | undefined)?.text);
    case 'post':
      return postToText(parsed);
    case 'interactive':
      return cardToText(parsed);
    case 'system':
      return '';
    default:
      return placeholders[messageType] ?? '';
  }
}

/**
 * Replace `@_user_N` placeholders with `@Name`, and remove the bot's own mention. When the bot's
 * open_id is unknown, a mention Lark marks as a bot is taken to be ours.
 */
export function resolveMentions(
  text: string,
  mentions: readonly LarkMention[],
  botOpenId: string | undefined,
): { text: string; mentioned: LarkMention[]; botMentioned: boolean } {
  let result = text;
  let botMentioned = false;
  const mentioned: LarkMention[] = [];
  // Longest keys first, so `@_user_1` does not eat the start of `@_user_10`.
  const ordered = [...mentions].sort((left, right) => right.key.length - left.key.length);
  for (const mention of ordered) {
    const isBot = botOpenId ? mention.openId === botOpenId : mention.mentionedType === 'bot';
    if (isBot) botMentioned = true;
    if (!mention.key) continue;
    result = isBot
      ? // The bot's mention and the spaces around it become one gap, tidied below.
        result.replace(new RegExp(`[ \\t]*${escapeRegExp(mention.key)}[ \\t]*`, 'g'), removedMention)
      : result.split(mention.key).join(`@${mention.name}`);
  }
  for (const mention of mentions) {
    const isBot = botOpenId ? mention.openId === botOpenId : mention.mentionedType === 'bot';
    if (!isBot) mentioned.push(mention);
  }
  // Only where the bot's mention was: nothing at a line's start or end, one space between words.
  // Everything else (indentation, code, runs of spaces) stays as typed.
  const cleaned = result
    .replace(new RegExp(`^${removedMention}+|${removedMention}+$`, 'gm'), '')
    .replace(new RegExp(`${removedMention}+`, 'g'), ' ')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
  return { text: cleaned, mentioned, botMentioned };
}

/** Stands where the bot's mention was removed, until the gap is tidied. */
const removedMention = '\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
