import { conversationKey } from '../core/conversation';
import { textReply } from '../core/reply';
import { requestText, type Skill } from '../core/skill';
import { renderPrompt } from '../prompts/render';
import { detectLanguage, languageOfTurns } from '../text/language';
import { localDay } from '../text/local-day';
import { modelNeeded } from '../text/messages';
import { removeInvisibleCharacters } from '../text/sanitize';
import { rememberExchange, streamAnswer, usageScope } from './answer';
import { noArguments } from './arguments';

const greeting = {
  en: 'Hi! Ask me anything, or try `help` to see what I can do.',
  zh: '你好！有什么可以帮你？发送 `帮助` 查看我能做什么。',
};

const freeForm = { en: 'Answering in your own words', zh: '自由提问' };
const commandsWork = {
  en: 'Commands that need none still work: try `help`.',
  zh: '不需要模型的命令仍可使用：试试 `帮助`。',
};

/** Create the chat skill: multi-turn conversation with memory from the store. */
export function createChatSkill(): Skill {
  return {
    name: 'chat',
    commandWords: [],
    description: 'Talk with Deskmate about anything.',
    ...noArguments,
    help: { en: 'Conversation.', zh: '对话。', examples: [] },
    routable: false,
    async run(context) {
      const { message, request } = context;
      const text = (requestText(request) || message.text).trim();
      if (request.kind === 'conversation' && request.answer) {
        // The routing call already answered in conversation (having read the memory): no second model call.
        await context.respond.send(textReply(request.answer.text));
        await rememberExchange(context, 'chat', text, request.answer.text);
        return undefined;
      }
      const memory = await context.store.turns(conversationKey(message.conversation));
      // `OK` or `👍` in a conversation held in Chinese is answered in Chinese.
      const language = detectLanguage(text, languageOfTurns(memory));
      // A message of only invisible characters (U+200B) is nothing to send a model.
      if (removeInvisibleCharacters(text).trim().length === 0) return textReply(greeting[language]);
      if (!context.llm.configured)
        return textReply(`${modelNeeded(freeForm, language)} ${commandsWork[language]}`);
      const timezone = message.author.timezone ?? context.settings.defaultTimezone;
      const prompt = renderPrompt('chat', {
        userName: message.author.name ?? 'a colleague',
        platform: context.platform.displayName ?? message.conversation.platform,
        today: localDay(context.now(), timezone),
        timezone,
        language: language === 'zh' ? 'Chinese (简体中文)' : 'English',
      });
      const answerText = await streamAnswer(context, {
        system: prompt.text,
        maxTokens: prompt.maxTokens,
        messages: [
          ...memory.map((turn) => ({ role: turn.role, content: turn.text })),
          { role: 'user' as const, content: text },
        ],
        purpose: 'chat',
        scope: usageScope(message),
      });
      await rememberExchange(context, 'chat', text, answerText);
      return undefined;
    },
  };
}
