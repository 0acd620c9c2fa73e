import { extractDocument } from '../../src/documents/extract-document';
import { extractFixture, fixture } from './fixtures';

describe('extractDocument: pieces and locators per format', () => {
  test('PDF: one piece per page, English and Chinese from the embedded CJK font', async () => {
    const document = await extractFixture('report.pdf');
    expect(document.type).toBe('pdf');
    expect(document.pageCount).toBe(3);
    expect(document.pieces.map((piece) => piece.locator)).toEqual([
      { kind: 'page', page: 1 },
      { kind: 'page', page: 2 },
      { kind: 'page', page: 3 },
    ]);
    expect(document.pieces[1].text).toContain('Marketing spend is capped at 1.2 million.');
    expect(document.pieces[1].text).toContain('市场费用上限为 120 万元。');
    expect(document.pieces[2].text).toContain('供应商合同将于十二月到期。');
    expect(document.notes).toEqual([]);
  });

  test('DOCX: sections by heading path, tables as rows, Chinese headings', async () => {
    const document = await extractFixture('plan.docx');
    expect(document.type).toBe('docx');
    expect(document.pieces.map((piece) => piece.locator)).toEqual([
      { kind: 'section', path: ['Project plan 项目计划'] },
      { kind: 'section', path: ['Budget'] },
      { kind: 'section', path: ['Budget', 'Q3'] },
      { kind: 'section', path: ['进度', '第一阶段'] },
    ]);
    expect(document.pieces[2].text).toContain('Q3 spend was 0.9 million, under plan.');
    expect(document.pieces[2].text).toContain('Cloud 云服务 | 400,000');
    expect(document.pieces[3].text).toBe('# 进度\n\n## 第一阶段\n\n第一阶段将于十月完成，负责人是王芳。');
  });

  test('PPTX: one piece per slide with title, body and speaker notes', async () => {
    const document = await extractFixture('launch.pptx');
    expect(document.type).toBe('pptx');
    expect(document.title).toBe('Launch plan 发布计划');
    expect(document.pageCount).toBe(3);
    expect(document.pieces.map((piece) => piece.locator)).toEqual([
      { kind: 'slide', slide: 1 },
      { kind: 'slide', slide: 2 },
      { kind: 'slide', slide: 3 },
    ]);
    expect(document.pieces[1].text).toBe(
      'Timeline 时间表\nBeta in October\n正式版十一月发布\nNotes: 强调十一月的日期不能再推迟。',
    );
    expect(document.pieces[2].text).toContain('Notes: Ask finance about the events line.');
  });

  test('XLSX: each sheet as compact numbered rows, dates and booleans as people read them', async () => {
    const document = await extractFixture('budget.xlsx');
    expect(document.type).toBe('xlsx');
    expect(document.pieces).toEqual([
      {
        text: '1: Item | Amount | Due\n2: Cloud 云服务 | 400000 | 2024-10-31\n3: Events 活动 | 300000 | 2024-12-15',
        locator: { kind: 'sheet', sheet: 'Budget', rows: { first: 1, last: 3 } },
      },
      {
        text: '1: 客户 | 城市 | 签约\n2: 华东贸易 | 上海 | TRUE\n3: 北方物流 | 北京 | FALSE',
        locator: { kind: 'sheet', sheet: '客户', rows: { first: 1, last: 3 } },
      },
    ]);
  });

  test('CSV: one sheet named after the file, quoted commas kept', async () => {
    const document = await extractFixture('customers.csv');
    expect(document.type).toBe('csv');
    expect(document.pieces).toEqual([
      {
        text: '1: Name | City | Amount\n2: 华东贸易 | 上海 | 1,200\n3: Northwind | Seattle | 800',
        locator: { kind: 'sheet', sheet: 'customers', rows: { first: 1, last: 3 } },
      },
    ]);
  });

  test('HTML: the article only (no nav, footer or script), as Markdown sections under the title', async () => {
    const document = await extractFixture('policy.html');
    expect(document.type).toBe('html');
    expect(document.title).toBe('Travel policy 差旅政策');
    expect(document.pieces.map((piece) => piece.locator)).toEqual([
      { kind: 'section', path: ['Travel policy 差旅政策'] },
      { kind: 'section', path: ['Travel policy 差旅政策', 'Booking'] },
      { kind: 'section', path: ['Travel policy 差旅政策', '报销'] },
    ]);
    expect(document.pieces[1].text).toContain('at least **14 days** before departure');
    expect(document.pieces[2].text).toContain('出差结束后 30 天内提交报销单');
    expect(document.pieces[2].text).toContain('Hotel 酒店 | 800/night');
    const all = document.pieces.map((piece) => piece.text).join('\n');
    expect(all).not.toMatch(/Privacy|tracking|font-family|Home/);
  });

  test('Markdown: sections by heading; a # line inside a code block is not a heading', async () => {
    const document = await extractFixture('onboarding.md');
    expect(document.type).toBe('markdown');
    expect(document.pieces.map((piece) => piece.locator)).toEqual([
      { kind: 'section', path: ['Onboarding 入职指南'] },
      { kind: 'section', path: ['Onboarding 入职指南', 'Accounts'] },
      { kind: 'section', path: ['Onboarding 入职指南', '第一周'] },
    ]);
    expect(document.pieces[1].text).toContain('# not a heading: a comment in a code block');
  });

  test('plain text in GB18030 is decoded; text with no heading is one section at the start', async () => {
    const document = await extractFixture('notes-gb18030.txt');
    expect(document.type).toBe('text');
    expect(document.pieces).toEqual([
      { text: '# 会议纪要\n\n下周一发布新版本。', locator: { kind: 'section', path: ['会议纪要'] } },
    ]);
    const plain = await extractDocument(Buffer.from('Just a note.\n\nSecond paragraph.'), {
      name: 'note.txt',
    });
    expect(plain.pieces).toEqual([
      { text: 'Just a note.\n\nSecond paragraph.', locator: { kind: 'section', path: [] } },
    ]);
  });

  test('WebVTT: speaker turns with times, voices from <v> tags, pieces located by start', async () => {
    const document = await extractFixture('meeting.vtt');
    expect(document.type).toBe('vtt');
    expect(document.pieces).toEqual([
      {
        text: "0:01 Alice Chen: Welcome everyone, let's review the launch. First item is the budget.",
        locator: { kind: 'time', start: 1 },
      },
      { text: '2:10 王芳: 预算已经批准了，下周开始执行。', locator: { kind: 'time', start: 130 } },
      {
        text: '12:04 Bob: Action item: Bob sends the contract by Friday.',
        locator: { kind: 'time', start: 724 },
      },
    ]);
  });

  test('SRT: speakers from `Name:` and `名字：` prefixes', async () => {
    const document = await extractFixture('meeting.srt');
    expect(document.type).toBe('srt');
    expect(document.pieces).toEqual([
      {
        text: '0:01 Alice: Good morning, this is the weekly sync.\n0:04 王芳: 我来汇报一下进度。',
        locator: { kind: 'time', start: 1 },
      },
      { text: '3:00 Bob: The beta ships on October 15.', locator: { kind: 'time', start: 180 } },
    ]);
  });

  test('the type comes from the bytes; the name is only a hint for text formats', async () => {
    expect((await extractDocument(fixture('report.pdf'), { name: 'report.docx' })).type).toBe('pdf');
    expect((await extractDocument(fixture('plan.docx'), { name: 'plan.pdf' })).type).toBe('docx');
    expect((await extractDocument(fixture('policy.html'), { name: 'policy.txt' })).type).toBe('html');
    expect((await extractDocument(fixture('meeting.vtt'), { name: 'meeting.txt' })).type).toBe('vtt');
    expect((await extractDocument(fixture('onboarding.md'), { name: 'onboarding.txt' })).type).toBe('text');
    expect((await extractDocument(fixture('customers.csv'), { mimeType: 'text/csv' })).type).toBe('csv');
  });
});
