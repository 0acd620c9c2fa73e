import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { corruptError, encryptedError, isDocumentError, zipBombError } from './document-error';
import type { DocumentLimits } from './limits';

/** The zip limits, and the format to name in errors (`docx`, or `file` before the format is known). */
export type ZipLimits = Pick<DocumentLimits, 'maxUnzippedBytes' | 'maxZipEntries'>;

/** A zip-based document (DOCX, PPTX, XLSX) whose central directory passed the limits; entries inflate on demand. */
export interface ZipArchive {
  /** Entry names, in the central directory's order. */
  readonly names: string[];
  /** Whether an entry exists. */
  has(name: string): boolean;
  /** An entry's bytes as they inflate, counted against the limit (the zip bomb check while inflating). */
  chunks(name: string): AsyncIterable<Buffer>;
  /** An entry's whole bytes, or undefined when it does not exist. */
  read(name: string): Promise<Buffer | undefined>;
  /** Set the format named in errors once it is known. */
  nameFormat(format: string): void;
}

/** Node's zlib inflates in its thread pool, so a big entry does not hold the event loop; yauzl loads on first use. */
function loadYauzl(): typeof import('yauzl') {
  return require('yauzl');
}

/** Open a zip's central directory and check it BEFORE inflating anything: entry count and declared sizes. */
export async function openZipArchive(bytes: Buffer, limits: ZipLimits): Promise<ZipArchive> {
  const yauzl = loadYauzl();
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, opened) =>
      error ? reject(corruptError('file', error)) : resolve(opened),
    );
  });
  if (zip.entryCount > limits.maxZipEntries) {
    throw zipBombError(limits.maxUnzippedBytes, undefined, new Error(`${zip.entryCount} entries`));
  }
  const entries = await readCentralDirectory(zip, limits);
  return createArchive(zip, entries, limits);
}

/** Every entry of the central directory; fails as soon as the declared sizes add up past the limit. */
function readCentralDirectory(zip: ZipFile, limits: ZipLimits): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    let declaredBytes = 0;
    zip.on('entry', (entry: Entry) => {
      declaredBytes += entry.uncompressedSize;
      if (declaredBytes > limits.maxUnzippedBytes) {
        zip.close();
        reject(zipBombError(limits.maxUnzippedBytes, declaredBytes));
        return;
      }
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => reject(corruptError('file', error)));
    zip.readEntry();
  });
}

function createArchive(zip: ZipFile, entries: Map<string, Entry>, limits: ZipLimits): ZipArchive {
  let format = 'file';
  let inflatedBytes = 0;
  const open = (entry: Entry) =>
    new Promise<Readable>((resolve, reject) => {
      if (entry.isEncrypted()) {
        reject(encryptedError(format));
        return;
      }
      zip.openReadStream(entry, (error, stream) =>
        error ? reject(corruptError(format, error)) : resolve(stream),
      );
    });
  const archive: ZipArchive = {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    nameFormat(name) {
      format = name;
    },
    async *chunks(name) {
      const entry = entries.get(name);
      if (!entry) return;
      const stream = await open(entry);
      try {
        for await (const chunk of stream) {
          inflatedBytes += (chunk as Buffer).length;
          if (inflatedBytes > limits.maxUnzippedBytes) throw zipBombError(limits.maxUnzippedBytes);
          yield chunk as Buffer;
        }
      } catch (error) {
        if (isDocumentError(error)) throw error;
        // yauzl checks each entry against its declared size while inflating: a lying header is a bomb too.
        if (error instanceof Error && /too many bytes/.test(error.message)) {
          throw zipBombError(limits.maxUnzippedBytes, undefined, error);
        }
        throw corruptError(format, error);
      } finally {
        stream.destroy();
      }
    },
    async read(name) {
      if (!entries.has(name)) return undefined;
      const parts: Buffer[] = [];
      for await (const chunk of archive.chunks(name)) parts.push(chunk);
      return Buffer.concat(parts);
    },
  };
  return archive;
}
