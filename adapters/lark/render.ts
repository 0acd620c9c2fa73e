import type { ConversationRef } from '../../src/core/conversation';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { detectLanguage, type Language } from '../../src/text/language';
import { cutShortNote } from '../../src/text/messages';

/** The id of the card element that holds the answer text (streamed into by CardKit). */
export const answerElementId = 'deskmate_answer';

/** A Lark card, JSON 2.0. */
export interface LarkCard {
  schema: '2.0';
  config: Record<string, unknown>;
  body: { elements: Array<Record<string, unknown>> };
}

/** The card's own labels, in the language of the answer they sit under. */
const labels = {
  en: {
    sources: 'Sources:',
    tooLarge: (bytes: number) => ` (${bytes} bytes, too large to show here)`,
  },
  zh: {
    sources: '来源：',
    tooLarge: (bytes: number) => `（${bytes} 字节，内容过大，此处不显示）`,
  },
};

/** Where a card is posted: its buttons carry it back, since a click says only which chat it came from. */
interface CardPlace {
  /** Direct or group conversation. */
  kind: ConversationRef['kind'];
  /** The thread the card is in. */
  thread?: string;
}

/** What a Deskmate button carries in its Lark callback value. */
interface DecodedButton {
  skill: string;
  action: string;
  value: string;
  kind: ConversationRef['kind'];
  thread?: string;
}

const maxMarkdownCharacters = 20_000;
const maxSectionCharacters = 8000;
const maxFilePreviewCharacters = 3000;
/**
 * Lark refuses a card whose request body is over 30 KB: code 230025, "卡片及富文本消息请求体最大不能超过30KB"
 * (error tables of https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create and
 * …/message/patch). A card's JSON travels escaped inside that body, counted in UTF-8 bytes (a Chinese
 * character is 3): it is kept under 27 KB, leaving room for the rest of the request.
 */
export const maxCardBytes = 27 * 1024;
const userIdPattern = /^ou_[A-Za-z0-9_-]+$/;

/**
 * The value a button sends back when clicked: `{deskmate: 1, skill, action, value, kind, thread}`.
 * Lark returns the object as is in `card.action.trigger` (`action.value`).
 */
export function encodeButtonValue(button: ReplyButton, place: CardPlace): Record<string, unknown> {
  return {
    deskmate: 1,
    skill: button.skill,
    action: button.action,
    value: button.value.slice(0, 2000),
    kind: place.kind,
    ...(place.thread ? { thread: place.thread } : {}),
  };
}

/** The Deskmate button a callback value came from, or `undefined` when it is not one of ours. */
export function decodeButtonValue(value: unknown): DecodedButton | undefined {
  let record: unknown = value;
  if (typeof value === 'string') {
    try {
      record = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  if (fields.deskmate !== 1 || typeof fields.skill !== 'string' || typeof fields.action !== 'string')
    return undefined;
  return {
    skill: fields.skill,
    action: fields.action,
    value: typeof fields.value === 'string' ? fields.value : '',
    kind: fields.kind === 'dm' ? 'dm' : 'group',
    ...(typeof fields.thread === 'string' ? { thread: fields.thread } : {}),
  };
}

/**
 * Make mentions in skill text notify nobody: `<at …>` tags (including `<at id=all>`) become plain `@name`
 * text, and `@all`/`@所有人` get a zero-width space. Only `Reply.notify` produces real mentions.
 */
export function neutralizeMentions(markdown: string): string {
  return markdown
    .replace(/<at\b([^>]*)>([^<]*)<\/at>/gi, (_match, attributes: string, inner: string) => {
      if (/\b(?:id|user_id|open_id)\s*=\s*["']?all\b/i.test(attributes)) return '@\u200ball';
      return inner.trim() ? `@\u200b${inner.trim()}` : '@\u200bsomeone';
    })
    .replace(/<at\b[^>]*\/?>/gi, '@\u200b')
    .replace(/(^|[^\w\u200b])@(all|everyone|here|channel|所有人|全体成员)(?![\w])/giu, '$1@\u200b$2');
}

/** The bytes a card (or a text) takes in a request body: its JSON escaped as a JSON string, in UTF-8. */
export function requestBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)));
}

/** Text cut to `limit` characters (never inside a surrogate pair), with the cut-short note in its language. */
function truncate(text: string, limit: number, language: Language): string {
  if (text.length <= limit) return text;
  const end = limit > 0 && /[\uD800-\uDBFF]/.test(text[limit - 1]) ? limit - 1 : limit;
  return `${text.slice(0, end)}\n\n${cutShortNote[language]}`;
}

