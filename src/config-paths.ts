import { readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config, ConfigProblem } from './config';

/** What Docker users most often get wrong about a folder: the path is the one inside the container. */
const dockerHint =
  'In Docker, the path is the one inside the container: mount the host folder there (e.g. -v /srv/handbook:/knowledge:ro)';

/** The knowledge folder must exist, be a folder and be readable; an empty one (a fresh bind mount) is fine. */
function knowledgeFolderProblem(folder: string): ConfigProblem | undefined {
  const absolute = resolve(folder);
  const problem = (what: string, fix: string): ConfigProblem => ({
    variable: 'KNOWLEDGE_DIR',
    message: `${what}. Fix: ${fix}`,
  });
  try {
    if (!statSync(absolute).isDirectory()) {
      return problem(
        `${folder} is a file, not a folder`,
        'point KNOWLEDGE_DIR at the folder that holds the documents.',
      );
    }
    readdirSync(absolute);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return problem(
        `${folder} does not exist${absolute === folder ? '' : ` (${absolute})`}`,
        `create it, or point KNOWLEDGE_DIR at an existing folder, or unset it. ${dockerHint} and set KNOWLEDGE_DIR=/knowledge.`,
      );
    }
    return problem(
      `${folder} cannot be read by this process (${code ?? 'error'})`,
      `let the user Deskmate runs as (uid ${process.getuid?.() ?? '?'}) read it, e.g. chmod -R a+rX ${folder}.`,
    );
  }
}

/** The nearest folder at or above `path` that exists, or what is in the way (a file). */
function nearestExisting(path: string): { folder?: string; file?: string } {
  for (let current = path; ; current = dirname(current)) {
    try {
      return statSync(current).isDirectory() ? { folder: current } : { file: current };
    } catch {
      if (dirname(current) === current) return {};
    }
  }
}

/**
 * The local knowledge index must be somewhere this process may write: the folder itself, or the nearest
 * existing folder above it (LanceDB creates the rest). Probed by writing a file, as permissions alone do not
 * tell (root, read-only mounts, /proc).
 */
function indexFolderProblem(path: string, variable: 'DATA_DIR' | 'KNOWLEDGE_URI'): ConfigProblem | undefined {
  const absolute = resolve(path);
  const found = nearestExisting(absolute);
  if (found.file) {
    return {
      variable,
      message: `the knowledge index would be at ${absolute}, but ${found.file} is a file. Fix: set ${variable} to a folder.`,
    };
  }
  const probe = join(found.folder ?? '/', `.deskmate-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      variable,
      message: `the knowledge index at ${absolute} cannot be written: this process (uid ${process.getuid?.() ?? '?'}) may not write in ${found.folder ?? '/'} (${code}). Fix: set ${variable} to a folder it may write, or give that user the folder (a Docker bind mount keeps the host folder's owner: chown it to uid 1000, the image's node user).`,
    };
  }
}

/**
 * Folders the configuration names, checked at start where jobs run: a typo in a path is a setting to fix, not
 * something to find after `deskmate started`. Not pure: it reads the file system.
 */
export function pathProblems(
  config: Config,
  environment: Record<string, string | undefined>,
): ConfigProblem[] {
  if (config.role === 'web') return [];
  const problems: ConfigProblem[] = [];
  const { folder, uri, engine } = config.knowledge;
  if (folder) {
    const problem = knowledgeFolderProblem(folder);
    if (problem) problems.push(problem);
  }
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith('file://');
  if (engine === 'lancedb' && local) {
    const path = uri.startsWith('file://') ? new URL(uri).pathname : uri;
    const problem = indexFolderProblem(
      path,
      environment.KNOWLEDGE_URI?.trim() ? 'KNOWLEDGE_URI' : 'DATA_DIR',
    );
    if (problem) problems.push(problem);
  }
  return problems;
}
