import { textReply } from '../core/reply';
import type { Skill, SkillContext } from '../core/skill';
import { detectLanguage } from '../text/language';
import { noArguments } from './arguments';

const intro = {
  en: '**Deskmate** is your office assistant. Mention me in a channel, message me directly, or use a slash command:',
  zh: '**Deskmate** 是你的办公助手。在群里 @我、私聊我，或使用斜杠命令：',
};
const consoleIntro = {
  en: '**Deskmate** is your office assistant. Type a command, or ask in your own words; `/click <number>` presses a button on a card:',
  zh: '**Deskmate** 是你的办公助手。输入命令，或直接提问；`/click <编号>` 点击卡片上的按钮：',
};
const freeText = {
  en: 'Anything else: just ask in your own words, in English or Chinese.',
  zh: '其他需求直接用中文或英文说就行。',
};
const noModel = {
  en: '_No language model is configured yet: what is marked “needs a model”, and questions in your own words, need one. An admin can set LLM_PROVIDER=bedrock (with BEDROCK_MODEL_ID and AWS_REGION) or LLM_PROVIDER=openai (with OPENAI_BASE_URL and OPENAI_MODEL)._',
  zh: '_尚未配置语言模型：标有“需要模型”的功能和自由提问需要模型。管理员可设置 LLM_PROVIDER=bedrock（以及 BEDROCK_MODEL_ID 和 AWS_REGION）或 LLM_PROVIDER=openai（以及 OPENAI_BASE_URL 和 OPENAI_MODEL）。_',
};
const needsModel = { en: 'needs a model', zh: '需要模型' };

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
      // Without a model, what needs one is marked: the whole command, or the examples that do.
      const offline = !context.llm.configured;
      const mark = `(${needsModel[language]})`;
      const lines = listSkills()
        .filter((skill) => skill.name !== 'chat')
        .map((skill) => {
          // The main word in each language; the others still work.
          const english = skill.commandWords.find((word) => /^[a-z]/i.test(word));
          const chinese = skill.commandWords.find((word) => /\p{Script=Han}/u.test(word));
          const words = [english, chinese].filter(Boolean).map((word) => `\`${word}\``);
          const modelOnly = skill.help.needsModel;
          // The examples in the asker's language (both still work); all of them when a skill has none in it.
          const shown = skill.help.examples.filter((example) => !skill.commandWords.includes(example));
          const inLanguage = shown.filter(
            (example) => /\p{Script=Han}/u.test(example) === (language === 'zh'),
          );
          const examples = (inLanguage.length > 0 ? inLanguage : shown)
            .map((example) => {
              const marked = offline && Array.isArray(modelOnly) && modelOnly.includes(example);
              return `\`${example}\`${marked ? ` ${mark}` : ''}`;
            })
            .join(', ');
          const whole = offline && modelOnly === true ? ` ${mark}` : '';
          return `• ${words.join(' / ')}${whole}: ${skill.help[language]}${examples ? ` (${examples})` : ''}`;
        });
      // The console is a terminal: no channels to mention anyone in, and buttons are pressed by number.
      const opening = context.message.conversation.platform === 'console' ? consoleIntro : intro;
      const parts = [opening[language], ...lines, '', freeText[language]];
      if (offline) parts.push(noModel[language]);
      return textReply(parts.join('\n'));
    },
  };
}
