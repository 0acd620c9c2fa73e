import { z } from 'zod';
import { conversationKey } from '../core/conversation';
import type { LlmMessage } from '../core/llm-provider';
import { requestText, type Skill } from '../core/skill';
import type { ConversationTurn } from '../core/state-store';
import { estimateTokens } from '../llm/token-estimator';
import { renderPrompt } from '../prompts/render';
import { detectLanguage } from '../text/language';
import { modelNeeded } from '../text/messages';
import { rememberExchange, streamAnswer, usageScope } from './answer';
import { toolArguments } from './arguments';

/** What the user wants done with text. */
export type DraftMode = (typeof draftModes)[number];

const draftModes = ['draft', 'rewrite', 'polish', 'translate', 'continue'] as const;

/** What the model may pass the draft skill. */
type DraftArguments = { mode?: DraftMode | null; instruction?: string | null; refine?: boolean | null };

const modeWords: Record<DraftMode, string[]> = {
  draft: ['draft', 'write', '起草', '撰写', '写'],
  rewrite: ['rewrite', 'rephrase', '改写', '重写'],
  polish: ['polish', 'proofread', '润色', '校对'],
  translate: ['translate', '翻译'],
  continue: ['continue', '续写'],
};

const missingSource = {
  en: 'Give me the text to work on: quote it after the command (e.g. `polish "…"`), or reply to the message with the command.',
  zh: '请提供要处理的文字：在命令后用引号给出（例如 `润色 “…”`），或者回复那条消息并附上命令。',
};
const reworkNames = {
  en: { rewrite: 'rewrite', polish: 'polish', translate: 'translate' } as Record<string, string>,
  zh: { rewrite: '改写', polish: '润色', translate: '翻译' } as Record<string, string>,
};
const tooLongToRework = {
  en: (mode: string, parts: number) =>
    `This text is too long to ${reworkNames.en[mode] ?? 'rework'} in one answer: the result would be cut off. Send it in ${parts} parts, one at a time.`,
  zh: (mode: string, parts: number) =>
    `这段文字太长，一次回答无法完整${reworkNames.zh[mode] ?? '处理'}，结果会被截断。请分成 ${parts} 段，逐段发送。`,
};
const missingBrief = {
  en: 'Tell me what to write, e.g. `draft an announcement that the office is closed Friday, friendly`.',
  zh: '请说明要写什么，例如 `起草 通知大家周五办公室关闭，语气友好`。',
};

const drafting = { en: 'Drafting', zh: '起草和改写' };

/** The draft mode a command word selects. */
export function draftModeFor(word: string | undefined): DraftMode {
  const normalized = (word ?? '').toLowerCase();
  const found = (Object.keys(modeWords) as DraftMode[]).find((mode) => modeWords[mode].includes(normalized));
  return found ?? 'draft';
}

/** Text quoted in the request: "…", “…”, 「…」, a fenced block or `>` lines. Returns the quote and the rest. */
export function splitQuoted(text: string): { quoted?: string; rest: string } {
  const patterns = [/```[a-z]*\n?([\s\S]+?)```/i, /"([\s\S]{2,}?)"/, /“([\s\S]{2,}?)”/, /「([\s\S]{2,}?)」/];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match)
      return { quoted: match[1].trim(), rest: text.replace(match[0], ' ').replace(/\s+/g, ' ').trim() };
  }
  const lines = text.split('\n');
  const quoteLines = lines.filter((line) => line.startsWith('>'));
  if (quoteLines.length > 0) {
    return {
      quoted: quoteLines.map((line) => line.replace(/^>\s?/, '')).join('\n'),
      rest: lines
        .filter((line) => !line.startsWith('>'))
        .join(' ')
        .trim(),
    };
  }
  return { rest: text.trim() };
}

function lastDraft(turns: ConversationTurn[]): ConversationTurn | undefined {
  return [...turns].reverse().find((turn) => turn.role === 'assistant' && turn.skill === 'draft');
}

/** Create the draft skill: write, rewrite, polish, translate and continue text, refined over turns. */
export function createDraftSkill(): Skill<DraftArguments> {
  return {
    name: 'draft',
    commandWords: Object.values(modeWords)
      .flat()
      .filter((word) => word !== '写'),
    description:
      'Write a draft from a brief, or rewrite, polish, translate or continue given text. Also use it for follow-ups that refine the previous draft in this thread ("shorter", "more formal", "用中文").',
    ...toolArguments({
      mode: z.enum(draftModes).nullish().describe('What to do with the text.'),
      instruction: z
        .string()
        .max(20_000)
        .nullish()
        .describe('The brief, or how to change the previous draft.'),
      refine: z.boolean().nullish().describe('True when the user asks to change the previous draft.'),
    }),
    help: {
      en: 'Write a draft from a brief, or rewrite, polish, translate or continue text; reply "shorter", "more formal"… to refine it.',
      zh: '根据要求起草文字，或改写、润色、翻译、续写；回复“短一点”“更正式”等继续修改。',
      examples: [
        'draft an announcement that the office is closed Friday, friendly',
        'translate "…"',
        '起草 周五办公室关闭的通知，语气友好',
        '润色 “…”',
        '翻译 “…”',
      ],
      needsModel: true,
    },
    async run(context) {
      const { message, args } = context;
      const command = context.request.kind === 'command' ? context.request : undefined;
      const mode = args.mode ?? draftModeFor(command?.word);
      const request = (args.instruction ?? (requestText(context.request) || message.text)).trim();
      const language = detectLanguage(message.text);
      if (!context.llm.configured) return { markdown: modelNeeded(drafting, language) };
      const { quoted, rest } = splitQuoted(request);
      const source = quoted ?? message.quoted;
      const key = conversationKey(message.conversation);
      const memory = await context.store.turns(key);
      const previous = lastDraft(memory);
      const refining = Boolean(previous) && (args.refine === true || (!command && !source));

      const prompt = renderPrompt('draft', {
        task: renderPrompt(`draft-task-${refining ? 'refine' : mode}`, {}).text,
        language: language === 'zh' ? 'Chinese (简体中文)' : 'English',
      });
      const messages: LlmMessage[] = [];
      if (refining && previous) {
        messages.push(
          { role: 'user', content: 'Write the draft.' },
          { role: 'assistant', content: previous.text },
          { role: 'user', content: `Change the draft: ${rest || request}` },
        );
      } else if (mode === 'draft') {
        if (!rest && !source) return { markdown: missingBrief[language] };
        const material = source ? `\n\n<source>\n${source}\n</source>` : '';
        messages.push({ role: 'user', content: `${rest}${material}` });
      } else {
        if (!source) return { markdown: missingSource[language] };
        // A rewrite or translation is about as long as its text: one past the output limit would come back cut.
        const parts = Math.ceil(estimateTokens(source) / (prompt.maxTokens * 0.8));
        if (mode !== 'continue' && parts > 1) return { markdown: tooLongToRework[language](mode, parts) };
        messages.push({ role: 'user', content: `${rest || mode}\n\n<source>\n${source}\n</source>` });
      }

      const answer = await streamAnswer(context, {
        system: prompt.text,
        maxTokens: prompt.maxTokens,
        messages,
        purpose: 'draft',
        scope: usageScope(message),
      });
      await rememberExchange(context, 'draft', request, answer);
      return undefined;
    },
  };
}
