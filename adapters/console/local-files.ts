import { createReadStream, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ConversationRef } from '../../src/core/conversation';
import { DeskmateError } from '../../src/core/errors';
import type { FileCapability, SharedFile } from '../../src/core/shared-file';
import { timeoutError } from '../../src/documents/document-error';
import { readWithinLimit } from '../../src/documents/read-within-limit';

/** A word written as a path: `./`, `../`, `/` or `~/` first. */
const explicitPath = /^(?:\.{1,2}\/|\/|~\/)\S+$/;
/** A bare name with a document's extension (`report.pdf`). */
const documentName = /^[^\s/]+\.(?:pdf|docx|pptx|xlsx|csv|tsv|html?|md|markdown|txt|vtt|srt)$/i;

/** Strip the quotes a terminal user may put around a path. */
function unquoted(word: string): string {
  return word.replace(/^["'`]|["'`]$/g, '');
}

/**
 * The local files a console line names (`summarize ./report.pdf`), resolved from `directory` (the folder
 * `npm start` was typed in): words written as paths, and bare document names that exist there. The console
 * is the operator's own terminal, so this is the one adapter that reads local files.
 */
export function localFilesIn(line: string, directory: string, conversation: ConversationRef): SharedFile[] {
  const files: SharedFile[] = [];
  for (const word of line.split(/\s+/).map(unquoted)) {
    const written = explicitPath.test(word);
    if (!written && !documentName.test(word)) continue;
    const expanded = word.startsWith('~/') ? resolve(homedir(), word.slice(2)) : word;
    const path = isAbsolute(expanded) ? expanded : resolve(directory, expanded);
    const found = existsSync(path) && statSync(path).isFile();
    // `/help` or `/api/users` is a slash command or a word, not a file: a missing absolute path counts only
    // when it names a document (`/tmp/report.pdf`).
    const missingCommandLike =
      written && !found && word.startsWith('/') && !documentName.test(basename(path));
    // A path written as one is kept even when nothing is there: reading it then says so.
    if ((found || written) && !missingCommandLike)
      files.push({ id: path, name: basename(path), conversation });
  }
  return files;
}

/** The console's files: a local file read from disk within the byte and time limits. */
export function createLocalFiles(): FileCapability {
  return {
    async read(file, limits) {
      if (!existsSync(file.id) || !statSync(file.id).isFile()) {
        throw new DeskmateError('not_found', 'no local file at the path given', {
          userMessage: { en: `There is no file at ${file.id}.`, zh: `找不到文件：${file.id}` },
        });
      }
      const stream = createReadStream(file.id);
      const timer = setTimeout(
        () => stream.destroy(timeoutError(limits.timeoutMilliseconds)),
        limits.timeoutMilliseconds,
      );
      try {
        const bytes = await readWithinLimit(stream, limits.maxBytes, {
          declaredBytes: statSync(file.id).size,
        });
        return { bytes, name: file.name ?? basename(file.id) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
