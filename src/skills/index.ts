import type { Skill } from '../core/skill';
import type { DocumentLimits } from '../documents/limits';
import { createAskSkill } from './ask';
import { createChatSkill } from './chat';
import { createDraftSkill } from './draft';
import { createForgetSkill } from './forget';
import { createHelpSkill } from './help';
import { createKbSkill } from './knowledge';
import { createScheduleSkill } from './schedule';
import { createSummarizeSkill, type SummarizeOptions } from './summarize';
import { createTodoSkill } from './todo';

/** Options for the skills that take any. */
export interface SkillOptions {
  /** Summary budgets. */
  summarize?: SummarizeOptions;
  /** Limits for reading shared files and documents (the DOCUMENT_* settings). */
  documents?: Partial<DocumentLimits>;
}

/** Every skill Deskmate offers, in the order the help lists them. */
export function createSkills(options: SkillOptions = {}): Skill[] {
  const skills: Skill[] = [];
  skills.push(
    createSummarizeSkill({ documents: options.documents, ...options.summarize }),
    createAskSkill({ documents: options.documents }),
    createKbSkill({ documents: options.documents }),
    createDraftSkill(),
    createTodoSkill(),
    createScheduleSkill(),
    createForgetSkill(),
    createHelpSkill(() => skills),
    createChatSkill(),
  );
  return skills;
}
