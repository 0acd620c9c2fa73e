import { neutralizeMassMentions } from '../../src/text/sanitize';
import { splitTables, tableLines, wideCharacter } from './mrkdwn-table';

/** Escape Slack's three control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const placeholder = (index: number) => `\uE000${index}\uE000`;

// Private-use marks for emphasis while converting (opening, closing): bold, italic, strike.
const bold = ['\uE001', '\uE002'];
const italic = ['\uE003', '\uE004'];
const strike = ['\uE005', '\uE006'];
const wide = wideCharacter.source;

/**
 * Slack applies `*` `_` `~` only with whitespace or punctuation outside them, so emphasis touching CJK text
 * (`这是*重要*的`) shows literal marks. Like seratch/ChatGPT-in-Slack#121 (the fix for #61), put an ASCII
 * space between a mark and a wide character outside it (a zero-width space does not count as a boundary).
 */
function spaceEmphasis(text: string): string {
  return text
    .replace(new RegExp(`(${wide})([${bold[0]}${italic[0]}${strike[0]}])`, 'gu'), '$1 $2')
    .replace(new RegExp(`([${bold[1]}${italic[1]}${strike[1]}])(${wide})`, 'gu'), '$1 $2')
    .replace(/[\uE001\uE002]/g, '*')
    .replace(/[\uE003\uE004]/g, '_')
    .replace(/[\uE005\uE006]/g, '~');
}

function hostOf(url: string): string {
  if (url.startsWith('mailto:')) return url.slice(url.indexOf('@') + 1).toLowerCase();
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Hosts a link label names: a label that is itself a URL, address or domain, or URLs written inside it. */
function hostsNamed(label: string): string[] {
  const whole =
    /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/\s]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,})\.?(?::\d+)?(?:[/?#]\S*)?$/i.exec(
      label,
    );
  const inside = [...label.matchAll(/(?:https?:\/\/|www\.)([a-z0-9.-]+)/gi)].map((match) => match[1]);
  return [...(whole ? [whole[1]] : []), ...inside].map((host) => host.toLowerCase().replace(/^www\./, ''));
}

