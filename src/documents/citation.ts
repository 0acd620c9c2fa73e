import type { Language } from '../text/language';
import type { Locator } from './document';
import { formatTimestamp } from './extract-transcript';

/** A range of rows as people write it: `2` or `2–40`. */
function rowRange(rows: { first: number; last: number }): string {
  return rows.first === rows.last ? `${rows.first}` : `${rows.first}–${rows.last}`;
}

/** A locator as a citation in the asker's language: `[p. 3]`, `[slide 4]`, `[§ Budget › Q3]`, `[12:04]`, `[第 3 页]`. */
export function formatCitation(locator: Locator, language: Language): string {
  const chinese = language === 'zh';
  switch (locator.kind) {
    case 'page':
      return chinese ? `[第 ${locator.page} 页]` : `[p. ${locator.page}]`;
    case 'slide':
      return chinese ? `[第 ${locator.slide} 张幻灯片]` : `[slide ${locator.slide}]`;
    case 'section':
      if (locator.path.length === 0) return chinese ? '[§ 开头]' : '[§ start]';
      return `[§ ${locator.path.join(' › ')}]`;
    case 'sheet': {
      const single = locator.rows.first === locator.rows.last;
      if (chinese) return `[工作表 ${locator.sheet} 第 ${rowRange(locator.rows)} 行]`;
      return `[${locator.sheet}, ${single ? 'row' : 'rows'} ${rowRange(locator.rows)}]`;
    }
    case 'time':
      return `[${formatTimestamp(locator.start)}]`;
  }
}
