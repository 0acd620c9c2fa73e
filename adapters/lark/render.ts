import type { ConversationRef } from '../../src/core/conversation';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { detectLanguage } from '../../src/text/language';

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

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n\n…`;
}

/** The answer text as shown: real mentions of `notify` first, then the neutralized Markdown. */
export function answerMarkdown(reply: Pick<Reply, 'markdown' | 'notify'>): string {
  const mentions = (reply.notify ?? [])
    .filter((id) => userIdPattern.test(id))
    .map((id) => `<at id=${id}></at>`)
    .join(' ');
  const text = truncate(neutralizeMentions(reply.markdown), maxMarkdownCharacters);
  return mentions ? `${mentions} ${text}` : text;
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

/** Render a reply as an interactive card (JSON 2.0): Markdown answer, sections, sources, buttons, footnote. */
export function renderCard(reply: Reply, place: CardPlace, options: { streaming?: boolean } = {}): LarkCard {
  const elements: Array<Record<string, unknown>> = [
    { tag: 'markdown', element_id: answerElementId, content: answerMarkdown(reply) },
  ];
  for (const section of reply.sections ?? []) {
    elements.push({ tag: 'hr' });
    elements.push({
      tag: 'markdown',
      content: `**${neutralizeMentions(section.title)}**\n${truncate(neutralizeMentions(section.markdown), 8000)}`,
    });
  }
  const words = labels[detectLanguage(reply.markdown)];
  const citations = (reply.citations ?? []).filter((citation) => /^https?:\/\//.test(citation.url));
  if (citations.length > 0) {
    const links = citations.map((citation) => `[${citation.label}](${citation.url})`).join(' · ');
    elements.push({ tag: 'markdown', content: `${words.sources} ${links}`, text_size: 'notation' });
  }
  if (reply.file) {
    const body =
      reply.file.content.length <= 3000
        ? `\n\`\`\`\n${reply.file.content}\n\`\`\``
        : words.tooLarge(reply.file.content.length);
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
