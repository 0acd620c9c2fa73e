import { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { extractDocument } from '../../src/documents/extract-document';
import { readWithinLimit } from '../../src/documents/read-within-limit';
import { extractFixture, failure, fixture } from './fixtures';
import { zipSync } from './zip-writer';

const megabyte = 1024 * 1024;

/** An endless download: chunks of 64 KB for as long as it is read, counting what it handed out. */
function endlessDownload() {
  const state = { produced: 0, destroyed: false };
  const stream = new Readable({
    read() {
      state.produced += 65536;
      this.push(Buffer.alloc(65536, 0x61));
    },
    destroy(error, callback) {
      state.destroyed = true;
      callback(error);
    },
  });
  return { stream, state };
}

/** A PDF of `count` numbered pages, made on the fly. */
function numberedPdf(count: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const pdf = new PDFDocument({ autoFirstPage: false });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    for (let page = 1; page <= count; page++) pdf.addPage().text(`Page number ${page}`);
    pdf.end();
  });
}

describe('the byte limit while streaming a download', () => {
  test('an endless Node stream is stopped (destroyed) at the limit, not read to the end', async () => {
    const { stream, state } = endlessDownload();
    const error = await failure(readWithinLimit(stream, 2 * megabyte));
    expect(error.code).toBe('document_too_large');
    expect(error.messages.en).toContain('larger than the 2 MB limit');
    expect(state.destroyed).toBe(true);
    // Read ahead is bounded by the stream's buffer: far below what an unchecked read would take.
    expect(state.produced).toBeLessThan(2 * megabyte + 256 * 1024);
  });

  test('a web stream (a fetch body) is cancelled at the limit', async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 65536;
        controller.enqueue(new Uint8Array(65536));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await failure(readWithinLimit(body as unknown as AsyncIterable<Uint8Array>, megabyte));
    expect(error.code).toBe('document_too_large');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(megabyte + 256 * 1024);
  });

  test('a declared size over the limit fails before a byte is read; a small download reads whole', async () => {
    const { stream, state } = endlessDownload();
    const error = await failure(readWithinLimit(stream, megabyte, { declaredBytes: 30 * megabyte }));
    expect(error.messages.en).toContain('This file is 30 MB, over the 1 MB limit');
    expect(state.produced).toBe(0);
    expect(state.destroyed).toBe(true);
    const bytes = await readWithinLimit(Readable.from([fixture('plan.docx')]), megabyte);
    expect(bytes.equals(fixture('plan.docx'))).toBe(true);
  });
});

describe('zip bombs', () => {
  test('the fixture (200 entries over one deflated 8 MB part) is refused from the central directory', async () => {
    const error = await failure(extractFixture('zip-bomb.docx'));
    expect(error.code).toBe('document_zip_bomb');
    expect(error.messages.en).toContain('This file unpacks to more than 250 MB');
    expect(error.messages.zh).toContain('疑似压缩炸弹');
  });

  test('the check runs BEFORE inflating: entries whose data is garbage still fail as a bomb, not as corrupt', async () => {
    const files = { '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' };
    const bytes = zipSync(files, {
      declaredSize: (name) => (name === 'word/document.xml' ? 300 * megabyte : undefined),
      data: () => Buffer.from('not deflate data at all'),
    });
    const error = await failure(extractDocument(bytes, { name: 'big.docx' }));
    expect(error.code).toBe('document_zip_bomb');
    expect(error.messages.en).toContain('This file unpacks to more than 250 MB (300 MB)');
  });

  test('a lying header (declares 1 KB, inflates to 20 MB) is stopped while inflating', async () => {
    const body = `<w:document xmlns:w="w"><w:body>${'<w:p><w:r><w:t>x</w:t></w:r></w:p>'.repeat(600_000)}</w:body></w:document>`;
    const bytes = zipSync({ 'word/document.xml': body }, { declaredSize: () => 1024 });
    const error = await failure(extractDocument(bytes, { name: 'lying.docx' }));
    expect(error.code).toBe('document_zip_bomb');
  });

  test('an honest document over the uncompressed limit is refused; under it, read', async () => {
    const body = `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>${'a'.repeat(2 * megabyte)}</w:t></w:r></w:p></w:body></w:document>`;
    const bytes = zipSync({ 'word/document.xml': body });
    expect((await failure(extractDocument(bytes, { limits: { maxUnzippedBytes: megabyte } }))).code).toBe(
      'document_zip_bomb',
    );
    const document = await extractDocument(bytes, { limits: { maxUnzippedBytes: 3 * megabyte } });
    expect(document.pieces[0].text).toHaveLength(2 * megabyte);
  });

  test('too many entries is refused before reading them', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 50 }, (_, index) => [`word/part${index}.xml`, 'x']),
    );
    const error = await failure(extractDocument(zipSync(files), { limits: { maxZipEntries: 20 } }));
    expect(error.code).toBe('document_zip_bomb');
  });
});

