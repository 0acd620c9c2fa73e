import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExtractDocumentOptions, extractDocument } from '../../src/documents/extract-document';

/** The bytes of a fixture under test/fixtures/documents. */
export function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, '../fixtures/documents', name));
}

/** Extract a fixture, its name as the hint. */
export function extractFixture(name: string, options: ExtractDocumentOptions = {}) {
  return extractDocument(fixture(name), { name, ...options });
}

/** The error a promise rejects with. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; messages: { en: string; zh: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; messages: { en: string; zh: string } };
  }
  throw new Error('expected a failure');
}
