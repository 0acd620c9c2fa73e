import { textReply } from '../core/reply';
import type { Skill, SkillContext } from '../core/skill';
import { detectLanguage } from '../text/language';
import { noArguments } from './arguments';

const intro = {
  en: '**Deskmate** is your office assistant. Mention me in a channel, message me directly, or use a slash command:',
  zh: '**Deskmate** 是你的办公助手。在群里 @我、私聊我，或使用斜杠命令：',
};
const freeText = {
  en: 'Anything else: just ask in your own words, in English or Chinese.',
  zh: '其他需求直接用中文或英文说就行。',
};
const noModel = {
  en: '_No language model is configured yet: commands work, free-form questions need a model (LLM_PROVIDER)._',
  zh: '_尚未配置语言模型：命令可用，自由提问需要配置模型（LLM_PROVIDER）。_',
};

/** Create the help skill: lists the skills and their commands in the asker's language. */
export function createHelpSkill(listSkills: () => readonly Skill[]): Skill {
  return {
    name: 'help',
    commandWords: ['help', '帮助', '?', '？'],
    description: 'Explain what Deskmate can do and list its commands.',
    ...noArguments,
    help: { en: 'Show this help.', zh: '显示本帮助。', examples: ['help', '帮助'] },
    routable: true,
    async run(context: SkillContext) {
      const language = detectLanguage(context.message.text);
      const lines = listSkills()
        .filter((skill) => skill.name !== 'chat')
        .map((skill) => {
          // The main word in each language; the others still work.
          const english = skill.commandWords.find((word) => /^[a-z]/i.test(word));
          const chinese = skill.commandWords.find((word) => /\p{Script=Han}/u.test(word));
          const words = [english, chinese].filter(Boolean).map((word) => `\`${word}\``);
          const examples = skill.help.examples
            .filter((example) => !skill.commandWords.includes(example))
            .map((example) => `\`${example}\``)
            .join(', ');
          return `• ${words.join(' / ')}: ${skill.help[language]}${examples ? ` (${examples})` : ''}`;
        });
      const parts = [intro[language], ...lines, '', freeText[language]];
      if (!context.llm.configured) parts.push(noModel[language]);
      return textReply(parts.join('\n'));
    },
  };
}
