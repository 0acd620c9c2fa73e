import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { everyonePrincipal, type KnowledgePrincipal } from '../core/knowledge-index';
import { accessFileName, parseFolderAccess } from './folder-access';

/** The file name endings of the documents Deskmate reads. */
export const knowledgeExtensions = new Set([
  '.pdf',
  '.docx',
  '.pptx',
  '.xlsx',
  '.csv',
  '.html',
  '.htm',
  '.md',
  '.markdown',
  '.txt',
  '.vtt',
  '.srt',
]);

/** A document found in the knowledge folder, with who may read it. */
export interface FolderFile {
  /** Its path from the folder's root, with `/` between parts (`hr/leave.md`). */
  relativePath: string;
  /** Its full path. */
  path: string;
  /** Who may read it: `everyone`, or what the nearest `access.json` above it names. */
  access: KnowledgePrincipal[];
}

/** An `access.json` that could not be read: its folder (and everything under it) is not indexed. */
export interface AccessProblem {
  /** The file's path from the folder's root. */
  relativePath: string;
  /** What is wrong with it. */
  problem: string;
}

/** What one walk of the knowledge folder found. */
export interface FolderScan {
  /** The documents to index. */
  files: FolderFile[];
  /** Broken access files; nothing under them is indexed. */
  problems: AccessProblem[];
}

/**
 * Walk the knowledge folder: every supported document, each with the access of the nearest `access.json`
 * above it (everyone without one). Hidden entries and symbolic links are skipped (a link could lead out of the
 * folder). A folder whose `access.json` is broken is left out whole, never opened to everyone.
 */
export async function scanKnowledgeFolder(root: string): Promise<FolderScan> {
  const scan: FolderScan = { files: [], problems: [] };
  await walk(root, root, [everyonePrincipal], scan);
  return scan;
}

async function walk(root: string, directory: string, inherited: KnowledgePrincipal[], scan: FolderScan) {
  const entries: Dirent[] = await readdir(directory, { withFileTypes: true });
  let access = inherited;
  if (entries.some((entry) => entry.isFile() && entry.name === accessFileName)) {
    const path = join(directory, accessFileName);
    const parsed = parseFolderAccess(await readFile(path, 'utf8'));
    if (!parsed.ok) {
      scan.problems.push({ relativePath: toRelative(root, path), problem: parsed.problem });
      return;
    }
    access = parsed.principals;
  }
  for (const entry of entries.sort((left, right) => left.name.localeCompare(right.name))) {
    if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await walk(root, path, access, scan);
    else if (entry.isFile() && knowledgeExtensions.has(extname(entry.name).toLowerCase())) {
      scan.files.push({ relativePath: toRelative(root, path), path, access });
    }
  }
}

/**
 * Who may read one file of the folder now, by the same rule as a scan (the nearest `access.json` above it);
 * undefined when an `access.json` on its way is broken (the scan leaves the file out).
 */
export async function accessOfFile(
  root: string,
  relativePath: string,
): Promise<KnowledgePrincipal[] | undefined> {
  let access: KnowledgePrincipal[] = [everyonePrincipal];
  const folders = relativePath.split('/').slice(0, -1);
  for (let depth = 0; depth <= folders.length; depth += 1) {
    let text: string;
    try {
      text = await readFile(join(root, ...folders.slice(0, depth), accessFileName), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const parsed = parseFolderAccess(text);
    if (!parsed.ok) return undefined;
    access = parsed.principals;
  }
  return access;
}

/** Whether two lists of readers are the same, in any order. */
export function sameReaders(
  left: readonly KnowledgePrincipal[],
  right: readonly KnowledgePrincipal[],
): boolean {
  const sorted = (list: readonly string[]) => [...list].sort().join('\n');
  return sorted(left) === sorted(right);
}

function toRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
