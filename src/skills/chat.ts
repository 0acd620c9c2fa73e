import { conversationKey } from '../core/conversation';
import type { LlmResult } from '../core/llm-provider';
import { textReply } from '../core/reply';
import type { Skill, SkillContext } from '../core/skill';
import { renderPrompt } from '../prompts/render';
import { detectLanguage } from '../text/language';
import { rememberExchange, streamAnswer, usageScope } from './answer';

const greeting = {
  en: 'Hi! Ask me anything, or try `help` to see what I can do.',
  zh: '你好！有什么可以帮你？发送 `帮助` 查看我能做什么。',
};

function isLlmResult(value: unknown): value is LlmResult {
  return typeof value === 'object' && value !== null && typeof (value as LlmResult).text === 'string';
}

/** Create the chat skill: multi-turn conversation with memory from the store. */
export function createChatSkill(): Skill {
  return {
    name: 'chat',
    commandWords: [],
    description: 'Talk with Deskmate about anything.',
    argumentsSchema: { type: 'object', properties: { text: { type: 'string' } } },
    help: { en: 'Conversation.', zh: '对话。', examples: [] },
    routable: false,
    async run(context: SkillContext) {
      const { message } = context;
      const text = String(context.args.text ?? message.text).trim();
      const language = detectLanguage(text);
      if (text.length === 0) return textReply(greeting[language]);
      const key = conversationKey(message.conversation);
      const at = context.now().toISOString();
      let answerText: string;
      if (isLlmResult(context.args.answer)) {
        // The routing call already answered in conversation: no second model call.
        answerText = context.args.answer.text;
        await context.respond.send(textReply(answerText));
      } else {
        const memory = await context.store.turns(key);
        const prompt = renderPrompt('chat', {
          userName: message.author.name ?? 'a colleague',
          platform: message.conversation.platform,
          today: at.slice(0, 10),
          timezone: message.author.timezone ?? context.settings.defaultTimezone,
          language: language === 'zh' ? 'Chinese (简体中文)' : 'English',
        });
        answerText = await streamAnswer(context, {
          system: prompt.text,
          maxTokens: prompt.maxTokens,
          messages: [
            ...memory.map((turn) => ({ role: turn.role, content: turn.text })),
            { role: 'user' as const, content: text },
          ],
          purpose: 'chat',
          scope: usageScope(message),
        });
      }
      await rememberExchange(context, 'chat', text, answerText);
      return undefined;
    },
  };
}
