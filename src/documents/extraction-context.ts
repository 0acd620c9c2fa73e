import type { Deadline } from './deadline';
import type { DocumentNote } from './document';
import type { DocumentLimits } from './limits';
import type { TextBudget } from './text-budget';

/** What every format's reader gets: the limits, the clock, the character budget, and where to leave notes. */
export interface ExtractionContext {
  /** The limits in force. */
  limits: DocumentLimits;
  /** The time limit, and turns for the event loop. */
  deadline: Deadline;
  /** The characters still allowed. */
  budget: TextBudget;
  /** Notes for limits reached (pages, rows), added by the readers. */
  notes: DocumentNote[];
}

/** The note for a document read only up to the page (or slide) limit. */
export function pageLimitNote(total: number, read: number, unit: 'page' | 'slide'): DocumentNote {
  const zhUnit = unit === 'page' ? '页' : '张幻灯片';
  return {
    code: 'page_limit',
    message: {
      en: `This file has ${total} ${unit}s; I read the first ${read} and left the rest out.`,
      zh: `这个文件共 ${total} ${zhUnit}，只读取了前 ${read} ${zhUnit}，其余部分未读取。`,
    },
  };
}
