import { requestText, type Skill } from '../../src/core/skill';
import { noArguments } from '../../src/skills/arguments';

const testHelp = { en: 'Test skill.', zh: '测试。', examples: [] };

/** A skill that asks with two buttons, and says which one was clicked. */
export const confirmSkill: Skill = {
  name: 'confirm',
  commandWords: ['confirm'],
  description: 'Ask for a confirmation (tests).',
  ownsButtons: true,
  ...noArguments,
  help: testHelp,
  routable: false,
  async run(context) {
    const action = context.message.action;
    if (action) {
      return {
        markdown: `Clicked *${action.action}* with ${action.value} by ${context.message.author.name ?? context.message.author.id}`,
      };
    }
    return {
      markdown: 'Create this todo?',
      buttons: [
        { label: 'Create', skill: 'confirm', action: 'create', value: '{"id":"t1"}', style: 'primary' },
        { label: 'Cancel', skill: 'confirm', action: 'cancel', value: 'no' },
      ],
    };
  },
};

/** A skill that repeats the request and adds mass mentions a careless model might write. */
export const echoSkill: Skill = {
  name: 'echo',
  commandWords: ['echo'],
  description: 'Repeat the text (tests).',
  ...noArguments,
  help: testHelp,
  routable: false,
  async run(context) {
    return {
      markdown: `You said: ${requestText(context.request)}. Heads up <!channel> <!here|here> <!everyone> @channel @here`,
      notify: [context.message.author.id],
    };
  },
};