describe('page, row and character limits: the first ones, with a note', () => {
  test('a PDF past the page limit: the first N pages and a note in both languages', async () => {
    const document = await extractDocument(await numberedPdf(7), { limits: { maxPages: 3 } });
    expect(document.pieces.map((piece) => piece.text)).toEqual([
      'Page number 1',
      'Page number 2',
      'Page number 3',
    ]);
    expect(document.pageCount).toBe(7);
    expect(document.notes).toEqual([
      {
        code: 'page_limit',
        message: {
          en: 'This file has 7 pages; I read the first 3 and left the rest out.',
          zh: '这个文件共 7 页，只读取了前 3 页，其余部分未读取。',
        },
      },
    ]);
  });

  test('a deck past the page limit: the first slides and a note', async () => {
    const document = await extractFixture('launch.pptx', { limits: { maxPages: 2 } });
    expect(document.pieces).toHaveLength(2);
    expect(document.notes[0].message.en).toBe(
      'This file has 3 slides; I read the first 2 and left the rest out.',
    );
    expect(document.notes[0].message.zh).toBe(
      '这个文件共 3 张幻灯片，只读取了前 2 张幻灯片，其余部分未读取。',
    );
  });

  test('a sheet past the row limit: the first rows and a note', async () => {
    const csv = Array.from({ length: 50 }, (_, index) => `row ${index + 1},${index}`).join('\n');
    const document = await extractDocument(Buffer.from(csv), {
      name: 'rows.csv',
      limits: { maxSheetRows: 10 },
    });
    expect(document.pieces).toHaveLength(1);
    expect(document.pieces[0].locator).toEqual({
      kind: 'sheet',
      sheet: 'rows',
      rows: { first: 1, last: 10 },
    });
    expect(document.notes.map((note) => note.code)).toEqual(['row_limit']);
    expect(document.notes[0].message.zh).toBe('工作表“rows”超过 10 行，只读取了前 10 行。');
    const xlsx = await extractFixture('budget.xlsx', { limits: { maxSheetRows: 2 } });
    expect(xlsx.pieces[0].locator).toEqual({ kind: 'sheet', sheet: 'Budget', rows: { first: 1, last: 2 } });
    expect(xlsx.notes).toHaveLength(2);
  });

  test('a long text past the character limit: the start and a note', async () => {
    const text = Array.from({ length: 100 }, (_, index) => `Paragraph ${index} ${'x'.repeat(80)}`).join(
      '\n\n',
    );
    const document = await extractDocument(Buffer.from(text), { limits: { maxCharacters: 1000 } });
    const kept = document.pieces.map((piece) => piece.text.replace(/\n/g, '')).join('');
    expect(kept.length).toBe(1000);
    expect(document.notes.map((note) => note.code)).toEqual(['character_limit']);
    expect(document.notes[0].message.en).toBe(
      'This file is long: I read its first 1,000 characters and left the rest out.',
    );
  });
});

describe('the time limit', () => {
  test('a file that takes longer than the limit fails with document_timeout, in both languages', async () => {
    const error = await failure(extractFixture('report.pdf', { limits: { timeoutMilliseconds: 1 } }));
    expect(error.code).toBe('document_timeout');
    expect(error.messages.en).toBe(
      'Reading this file took longer than 0 s, so I stopped. Try a smaller file or an excerpt.',
    );
    expect(error.messages.zh).toContain('已停止');
  });

  test('a long text file is stopped between sections when the time is up', async () => {
    const text = Array.from({ length: 20_000 }, (_, index) => `# Heading ${index}\n\nBody ${index}`).join(
      '\n\n',
    );
    const error = await failure(extractDocument(Buffer.from(text), { limits: { timeoutMilliseconds: 5 } }));
    expect(error.code).toBe('document_timeout');
  });
});
