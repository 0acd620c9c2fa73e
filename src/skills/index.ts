import type { Skill } from '../core/skill';
import { createChatSkill } from './chat';
import { createHelpSkill } from './help';

/** Every skill Deskmate offers, in the order the help lists them. */
export function createSkills(): Skill[] {
  const skills: Skill[] = [];
  skills.push(
    createHelpSkill(() => skills),
    createChatSkill(),
  );
  return skills;
}
