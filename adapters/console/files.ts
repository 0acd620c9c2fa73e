import { existsSync, writeFileSync } from 'node:fs';
import { join, parse } from 'node:path';
import type { ReplyFile } from '../../src/core/reply';
import type { Language } from '../../src/text/language';

/** What the console says about a file it saved, in the reply's language. */
const savedWording: Record<Language, (path: string) => string> = {
  en: (path) => `Invite file saved: ${path}`,
  zh: (path) => `邀请文件已保存：${path}`,
};

/** Saves the files replies carry (`.ics` invites) in one folder, each once, and says where. */
export interface FileSaver {
  /** Save the file (again only if its content changed) and return the line that says where it is. */
  save(file: ReplyFile, language: Language): string;
}

/**
 * A saver for the folder the person started Deskmate from (`npm start` runs in the project folder and tells
 * the folder it was typed in through INIT_CWD). A name already taken gets a number: nothing is overwritten.
 */
export function createFileSaver(directory: string): FileSaver {
  const saved = new Map<string, string>();
  return {
    save(file, language) {
      const key = `${file.filename}\n${file.content}`;
      let path = saved.get(key);
      if (!path) {
        const { name, ext } = parse(file.filename.replace(/[/\\]/g, '-'));
        path = join(directory, `${name}${ext}`);
        for (let copy = 2; existsSync(path); copy += 1) path = join(directory, `${name} (${copy})${ext}`);
        writeFileSync(path, file.content);
        saved.set(key, path);
      }
      return savedWording[language](path);
    },
  };
}
