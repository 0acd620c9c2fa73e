import { neutralizeMassMentions } from '../../src/text/sanitize';

/** Escape Slack's three control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const placeholder = (index: number) => `\uE000${index}\uE000`;

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
  const bullet = /^(\s*)[-*+]\s+/.exec(body);
  if (bullet) body = `${bullet[1]}• ${body.slice(bullet[0].length)}`;
  const stash = (link: string) => {
    links.push(link);
    return placeholder(links.length - 1);
  };
  body = body
    .replace(
      /!?\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*<?((?:https?:\/\/|mailto:)[^\s)>|]+)>?(?:\s+"[^"\n]*")?\s*\)/g,
      (_m, label, url) => {
        const shown = String(label)
          .replace(/[|*_~`]/g, '')
          .trim();
        return stash(shown ? `<${url}|${escapeMrkdwn(shown).replace(/\|/g, '')}>` : `<${url}>`);
      },
    )
    .replace(/<((?:https?:\/\/|mailto:)[^\s>|]+)>/g, (_m, url) => stash(`<${url}>`));
  body = escapeMrkdwn(body)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '\uE001$1\uE001')
    .replace(/__(?=\S)(.+?)(?<=\S)__/g, '\uE001$1\uE001')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)/g, '$1_$2_')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
    .replace(/\uE001/g, '*');
  return prefix + body;
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
  // Inline code keeps its content (escaped only); the prose around it is converted.
  return text
    .split(/(`[^`\n]+`)/g)
    .map((part, index) => (index % 2 === 1 ? escapeMrkdwn(part) : convertProse(part)))
    .join('');
}

/**
 * Standard Markdown (what skills write) as Slack mrkdwn: `**bold**` → `*bold*`, `*italic*` → `_italic_`,
 * `~~strike~~` → `~strike~`, `[label](url)` → `<url|label>`, headings bold, bullets `•`; code kept; `& < >`
 * escaped everywhere else, so no `<!channel>`, `<@U…>` or link markup can come from the text itself; mass
 * mentions written out (`@here`) are made inert too.
 */
export function markdownToMrkdwn(markdown: string): string {
  // The two private-use characters mark placeholders and bold while converting: none may come from the text.
  const text = neutralizeMassMentions(markdown.replace(/\r\n/g, '\n').replace(/[\uE000\uE001]/g, ''));
  return text
    .split(/(```[\s\S]*?(?:```|$))/g)
    .map((part, index) => {
      if (index % 2 === 0) return convertInline(part);
      const body = part.replace(/^```[^\n]*\n?/, '').replace(/```$/, '');
      return `\`\`\`\n${escapeMrkdwn(body.replace(/\n$/, ''))}\n\`\`\``;
    })
    .join('');
}

/** Markdown for places Slack renders standard Markdown itself (streams): only mass mentions neutralized. */
export function safeMarkdown(markdown: string): string {
  return neutralizeMassMentions(markdown).replace(/<([!@#])/g, '<\u200b$1');
}

const fence = '```';

/**
 * Split mrkdwn into pieces of at most `limit` characters: at paragraph breaks, else line breaks, else
 * spaces, else anywhere; a code block cut in two is closed and reopened.
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
    const window = rest.slice(0, room);
    let cut = window.lastIndexOf('\n\n');
    if (cut < room / 2) cut = window.lastIndexOf('\n');
    if (cut < room / 2) cut = window.lastIndexOf(' ');
    if (cut < room / 2) cut = room;
    let piece: string = head + rest.slice(0, cut).trimEnd();
    const open: boolean = (piece.match(/```/g)?.length ?? 0) % 2 === 1;
    if (open) piece += `\n${fence}`;
    pieces.push(piece);
    reopen = open;
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  return pieces.filter((piece) => piece.trim().length > 0);
}
