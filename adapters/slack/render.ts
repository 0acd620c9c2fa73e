import type { types } from '@slack/bolt';
import { DeskmateError } from '../../src/core/errors';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { detectLanguage, type Language } from '../../src/text/language';
import { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './mrkdwn';
import { cutNote, fileInDirectMessage, sourcesLabel } from './wording';

/** A Block Kit block. */
type SlackBlock = types.KnownBlock;

/** A reply as Slack message fields: `text` for notifications and `blocks` for the message itself. */
export interface RenderedMessage {
  /** Plain fallback (notifications, screen readers), at most 3,000 characters. */
  text: string;
  /** The blocks, at most 50. */
  blocks: SlackBlock[];
}

/** Slack's limit of blocks per message. */
const maxBlocks = 50;
/**
 * How many characters of text Deskmate puts in one message's blocks. Slack refuses more than about 12,000 with
 * `msg_blocks_too_long` long before 50 blocks; the limit is undocumented: slackapi/bolt-js#2509 hit it at
 * 13,297 characters of markdown blocks and ~13,200 with other blocks, and a Slack maintainer there named
 * "12,000 text characters with a buffer for block containers"; bolt-js#2867 saw 11,341 refused (rich_text).
 * 10,000 leaves room for what Slack counts besides the text.
 */
export const blockTextBudget = 10_000;
const sectionLimit = 3000;
const contextLimit = 2000;
const buttonsPerBlock = 5;
/** Slack's limit on a button's `value` (Block Kit button element). */
export const buttonValueLimit = 2000;
const userIdPattern = /^[UW][A-Z0-9]{2,}$/;

/** The prefix of every Deskmate button's `action_id`: `deskmate:<skill>:<action>:<index>`. */
export const actionIdPrefix = 'deskmate:';

/** The `action_id` of a button: skill and action in the id, the value in the button's `value`. */
export function encodeActionId(button: Pick<ReplyButton, 'skill' | 'action'>, index: number): string {
  const clean = (part: string) => part.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  return `${actionIdPrefix}${clean(button.skill)}:${clean(button.action)}:${index}`;
}

/** The skill and action a Deskmate button's `action_id` names, or `undefined` when it is not one of ours. */
export function decodeActionId(actionId: string): { skill: string; action: string } | undefined {
  const match = /^deskmate:([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)(?::\d+)?$/.exec(actionId);
  return match ? { skill: match[1], action: match[2] } : undefined;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/**
 * A button as Block Kit. A value over Slack's 2,000 characters is refused, never cut: half a JSON value would
 * make the click fail silently. A skill keeps a large payload in the store and puts its id in the value.
 */
function buttonElement(button: ReplyButton, index: number): types.Button {
  if (button.value.length > buttonValueLimit) {
    throw new DeskmateError(
      'internal',
      `Slack button ${button.skill}:${button.action} carries a value of ${button.value.length} characters, ` +
        `over Slack's ${buttonValueLimit}: store the payload and put its id in the button's value`,
    );
  }
  const label = button.label.length > 75 ? `${button.label.slice(0, 74)}…` : button.label;
  return {
    type: 'button',
    text: { type: 'plain_text', text: label || '…', emoji: true },
    action_id: encodeActionId(button, index),
    value: button.value,
    ...(button.style ? { style: button.style } : {}),
  };
}

/** Real mentions of the users a reply notifies (only these ever notify anyone). */
function notifyPrefix(notify: readonly string[] | undefined): string {
  return (notify ?? [])
    .filter((id) => userIdPattern.test(id))
    .map((id) => `<@${id}>`)
    .join(' ');
}

/** The blocks after the answer text: sources, attachment note, buttons, footnote; labels in the answer's language. */
function trailingBlocks(reply: Reply, options: { fileNote?: FileNote }, language: Language): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const citations = (reply.citations ?? []).filter((citation) => /^https?:\/\/[^\s|<>]+$/.test(citation.url));
  if (citations.length > 0) {
    const links = citations.map(
      (citation) => `<${citation.url}|${escapeMrkdwn(citation.label).replace(/\|/g, '')}>`,
    );
    const label = sourcesLabel[language];
    let line = label;
    for (const link of links) {
      if (line.length + link.length + 3 > contextLimit) {
        blocks.push(context(line));
        line = '…';
      }
      line += line === label || line === '…' ? ` ${link}` : ` · ${link}`;
    }
    blocks.push(context(line));
  }
  if (reply.file && options.fileNote) {
    const name = escapeMrkdwn(reply.file.filename);
    blocks.push(
      context(
        options.fileNote === 'direct-message' ? `📎 ${fileInDirectMessage[language](name)}` : `📎 ${name}`,
      ),
    );
  }
  const buttons = reply.buttons ?? [];
  for (let start = 0; start < buttons.length && start < 25; start += buttonsPerBlock) {
    blocks.push({
      type: 'actions',
      elements: buttons
        .slice(start, start + buttonsPerBlock)
        .map((button, offset) => buttonElement(button, start + offset)),
    });
  }
  if (reply.footnote) blocks.push(context(markdownToMrkdwn(reply.footnote).slice(0, contextLimit)));
  return blocks;
}

/** The characters of text in a block (every `text` string in it, as Slack counts toward its limit). */
export function blockTextLength(block: unknown): number {
  if (Array.isArray(block)) return block.reduce((sum: number, item) => sum + blockTextLength(item), 0);
  if (!block || typeof block !== 'object') return 0;
  return Object.entries(block).reduce(
    (sum: number, [key, value]) =>
      sum + (key === 'text' && typeof value === 'string' ? value.length : blockTextLength(value)),
    0,
  );
}

/**
 * The body and the trailing blocks as one message: at most 50 blocks and `blockTextBudget` characters of text.
 * A longer body is cut (at a safe place inside its last section) and ends with a note saying so.
 */
function fitInOneMessage(body: SlackBlock[], trailing: SlackBlock[], language: 'en' | 'zh'): SlackBlock[] {
  const blockRoom = maxBlocks - trailing.length;
  const textRoom = blockTextBudget - blockTextLength(trailing);
  if (body.length <= blockRoom && blockTextLength(body) <= textRoom) return [...body, ...trailing];
  const note = context(`_${cutNote[language]}_`);
  const kept: SlackBlock[] = [];
  let used = blockTextLength(note);
  for (const block of body) {
    if (kept.length + 1 >= blockRoom) break;
    const length = blockTextLength(block);
    if (used + length <= textRoom) {
      kept.push(block);
      used += length;
      continue;
    }
    const left = textRoom - used;
    if (block.type === 'section' && block.text && left >= 200) {
      const piece = splitMrkdwn(block.text.text, left)[0];
      if (piece) kept.push(section(piece));
    }
    break;
  }
  while (kept.at(-1)?.type === 'divider') kept.pop();
  return [...kept, note, ...trailing].slice(0, maxBlocks);
}

/**
 * How a message names a reply's file it cannot carry: by name, or (a private answer, whose file goes to the
 * person's direct message with Deskmate) by name and where it went.
 */
export type FileNote = 'name' | 'direct-message';

/** Options for rendering. */
interface RenderOptions {
  /** Leave the main text out (it was streamed already): only sections and the trailing blocks. */
  withoutMain?: boolean;
  /** Note the attachment in the message (when it cannot be uploaded, e.g. an ephemeral reply). */
  fileNote?: FileNote;
}

/**
 * Render a reply as Block Kit: the answer as mrkdwn sections (split at 3,000 characters), titled sections,
 * sources as links, buttons in actions blocks, the footnote as context; never more than 50 blocks nor
 * `blockTextBudget` characters of text (a longer answer is cut with a note, in its language). Mass mentions in any text are inert; only `notify` mentions anyone.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): RenderedMessage {
  const mentions = notifyPrefix(reply.notify);
  const main = markdownToMrkdwn(reply.markdown);
  const body: SlackBlock[] = [];
  if (!options.withoutMain) {
    const first = mentions ? `${mentions} ${main}` : main;
    for (const piece of splitMrkdwn(first, sectionLimit)) body.push(section(piece));
  }
  for (const part of reply.sections ?? []) {
    const title = `*${escapeMrkdwn(part.title.replace(/[*_~`]/g, ''))}*`;
    const pieces = splitMrkdwn(markdownToMrkdwn(part.markdown), sectionLimit - title.length - 1);
    if (body.length > 0) body.push({ type: 'divider' });
    body.push(section(pieces.length > 0 ? `${title}\n${pieces[0]}` : title));
    for (const piece of pieces.slice(1)) body.push(section(piece));
  }
  const trailing = trailingBlocks(reply, { fileNote: options.fileNote }, detectLanguage(reply.markdown));
  const blocks = fitInOneMessage(
    body,
    trailing,
    /\p{Script=Han}/u.test([reply.markdown, ...(reply.sections ?? []).map((part) => part.markdown)].join(''))
      ? 'zh'
      : 'en',
  );
  const fallbackSource = main || (reply.sections?.[0]?.title ?? '');
  const fallback = mentions ? `${mentions} ${fallbackSource}` : fallbackSource;
  return {
    text: fallback.length > sectionLimit ? `${fallback.slice(0, sectionLimit - 1)}…` : fallback,
    blocks,
  };
}
