import { crc32, deflateRawSync } from 'node:zlib';

/** How to write each entry; `declaredSize` lies about the uncompressed size (the lying-header bomb). */
export interface ZipWriterOptions {
  /** The uncompressed size to write in the headers instead of the real one. */
  declaredSize?: (name: string) => number | undefined;
  /** Write this instead of the deflated data (to prove nothing was inflated). */
  data?: (name: string) => Buffer | undefined;
}

/** A small deflating zip writer for tests (local headers, central directory, end record; no zip64). */
export function zipSync(files: Record<string, string | Buffer>, options: ZipWriterOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const plain = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const data = options.data?.(name) ?? deflateRawSync(plain);
    const size = options.declaredSize?.(name) ?? plain.length;
    const nameBytes = Buffer.from(name);
    const checksum = crc32(plain);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(checksum, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
