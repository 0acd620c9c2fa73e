import type { DocumentNote } from './document';

/** The characters still allowed from one file; once spent, the rest of the file is dropped with a note. */
export class TextBudget {
  private remaining: number;
  /** Set once the limit was reached. */
  exhausted = false;

  constructor(private readonly maxCharacters: number) {
    this.remaining = maxCharacters;
  }

  /** The part of `text` that fits (all of it, a cut prefix, or '' once exhausted). */
  take(text: string): string {
    if (this.exhausted) return '';
    if (text.length <= this.remaining) {
      this.remaining -= text.length;
      return text;
    }
    const kept = text.slice(0, this.remaining);
    this.remaining = 0;
    this.exhausted = true;
    return kept;
  }

  /** The note to add when the limit was reached. */
  note(): DocumentNote | undefined {
    if (!this.exhausted) return undefined;
    const limit = this.maxCharacters.toLocaleString('en-US');
    return {
      code: 'character_limit',
      message: {
        en: `This file is long: I read its first ${limit} characters and left the rest out.`,
        zh: `这个文件较长：只读取了前 ${limit} 个字符，其余部分未读取。`,
      },
    };
  }
}
