import { formatCitation } from '../../src/documents/citation';

describe('formatCitation: a locator as a citation, in English and Chinese', () => {
  test.each([
    [{ kind: 'page', page: 3 }, '[p. 3]', '[第 3 页]'],
    [{ kind: 'slide', slide: 4 }, '[slide 4]', '[第 4 张幻灯片]'],
    [{ kind: 'section', path: ['Budget', 'Q3'] }, '[§ Budget › Q3]', '[§ Budget › Q3]'],
    [{ kind: 'section', path: [] }, '[§ start]', '[§ 开头]'],
    [
      { kind: 'sheet', sheet: 'Budget', rows: { first: 2, last: 40 } },
      '[Budget, rows 2–40]',
      '[工作表 Budget 第 2–40 行]',
    ],
    [{ kind: 'sheet', sheet: '客户', rows: { first: 7, last: 7 } }, '[客户, row 7]', '[工作表 客户 第 7 行]'],
    [{ kind: 'time', start: 724.5 }, '[12:04]', '[12:04]'],
    [{ kind: 'time', start: 3723 }, '[1:02:03]', '[1:02:03]'],
  ] as const)('%j', (locator, english, chinese) => {
    expect(formatCitation(locator as never, 'en')).toBe(english);
    expect(formatCitation(locator as never, 'zh')).toBe(chinese);
  });
});
