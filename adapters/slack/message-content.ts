/**
 * What a Slack message holds besides its `text`: legacy attachments (integration posts from Jira, GitHub,
 * PagerDuty put their content there) and shared or forwarded messages (`attachments[{is_share:true}]`, often
 * with an empty top-level `text`), and Block Kit blocks when `text` is empty. Everything comes out as Slack
 * markup (mrkdwn with `<@U…>` tokens), so the caller turns it into readable text the usual way.
 * Shapes: https://docs.slack.dev/messaging/formatting-message-text#attachments (legacy fields),
 * https://docs.slack.dev/reference/block-kit/blocks/rich-text-block, and the `is_share` attachment of a
 * shared message (author_name, channel_id, ts, text, from_url, message_blocks).
 */

/** A Block Kit block, the parts Deskmate reads. */
export interface SlackBlock {
  type?: string;
  text?: { type?: string; text?: string };
  fields?: Array<{ type?: string; text?: string }>;
  elements?: unknown[];
}

/** A legacy attachment (or a shared message), the fields Deskmate reads. */
export interface SlackAttachment {
  is_share?: boolean;
  is_msg_unfurl?: boolean;
  original_url?: string;
  author_name?: string;
  author_subname?: string;
  pretext?: string;
  title?: string;
  title_link?: string;
  text?: string;
  fields?: Array<{ title?: string; value?: string }>;
  fallback?: string;
  footer?: string;
  blocks?: SlackBlock[];
  message_blocks?: Array<{ message?: { blocks?: SlackBlock[] } }>;
}

/** The parts of a message its content comes from. */
export interface SlackMessageParts {
  text?: string;
  blocks?: SlackBlock[];
  attachments?: SlackAttachment[];
}

/** Most characters taken from one message's attachments and blocks (the message's own `text` is not cut). */
export const maxExtraCharacters = 4000;
/** Most attachments read from one message. */
const maxAttachments = 10;

const escapeMarkup = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const string = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One rich-text element (text, link, mention, emoji…) as Slack markup. */
function richElementText(value: unknown): string {
  const element = record(value);
  switch (element.type) {
    case 'text':
      return escapeMarkup(string(element.text));
    case 'link': {
      const url = string(element.url);
      const label = string(element.text);
      return label ? `<${url}|${escapeMarkup(label)}>` : `<${url}>`;
    }
    case 'user':
      return `<@${string(element.user_id)}>`;
    case 'channel':
      return `<#${string(element.channel_id)}>`;
    case 'usergroup':
      return `<!subteam^${string(element.usergroup_id)}>`;
    case 'broadcast':
      return `<!${string(element.range)}>`;
    case 'emoji':
      return element.unicode ? '' : `:${string(element.name)}:`;
    case 'date':
      return escapeMarkup(string(element.fallback));
    default:
      return Array.isArray(element.elements) ? richText(element.elements) : '';
  }
}

/** The sections, lists, quotes and code of a rich-text block as lines. */
function richText(elements: unknown[]): string {
  return elements
    .map((value) => {
      const element = record(value);
      const inner = Array.isArray(element.elements) ? element.elements : [];
      if (element.type === 'rich_text_list') {
        return inner.map((item) => `- ${richText((record(item).elements as unknown[]) ?? [])}`).join('\n');
      }
      if (
        element.type === 'rich_text_section' ||
        element.type === 'rich_text_quote' ||
        element.type === 'rich_text_preformatted'
      ) {
        const text = inner.map(richElementText).join('');
        return element.type === 'rich_text_quote' ? `> ${text}` : text;
      }
      return richElementText(element);
    })
    .filter(Boolean)
    .join('\n');
}

/** The text of Block Kit blocks as Slack markup: rich text, sections (text and fields), headers, context. */
export function blocksText(blocks: readonly SlackBlock[] | undefined): string {
  return (blocks ?? [])
    .map((block) => {
      if (block.type === 'rich_text') return richText(block.elements ?? []);
      if (block.type === 'header') return escapeMarkup(block.text?.text ?? '');
      if (block.type === 'section') {
        const text =
          block.text?.type === 'plain_text' ? escapeMarkup(block.text.text ?? '') : (block.text?.text ?? '');
        const fields = (block.fields ?? []).map((field) =>
          field.type === 'plain_text' ? escapeMarkup(field.text ?? '') : (field.text ?? ''),
        );
        return [text, ...fields].filter(Boolean).join('\n');
      }
      if (block.type === 'context') {
        return (block.elements ?? [])
          .map((element) => {
            const part = record(element);
            return part.type === 'plain_text' ? escapeMarkup(string(part.text)) : string(part.text);
          })
          .filter(Boolean)
          .join(' ');
      }
      return '';
    })
    .filter(Boolean)
    .join('\n');
}

/** One attachment as Slack markup: a shared message as "(shared message from Name) its text", else its fields. */
function attachmentText(attachment: SlackAttachment): string {
  if (attachment.is_share || attachment.is_msg_unfurl) {
    const shared = attachment.message_blocks?.flatMap((entry) => entry.message?.blocks ?? []);
    const body =
      attachment.text || blocksText(shared) || blocksText(attachment.blocks) || attachment.fallback || '';
    const from = attachment.author_name ?? attachment.author_subname;
    return body ? `(shared message${from ? ` from ${escapeMarkup(from)}` : ''}) ${body}` : '';
  }
  // A link preview repeats a page the message links to: the link is in the text already.
  if (attachment.original_url) return '';
  const fields = (attachment.fields ?? [])
    .map((field) =>
      [field.title ? escapeMarkup(field.title) : '', field.value ?? ''].filter(Boolean).join(': '),
    )
    .filter(Boolean);
  const title = attachment.title
    ? attachment.title_link
      ? `<${attachment.title_link}|${escapeMarkup(attachment.title)}>`
      : escapeMarkup(attachment.title)
    : '';
  const parts = [
    attachment.pretext ?? '',
    title,
    attachment.text ?? '',
    ...fields,
    blocksText(attachment.blocks),
  ];
  const content = parts.filter(Boolean);
  // The fallback is the attachment's plain summary: used only when nothing else is there.
  return content.length > 0 ? content.join('\n') : escapeMarkup(attachment.fallback ?? '');
}

function bounded(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 1))}…`;
}

/** The attachments of a message as Slack markup, at most `maxExtraCharacters`. */
export function attachmentsText(attachments: readonly SlackAttachment[] | undefined): string {
  const parts = (attachments ?? []).slice(0, maxAttachments).map(attachmentText).filter(Boolean);
  return bounded(parts.join('\n'), maxExtraCharacters);
}

/**
 * All a message says, as Slack markup: its `text` (else its blocks' text, when `text` is empty), then its
 * attachments. What is added to `text` is at most `maxExtraCharacters`.
 */
export function messageContent(message: SlackMessageParts): string {
  const text = message.text ?? '';
  const own = text.trim() ? text : bounded(blocksText(message.blocks), maxExtraCharacters);
  const attached = attachmentsText(message.attachments);
  return [own, attached].filter((part) => part.trim()).join('\n');
}
