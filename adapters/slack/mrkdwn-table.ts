/**
 * Characters Slack and monospace fonts show two columns wide: CJK ideographs, kana, Hangul, fullwidth forms and
 * CJK punctuation (Unicode East Asian Width W/F; halfwidth katakana U+FF61–FF9F are narrow).
 */
export const wideCharacter =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF01-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u;

/** The columns a string takes in a monospace font: wide characters and emoji count two, zero-width ones none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    if (/\p{Mn}|[\u200B-\u200D]|\uFE0F/u.test(character)) continue;
    width += wideCharacter.test(character) || /\p{Extended_Pictographic}/u.test(character) ? 2 : 1;
  }
  return width;
}

const separatorRow = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function cells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}

/** A cell's Markdown as plain text: emphasis and code marks dropped, links as `label (url)`. */
function plainCell(cell: string): string {
  return cell
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]\n]*)\]\(\s*<?([^\s)>]+)>?[^)]*\)/g, (_m, label: string, url: string) =>
      label.trim() && label.trim() !== url ? `${label.trim()} (${url})` : url,
    )
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2');
}

/** A piece of Markdown prose: plain lines, or a GFM table as rows of cells and each column's alignment. */
export type ProseSegment = string | { rows: string[][]; rightAligned: boolean[] };

/** Split prose into text and GFM tables (a header row, a `---|---` row, then rows that contain `|`). */
export function splitTables(prose: string): ProseSegment[] {
  const lines = prose.split('\n');
  const segments: ProseSegment[] = [];
  let text: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    const next = lines[index + 1];
    if (line.includes('|') && next?.includes('-') && separatorRow.test(next)) {
      const header = cells(line);
      const rightAligned = cells(next).map((cell) => /-:$/.test(cell) && !/^:/.test(cell));
      const rows = [header];
      index += 2;
      while (index < lines.length && lines[index].includes('|') && lines[index].trim() !== '') {
        rows.push(cells(lines[index]));
        index += 1;
      }
      if (text.length > 0) segments.push(`${text.join('\n')}\n`);
      text = [];
      segments.push({ rows, rightAligned });
      if (index < lines.length) text.push('');
      continue;
    }
    text.push(line);
    index += 1;
  }
  if (text.length > 0) segments.push(text.join('\n'));
  return segments;
}

/**
 * A table as lines of aligned columns (for a code block: Slack's mrkdwn has no tables), wide characters
 * counted as two columns, a dashed line under the header. Not escaped.
 */
export function tableLines(table: { rows: string[][]; rightAligned: boolean[] }): string[] {
  const rows = table.rows.map((row) => row.map(plainCell));
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_unused, column) =>
    Math.max(1, ...rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (row: string[]) =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        const padding = ' '.repeat(width - displayWidth(cell));
        return table.rightAligned[column] ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)];
}