/** `<url|label>`, or just `<url>` when the label names another host than the link goes to. */
function linkMarkup(url: string, label: string): string {
  const shown = label.replace(/[|*_~`]/g, '').trim();
  if (!shown) return `<${url}>`;
  const target = hostOf(url);
  if (hostsNamed(shown).some((host) => host !== target)) return `<${url}>`;
  return `<${url}|${escapeMrkdwn(shown)}>`;
}

// URLs keep to printable ASCII without `<`, `>`, `"`, `|` or spaces, so no markup can ride inside one.
const urlCharacters = '[\\x21\\x23-\\x3B\\x3D\\x3F-\\x7B\\x7D\\x7E]';
const linkUrlCharacters = '[\\x21\\x23-\\x28\\x2A-\\x3B\\x3D\\x3F-\\x7B\\x7D\\x7E]';
const markdownLink = new RegExp(
  `!?\\[((?:[^[\\]\\n]|\\[[^[\\]\\n]*\\])*)\\]\\(\\s*<?((?:https?:\\/\\/|mailto:)${linkUrlCharacters}+)>?(?:\\s+"[^"\\n]*")?\\s*\\)`,
  'g',
);
const angleLink = new RegExp(`<((?:https?:\\/\\/|mailto:)${urlCharacters}+)>`, 'g');
const bareUrl = new RegExp(
  `(?:https?:\\/\\/|mailto:)${urlCharacters}*[^\\s<>"|*_~.,;:!?)'\\x80-\\uFFFF]`,
  'g',
);

function convertLine(line: string, links: string[]): string {
  let prefix = '';
  let body = line;
  const quote = /^(\s{0,3}>\s?)+/.exec(body);
  if (quote) {
    prefix = '> ';
    body = body.slice(quote[0].length);
  }
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(body)) return `${prefix}──────────`;
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(body);
  if (heading) body = `**${heading[1].replace(/\*\*/g, '')}**`;
  const task = /^(\s*)[-*+]\s+\[([ xX])\]\s+/.exec(body);
  if (task) body = `${task[1]}${task[2] === ' ' ? '☐' : '☑'} ${body.slice(task[0].length)}`;
  const bullet = /^(\s*)[-*+]\s+/.exec(body);
  if (bullet) body = `${bullet[1]}• ${body.slice(bullet[0].length)}`;
  const stash = (link: string) => {
    links.push(link);
    return placeholder(links.length - 1);
  };
  body = body
    .replace(markdownLink, (_m, label, url) => stash(linkMarkup(url, String(label))))
    .replace(angleLink, (_m, url) => stash(`<${url}>`))
    .replace(bareUrl, (url) => stash(escapeMrkdwn(url)));
  body = escapeMrkdwn(body)
    .replace(/\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*/g, `${bold[0]}${italic[0]}$1${italic[1]}${bold[1]}`)
    .replace(/___(?=\S)(.+?)(?<=\S)___/g, `${bold[0]}${italic[0]}$1${italic[1]}${bold[1]}`)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, `${bold[0]}$1${bold[1]}`)
    .replace(/__(?=\S)(.+?)(?<=\S)__/g, `${bold[0]}$1${bold[1]}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)/g, `$1${italic[0]}$2${italic[1]}`)
    .replace(/(^|[^\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)/g, `$1${italic[0]}$2${italic[1]}`)
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, `${strike[0]}$1${strike[1]}`);
  return prefix + spaceEmphasis(body);
}

function convertProse(text: string): string {
  const links: string[] = [];
  const converted = text
    .split('\n')
    .map((line) => convertLine(line, links))
    .join('\n');
  return converted.replace(/\uE000(\d+)\uE000/g, (_m, index) => links[Number(index)] ?? '');
}

function convertInline(text: string): string {
  // Inline code keeps its content (escaped only); the prose around it is converted. Code touching CJK text
  // gets a space, as emphasis does: Slack needs a boundary there too.
  const parts = text.split(/(`[^`\n]+`)/g);
  return parts
    .map((part, index) => {
      if (index % 2 === 0) return convertProse(part);
      const before = new RegExp(`${wide}$`, 'u').test(parts[index - 1] ?? '') ? ' ' : '';
      const after = new RegExp(`^${wide}`, 'u').test(parts[index + 1] ?? '') ? ' ' : '';
      return before + escapeMrkdwn(part) + after;
    })
    .join('');
}

function convertProseAndTables(text: string): string {
  return splitTables(text)
    .map((segment) =>
      typeof segment === 'string'
        ? convertInline(segment)
        : `\`\`\`\n${escapeMrkdwn(tableLines(segment).join('\n'))}\n\`\`\``,
    )
    .join('');
}

/**
 * Standard Markdown (what skills write) as Slack mrkdwn: `**bold**` → `*bold*`, `*italic*` → `_italic_`,
 * `~~strike~~` → `~strike~`, `[label](url)` → `<url|label>`, headings bold, bullets `•`, task items ☐/☑, tables
 * as aligned code blocks; code kept; `& < >` escaped everywhere else, so no `<!channel>`, `<@U…>`, `<#C…>` or
 * link markup can come from the text itself (not inside a link either); mass mentions written out (`@here`)
 * are made inert too. A link whose label names another host shows its real target.
 */
export function markdownToMrkdwn(markdown: string): string {
  // The private-use characters mark placeholders and emphasis while converting: none may come from the text.
  const text = neutralizeMassMentions(markdown.replace(/\r\n/g, '\n').replace(/[\uE000-\uE00F]/g, ''));
  return text
    .split(/(```[\s\S]*?(?:```|$))/g)
    .map((part, index) => {
      if (index % 2 === 0) return convertProseAndTables(part);
      const body = part.replace(/^```[^\n]*\n?/, '').replace(/```$/, '');
      return `\`\`\`\n${escapeMrkdwn(body.replace(/\n$/, ''))}\n\`\`\``;
    })
    .join('')
    .replace(/<(?=[@#!])/g, '&lt;');
}

/**
 * Markdown for places Slack renders standard Markdown itself (streams): mass mentions neutralized, `<@…>`
 * `<#…>` `<!…>` made inert, and a link whose label names another host written as its bare target.
 */
export function safeMarkdown(markdown: string): string {
  return neutralizeMassMentions(markdown)
    .replace(markdownLink, (link, label, url) =>
      hostsNamed(String(label).trim()).some((host) => host !== hostOf(url)) ? url : link,
    )
    .replace(/<([!@#])/g, '<\u200b$1');
}

const fence = '```';

/**
 * Whether cutting `text` at `position` would break something in two: a surrogate pair, `<url|label>` or other
 * `<…>` markup, an `&amp;`-style entity, or a bare URL (Slack links it only whole).
 */
function breaksMarkup(text: string, position: number): boolean {
  const code = text.charCodeAt(position - 1);
  if (code >= 0xd800 && code <= 0xdbff) return true;
  const open = text.lastIndexOf('<', position - 1);
  const close = open >= 0 ? text.indexOf('>', open) : -1;
  if (close >= position) return true;
  const before = text.slice(Math.max(0, position - 600), position);
  if (/&[a-zA-Z#0-9]{0,7}$/.test(before)) return true;
  return /(?:https?|mailto):[\x21-\x7E]*$/.test(before) && /^[\x21-\x7E]/.test(text.slice(position));
}

// Where to cut, best first: paragraph, line, space, after a sentence end (CJK ones need no space after).
const cutPreferences: Array<{ pattern: RegExp; offset: number }> = [
  { pattern: /\n\n/g, offset: 0 },
  { pattern: /\n/g, offset: 0 },
  { pattern: / /g, offset: 0 },
  { pattern: /[。！？；]|[.!?;](?![\x21-\x7E])/g, offset: 1 },
];

/** Where to cut `text` so the first piece holds at most `room` characters and breaks no markup. */
function cutPosition(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const { pattern, offset } of cutPreferences) {
    const positions = [...window.matchAll(pattern)].map((match) => match.index + offset).reverse();
    const found = positions.find(
      (position) => position >= room / 2 && position <= room && !breaksMarkup(text, position),
    );
    if (found !== undefined) return found;
  }
  for (let position = room; position > 0; position -= 1) {
    if (!breaksMarkup(text, position)) return position;
  }
  return room;
}

/**
 * Split mrkdwn into pieces of at most `limit` characters: at paragraph breaks, else line breaks, else spaces,
 * else sentence ends (Chinese has no spaces), else anywhere, but never inside a link, an entity, a bare URL
 * or a surrogate pair; a code block cut in two is closed and reopened.
 */
export function splitMrkdwn(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  let reopen = false;
  const room = limit - fence.length * 2 - 2;
  while (rest.length > 0) {
    const head: string = reopen ? `${fence}\n` : '';
    if (head.length + rest.length <= limit) {
      pieces.push(head + rest);
      break;
    }
    const cut = cutPosition(rest, room - head.length);
    let piece: string = head + rest.slice(0, cut).trimEnd();
    const open: boolean = (piece.match(/```/g)?.length ?? 0) % 2 === 1;
    if (open) piece += `\n${fence}`;
    pieces.push(piece);
    reopen = open;
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  return pieces.filter((piece) => piece.trim().length > 0);
}
