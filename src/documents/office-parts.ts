import { posix } from 'node:path';
import { parseXml } from './xml-reader';
import type { ZipArchive } from './zip-archive';

/** One relationship of an Office part: its type URI and the part it points to (a full path in the zip). */
export interface Relationship {
  /** The relationship type URI (`…/officeDocument`, `…/slide`, `…/notesSlide`). */
  type: string;
  /** The target part's path inside the zip. */
  path: string;
}

/** The `_rels` file of a part (`ppt/presentation.xml` → `ppt/_rels/presentation.xml.rels`). */
function relationshipsPath(partPath: string): string {
  return posix.join(posix.dirname(partPath), '_rels', `${posix.basename(partPath)}.rels`);
}

/** A part's relationships by id, targets resolved against the part's folder; external links left out. */
export async function readRelationships(
  archive: ZipArchive,
  partPath: string,
): Promise<Map<string, Relationship>> {
  const relationships = new Map<string, Relationship>();
  const xml = await archive.read(partPath === '' ? '_rels/.rels' : relationshipsPath(partPath));
  if (!xml) return relationships;
  parseXml(xml, {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.TargetMode === 'External' || !attributes.Target) return;
      const target = attributes.Target;
      const path = target.startsWith('/')
        ? target.slice(1)
        : posix.normalize(posix.join(posix.dirname(partPath), target));
      relationships.set(attributes.Id, { type: attributes.Type ?? '', path });
    },
  });
  return relationships;
}

/** The first relationship whose type ends with `/kind` (`officeDocument`, `notesSlide`). */
export function findRelationship(
  relationships: Map<string, Relationship>,
  kind: string,
): Relationship | undefined {
  return [...relationships.values()].find((relationship) => relationship.type.endsWith(`/${kind}`));
}