/** The longest cut of `text` (in characters, at most `limit`) whose `fits` holds, by bisection. */
function longestFitting(limit: number, fits: (characters: number) => boolean): number {
  if (fits(limit)) return limit;
  let low = 0;
  let high = limit - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

function answerText(reply: Pick<Reply, 'markdown' | 'notify'>, limit: number, language: Language): string {
  const mentions = (reply.notify ?? [])
    .filter((id) => userIdPattern.test(id))
    .map((id) => `<at id=${id}></at>`)
    .join(' ');
  const text = truncate(neutralizeMentions(reply.markdown), limit, language);
  return mentions ? `${mentions} ${text}` : text;
}

/**
 * The answer text as shown: real mentions of `notify` first, then the neutralized Markdown, cut (with the
 * cut-short note in the answer's language) to 20,000 characters and to what fits in a card's bytes.
 */
export function answerMarkdown(reply: Pick<Reply, 'markdown' | 'notify'>): string {
  const language = detectLanguage(reply.markdown);
  const budget = maxCardBytes - 1024;
  const limit = longestFitting(
    Math.min(reply.markdown.length, maxMarkdownCharacters),
    (characters) => requestBytes(answerText(reply, characters, language)) <= budget,
  );
  return answerText(reply, limit, language);
}

/** A reply's chat-list preview (`config.summary`): its plain text, at most 60 characters. */
export function preview(markdown: string): string {
  const plain = markdown
    .replace(/<at\b[^>]*>[^<]*<\/at>/gi, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>~[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 60 ? `${plain.slice(0, 59)}…` : plain;
}

function buttonElement(button: ReplyButton, place: CardPlace): Record<string, unknown> {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: button.label },
    type: button.style ?? 'default',
    behaviors: [{ type: 'callback', value: encodeButtonValue(button, place) }],
  };
}

/**
 * Render a reply as an interactive card (JSON 2.0): Markdown answer, sections, sources, buttons, footnote.
 * A card over `maxCardBytes` has its answer, sections and file preview cut, each to the longest length that
 * fits, with the cut-short note in the answer's language.
 */
export function renderCard(reply: Reply, place: CardPlace, options: { streaming?: boolean } = {}): LarkCard {
  const language = detectLanguage(reply.markdown);
  const longest = Math.max(
    reply.markdown.length,
    ...(reply.sections ?? []).map((section) => section.markdown.length),
    reply.file?.content.length ?? 0,
  );
  const limit = longestFitting(
    longest,
    (characters) => requestBytes(buildCard(reply, place, options, language, characters)) <= maxCardBytes,
  );
  return buildCard(reply, place, options, language, limit);
}

/** A reply's card with each text cut to at most `limit` characters (and to its own cap). */
function buildCard(
  reply: Reply,
  place: CardPlace,
  options: { streaming?: boolean },
  language: Language,
  limit: number,
): LarkCard {
  const elements: Array<Record<string, unknown>> = [
    {
      tag: 'markdown',
      element_id: answerElementId,
      content: answerText(reply, Math.min(limit, maxMarkdownCharacters), language),
    },
  ];
  for (const section of reply.sections ?? []) {
    const text = truncate(
      neutralizeMentions(section.markdown),
      Math.min(limit, maxSectionCharacters),
      language,
    );
    elements.push({ tag: 'hr' });
    elements.push({ tag: 'markdown', content: `**${neutralizeMentions(section.title)}**\n${text}` });
  }
  const words = labels[language];
  const citations = (reply.citations ?? []).filter((citation) => /^https?:\/\//.test(citation.url));
  if (citations.length > 0) {
    const links = citations.map((citation) => `[${citation.label}](${citation.url})`).join(' · ');
    elements.push({ tag: 'markdown', content: `${words.sources} ${links}`, text_size: 'notation' });
  }
  if (reply.file) {
    const body =
      reply.file.content.length <= Math.min(limit, maxFilePreviewCharacters)
        ? `\n\`\`\`\n${reply.file.content}\n\`\`\``
        : words.tooLarge(Buffer.byteLength(reply.file.content));
    elements.push({ tag: 'markdown', content: `📎 ${reply.file.filename}${body}` });
  }
  if (reply.buttons?.length) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: reply.buttons.map((button) => ({
        tag: 'column',
        width: 'auto',
        elements: [buttonElement(button, place)],
      })),
    });
  }
  if (reply.footnote) {
    elements.push({ tag: 'markdown', content: neutralizeMentions(reply.footnote), text_size: 'notation' });
  }
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      streaming_mode: options.streaming === true,
      summary: { content: preview(reply.markdown) || '…' },
    },
    body: { elements },
  };
}

/** The card a streamed answer starts as: streaming mode, one empty answer element. */
export function streamingCard(): LarkCard {
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      streaming_mode: true,
      summary: { content: '…' },
      streaming_config: {
        print_frequency_ms: { default: 50 },
        print_step: { default: 2 },
        print_strategy: 'fast',
      },
    },
    body: { elements: [{ tag: 'markdown', element_id: answerElementId, content: '' }] },
  };
}

/** Whether a final reply needs more than the streamed answer element (sections, buttons, …). */
export function hasExtras(reply: Reply): boolean {
  return Boolean(
    reply.sections?.length ||
      reply.citations?.length ||
      reply.buttons?.length ||
      reply.file ||
      reply.footnote,
  );
}
