import type { types } from '@slack/bolt';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './mrkdwn';

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
const sectionLimit = 3000;
const contextLimit = 2000;
const buttonsPerBlock = 5;
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

function buttonElement(button: ReplyButton, index: number): types.Button {
  const label = button.label.length > 75 ? `${button.label.slice(0, 74)}…` : button.label;
  return {
    type: 'button',
    text: { type: 'plain_text', text: label || '…', emoji: true },
    action_id: encodeActionId(button, index),
    value: button.value.slice(0, 2000),
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

/** The blocks after the answer text: sources, attachment note, buttons, footnote. */
function trailingBlocks(reply: Reply, options: { fileNote: boolean }): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const citations = (reply.citations ?? []).filter((citation) => /^https?:\/\/[^\s|<>]+$/.test(citation.url));
  if (citations.length > 0) {
    const links = citations.map(
      (citation) => `<${citation.url}|${escapeMrkdwn(citation.label).replace(/\|/g, '')}>`,
    );
    let line = 'Sources:';
    for (const link of links) {
      if (line.length + link.length + 3 > contextLimit) {
        blocks.push(context(line));
        line = '…';
      }
      line += line.endsWith(':') || line === '…' ? ` ${link}` : ` · ${link}`;
    }
    blocks.push(context(line));
  }
  if (reply.file && options.fileNote) blocks.push(context(`📎 ${escapeMrkdwn(reply.file.filename)}`));
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

/** Options for rendering. */
interface RenderOptions {
  /** Leave the main text out (it was streamed already): only sections and the trailing blocks. */
  withoutMain?: boolean;
  /** Note the attachment in the message (when it cannot be uploaded, e.g. an ephemeral reply). */
  fileNote?: boolean;
}

/**
 * Render a reply as Block Kit: the answer as mrkdwn sections (split at 3,000 characters), titled sections,
 * sources as links, buttons in actions blocks, the footnote as context; never more than 50 blocks (a longer
 * answer is cut with a note). Mass mentions in any text are inert; only `notify` mentions anyone.
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
  const trailing = trailingBlocks(reply, { fileNote: options.fileNote === true });
  const room = maxBlocks - trailing.length;
  let blocks = [...body, ...trailing];
  if (body.length > room) {
    blocks = [
      ...body.slice(0, Math.max(room - 1, 0)),
      context('_…the answer was cut here: it is longer than one Slack message can hold._'),
      ...trailing,
    ].slice(0, maxBlocks);
  }
  const fallbackSource = main || (reply.sections?.[0]?.title ?? '');
  const fallback = mentions ? `${mentions} ${fallbackSource}` : fallbackSource;
  return {
    text: fallback.length > sectionLimit ? `${fallback.slice(0, sectionLimit - 1)}…` : fallback,
    blocks,
  };
}
