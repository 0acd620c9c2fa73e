import { DocumentError } from '../../src/documents/document-error';
import { extractDocument } from '../../src/documents/extract-document';
import { failureMessage } from '../../src/text/messages';
import { extractFixture, failure, fixture } from './fixtures';
import { zipSync } from './zip-writer';

/** A compound (OLE2) file: its signature and a UTF-16 stream name where its directory would hold it. */
function compoundFile(streamName: string): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), Buffer.from(streamName, 'utf16le'), Buffer.alloc(64)]);
}

describe('bad files: a stable code and a message naming the problem, in English and Chinese', () => {
  test('an encrypted PDF', async () => {
    const error = await failure(extractFixture('encrypted.pdf'));
    expect(error).toBeInstanceOf(DocumentError);
    expect(error.code).toBe('document_encrypted');
    expect(error.messages.en).toBe(
      "This PDF is password-protected, so I can't read it. Share a copy without a password.",
    );
    expect(error.messages.zh).toBe('这个PDF设有密码，无法读取。请分享一份未加密的副本。');
  });

  test('a password-protected Office file (an EncryptedPackage in a compound file)', async () => {
    const error = await failure(extractDocument(compoundFile('EncryptedPackage'), { name: 'secret.docx' }));
    expect(error.code).toBe('document_encrypted');
    expect(error.messages.en).toContain('This Office document is password-protected');
    expect(error.messages.zh).toContain('这个Office 文档设有密码');
  });

  test('a scanned PDF (pages, no text layer)', async () => {
    const error = await failure(extractFixture('scanned.pdf'));
    expect(error.code).toBe('document_scanned');
    expect(error.messages.en).toContain('This PDF has 1 page but no text layer');
    expect(error.messages.en).toContain('OCR');
    expect(error.messages.zh).toContain('这个 PDF 有 1 页，但没有文字层');
  });

  test('a truncated DOCX (no central directory)', async () => {
    const error = await failure(extractFixture('truncated.docx'));
    expect(error.code).toBe('document_corrupt');
    expect(error.messages.en).toBe(
      "This file looks damaged or cut short (was the upload complete?), so I couldn't read it.",
    );
    expect(error.messages.zh).toBe('这个文件似乎已损坏或不完整（上传是否完整？），无法读取。');
  });

  test('a truncated PDF reads what is there or says it is damaged, never crashes', async () => {
    const bytes = fixture('report.pdf');
    for (const length of [20, 400, Math.floor(bytes.length / 2)]) {
      const outcome = await extractDocument(bytes.subarray(0, length)).then(
        (document) => document.type,
        (error: DocumentError) => error.code,
      );
      expect(['pdf', 'document_corrupt', 'document_scanned']).toContain(outcome);
    }
    expect((await failure(extractDocument(bytes.subarray(0, 20)))).code).toBe('document_corrupt');
  });

  test('a damaged DOCX entry (garbage where the deflated XML should be)', async () => {
    const bytes = Buffer.from(fixture('plan.docx'));
    const at = bytes.indexOf('word/document.xml') + 'word/document.xml'.length;
    bytes.fill(0x55, at, at + 200);
    const error = await failure(extractDocument(bytes, { name: 'plan.docx' }));
    expect(error.code).toBe('document_corrupt');
    expect(error.messages.en).toContain('This Word document looks damaged');
    expect(error.messages.zh).toContain('这个Word 文档似乎已损坏');
  });

  test('an empty file, and a file of blank lines', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('\n\n   \n')]) {
      const error = await failure(extractDocument(bytes, { name: 'empty.txt' }));
      expect(error.code).toBe('document_empty');
      expect(error.messages.en).toBe('This file is empty: there is no text in it to read.');
      expect(error.messages.zh).toBe('这个文件是空的，没有可读取的文字。');
    }
  });

  test('unsupported files are named: an image, an old .doc, a zip, an unknown binary', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const cases: Array<[Buffer, string, string]> = [
      [png, 'an image (PNG)', '图片（PNG）'],
      [compoundFile('WordDocument'), 'an old Word .doc file; save it as .docx', '旧版 Word .doc 文件'],
      [
        Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0x00]),
        'a binary file of an unknown kind',
        '未知类型的二进制文件',
      ],
    ];
    for (const [bytes, en, zh] of cases) {
      const error = await failure(extractDocument(bytes, { name: 'report.pdf' }));
      expect(error.code).toBe('document_unsupported');
      expect(error.messages.en).toContain(`I can't read this kind of file (${en}`);
      expect(error.messages.en).toContain('I read PDF, Word (.docx)');
      expect(error.messages.zh).toContain(zh);
    }
    const zip = zipSync({ 'photos/a.txt': 'hello' });
    const error = await failure(extractDocument(zip, { name: 'photos.zip' }));
    expect(error.code).toBe('document_unsupported');
    expect(error.messages.en).toContain('(a zip archive)');
  });

  test('a file over the byte limit fails before any parsing, naming both sizes', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2.5 * 1024 * 1024, 0x20)]);
    const error = await failure(extractDocument(bytes, { limits: { maxBytes: 1024 * 1024 } }));
    expect(error.code).toBe('document_too_large');
    expect(error.messages.en).toBe(
      "This file is 2.5 MB, over the 1 MB limit for files I read, so I didn't read it. Share a smaller file or an excerpt.",
    );
    expect(error.messages.zh).toBe(
      '这个文件有 2.5 MB，超过了可读取的上限 1 MB，因此没有读取。请分享更小的文件或节选。',
    );
    const atDefault = await failure(extractDocument(Buffer.alloc(25 * 1024 * 1024 + 1, 0x61)));
    expect(atDefault.messages.en).toContain('over the 25 MB limit');
  });

  test('the generic per-code messages exist for the worker, in both languages', () => {
    for (const code of [
      'document_too_large',
      'document_zip_bomb',
      'document_encrypted',
      'document_corrupt',
      'document_empty',
      'document_scanned',
      'document_unsupported',
      'document_timeout',
    ] as const) {
      expect(failureMessage(code, 'en')).toMatch(/file/);
      expect(failureMessage(code, 'zh')).toMatch(/文件/);
    }
  });
});
