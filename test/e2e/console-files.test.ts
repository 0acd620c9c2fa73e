import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runConsoleIn, temporaryDirectory } from '../helpers/console-run';

const fixtures = join(__dirname, '..', 'fixtures', 'documents');
const folder = temporaryDirectory();
afterAll(() => folder.remove());

describe('the console reads local files (npm start with piped input, no model)', () => {
  test('summarize ./report.pdf gives an outline cited by page; a missing path is named; 总结 a transcript in Chinese', () => {
    copyFileSync(join(fixtures, 'report.pdf'), join(folder.path, 'report.pdf'));
    copyFileSync(join(fixtures, 'meeting.vtt'), join(folder.path, 'meeting.vtt'));
    const result = runConsoleIn(
      folder.path,
      'summarize ./report.pdf\nsummarize ./missing.pdf\n总结 meeting.vtt\n',
      { INIT_CWD: folder.path },
    );
    expect(result.status).toBe(0);
    const [report, missing, meeting] = result.stdout.split('Summary of report.pdf')[1]
      ? [
          result.stdout.slice(result.stdout.indexOf('Summary of report.pdf')),
          result.stdout.slice(result.stdout.indexOf('There is no file')),
          result.stdout.slice(result.stdout.indexOf('meeting.vtt 会议纪要')),
        ]
      : ['', '', ''];
    expect(report).toMatch(/\[p\. 1\]/);
    expect(report).toMatch(/\[p\. 3\]/);
    expect(report).toContain('A language model would give a real summary');
    expect(missing).toContain(`There is no file at ${join(folder.path, 'missing.pdf')}.`);
    expect(missing).not.toContain('找不到文件');
    expect(meeting).toContain('[12:04]');
    expect(meeting).toContain('Bob');
    expect(meeting).toContain('未使用模型生成');
  });

  test('/help and a word like /api/users are not files: no note about an attached file', () => {
    const result = runConsoleIn(folder.path, '/help\ntodo add check the /api/users endpoint\n', {
      INIT_CWD: folder.path,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/is your office assistant/);
    expect(result.stdout).toContain('Added todo #1: check the /api/users endpoint');
    expect(result.stdout).not.toMatch(/attached file|There is no file/);
  });

  test('DOCUMENT_MAX_BYTES reaches the download: a larger file is refused with the limit named', () => {
    writeFileSync(join(folder.path, 'big.txt'), 'Meeting notes, line after line.\n'.repeat(70_000));
    const result = runConsoleIn(folder.path, 'summarize ./big.txt\n', {
      INIT_CWD: folder.path,
      DOCUMENT_MAX_BYTES: '1048576',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('This file is 2.1 MB, over the 1 MB limit for files I read');
  });
});
