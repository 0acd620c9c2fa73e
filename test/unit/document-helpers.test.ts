import { blocksToMarkdown, documentTitle } from '../../adapters/lark/doc-blocks';
import { parseDocumentLink } from '../../adapters/lark/documents';
import { isAllowedFileUrl, slackFileOrigin } from '../../adapters/slack/files';
import { linkPieceCitations, numberPieces } from '../../src/skills/documents/document-text';
import { isTranscript } from '../../src/skills/documents/transcript-kind';
import { docBlocks } from '../fakes/lark-state';

const from = { platform: 'lark' as const, workspace: 'tenant-1', channel: 'oc_1', kind: 'group' as const };

describe('the pieces of the files feature that decide on their own', () => {
  test('citations: places in the asker’s language, linked; invented numbers, repeats and foreign links removed', () => {
    const citations = [
      { number: 1, locator: { kind: 'page' as const, page: 2 } },
      { number: 2, locator: { kind: 'page' as const, page: 2 } },
      { number: 3, locator: { kind: 'section' as const, path: ['Budget', 'Q3'] } },
    ];
    const options = { link: 'https://files.example/f1', sourceTexts: ['see https://intranet.example/plan'] };
    expect(
      linkPieceCitations(
        'Capped [1][2], see https://intranet.example/plan and https://evil.example/x [9]. Q3 [3, 1].',
        citations,
        { ...options, language: 'en' },
      ),
    ).toBe(
      'Capped [[p. 2]](https://files.example/f1), see https://intranet.example/plan and [link removed]. Q3 [[§ Budget › Q3]](https://files.example/f1)[[p. 2]](https://files.example/f1).',
    );
    expect(linkPieceCitations('上限 [1] @all', citations, { language: 'zh', sourceTexts: [] })).toBe(
      '上限 [第 2 页] @\u200ball',
    );
  });

  test('Slack file downloads go only to Slack’s file host or the configured API host, over their own scheme', () => {
    const allowed = [slackFileOrigin, 'http://127.0.0.1:4020'];
    expect(isAllowedFileUrl('https://files.slack.com/files-pri/T1-F1/download/a.pdf', allowed)).toBe(true);
    expect(isAllowedFileUrl('http://127.0.0.1:4020/files-pri/T1-F1/a.pdf', allowed)).toBe(true);
    for (const url of [
      'http://files.slack.com/files-pri/T1-F1/a.pdf',
      'https://files.slack.com.evil.example/a.pdf',
      'https://evil.example/files.slack.com/a.pdf',
      'https://user:pass@files.slack.com/a.pdf',
      'http://127.0.0.1:4021/files-pri/T1-F1/a.pdf',
      'not a url',
    ]) {
      expect(isAllowedFileUrl(url, allowed)).toBe(false);
    }
  });

  test('Lark Doc and Wiki links are recognized on Lark and Feishu hosts only', () => {
    expect(parseDocumentLink('https://acme.feishu.cn/docx/doxcnAbCdEf123456?from=chat', from, 't')).toEqual({
      platform: 'lark',
      workspace: 'tenant-1',
      token: 'doxcnAbCdEf123456',
      type: 'docx',
      link: 'https://acme.feishu.cn/docx/doxcnAbCdEf123456',
    });
    expect(parseDocumentLink('https://acme.larksuite.com/wiki/wikcnAbCdEf12345', from, 't')?.type).toBe(
      'wiki',
    );
    expect(parseDocumentLink('https://acme.feishu.cn/sheets/shtcnAbCdEf12345', from, 't')?.type).toBe(
      'sheets',
    );
    expect(
      parseDocumentLink('https://feishu.cn.evil.example/docx/doxcnAbCdEf123456', from, 't'),
    ).toBeUndefined();
    expect(parseDocumentLink('https://acme.feishu.cn/base', from, 't')).toBeUndefined();
  });

  test('a Doc’s blocks become Markdown with its title and headings, so sections get their path', () => {
    const blocks = docBlocks('Plan 计划', ['# Budget', 'Capped at 1.2 million.', '## Q3', 'Under plan.']);
    expect(documentTitle(blocks)).toBe('Plan 计划');
    expect(blocksToMarkdown(blocks)).toBe(
      '# Plan 计划\n\n# Budget\n\nCapped at 1.2 million.\n\n## Q3\n\nUnder plan.',
    );
  });

  test('a text file is a transcript when most lines read Speaker: words', () => {
    const text = (lines: string[]) => ({
      type: 'text' as const,
      pieces: numberPieces([{ text: lines.join('\n'), locator: { kind: 'section' as const, path: [] } }]).map(
        (entry) => entry.piece,
      ),
      notes: [],
    });
    expect(isTranscript(text(['Alice: hi', 'Bob: hello', '[00:01:02] 王芳：好的', '12:04 Bob: done']))).toBe(
      true,
    );
    expect(isTranscript(text(['# Notes', 'We met on Monday.', 'Budget: fine', 'Nothing else.']))).toBe(false);
  });
});
