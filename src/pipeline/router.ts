import { conversationKey } from '../core/conversation';
import type { InboundMessage } from '../core/inbound-message';
import type { LlmProvider, LlmResult } from '../core/llm-provider';
import type { Logger } from '../core/logger';
import type { Reply } from '../core/reply';
import type { Skill, SkillRequest } from '../core/skill';
import type { StateStore } from '../core/state-store';
import { renderPrompt } from '../prompts/render';
import { normalizeCommandText, withoutTrailingPunctuation } from '../text/command-text';
import { detectLanguage, languageOfTurns } from '../text/language';
import { localDay } from '../text/local-day';
import { removeInvisibleCharacters } from '../text/sanitize';
import { messageLanguage, unreadableNotice } from './unreadable';

/** What picked the skill. */
export type RoutedBy = 'action' | 'command' | 'command_word' | 'file' | 'model' | 'conversation';

/** Where a message goes: a skill to run with its request and validated arguments, or an answer already made. */
export type Route =
  | {
      kind: 'run';
      /** The skill to run. */
      skill: Skill;
      /** How the request reached it; only this router decides that a request is a command. */
      request: SkillRequest;
      /** The model's tool input read by the skill's schema (empty for commands, clicks and conversation). */
      args: Record<string, unknown>;
      /** What picked the skill. */
      routedBy: RoutedBy;
    }
  | {
      kind: 'reply';
      /** The answer, sent instead of running a skill. */
      reply: Reply;
      /** Why no skill runs (logged and counted). */
      reason: 'unknown_button' | 'invalid_arguments' | 'unreadable';
    };

const unknownButton = {
  en: 'That button no longer does anything. Ask me again.',
  zh: '这个按钮已失效，请重新问我。',
};
const unreadableRequest = {
  en: "I couldn't work out how to do that. Try `help` for the commands.",
  zh: '没能理解要怎么处理，试试 `帮助` 查看命令。',
};

/** The arguments of a request that is not the model's: a skill's schema must accept none. */
function noModelArguments(skill: Skill): Record<string, unknown> {
  const parsed = skill.parseArguments({});
  if (!parsed.ok)
    throw new Error(`skill ${skill.name} needs arguments only a model could give: ${parsed.problem}`);
  return parsed.value;
}

/** The skill a name or command word (any case, either language) refers to. */
function findSkill(skills: readonly Skill[], word: string): Skill | undefined {
  const normalized = word.replace(/^\//, '').toLowerCase();
  return skills.find(
    (skill) => skill.name === normalized || skill.commandWords.some((candidate) => candidate === normalized),
  );
}

const firstWordPattern = /^\s*\/?([^\s:：,，]+)[\s:：,，]*([\s\S]*)$/u;

/** Route without a model: buttons, slash commands, and a first word that is a command word. */
export function routeByCommand(message: InboundMessage, skills: readonly Skill[]): Route | undefined {
  if (message.action) {
    // A click names a skill by the button's id: only a skill that posts buttons can be named.
    const skill = skills.find(
      (candidate) => candidate.name === message.action?.skill && candidate.ownsButtons,
    );
    if (!skill) {
      const language = detectLanguage(message.text);
      return {
        kind: 'reply',
        reply: { markdown: unknownButton[language], private: true },
        reason: 'unknown_button',
      };
    }
    const request: SkillRequest = { kind: 'action', action: message.action };
    return { kind: 'run', skill, request, args: noModelArguments(skill), routedBy: 'action' };
  }
  if (message.command) {
    // A bot-menu key no skill knows (a menu set up for another version) gets the help.
    const named = findSkill(skills, message.command.name);
    const skill = named ?? (message.command.menu ? findSkill(skills, 'help') : undefined);
    if (skill) {
      const word = named ? message.command.name.toLowerCase() : 'help';
      const text = named ? message.command.args.trim() : '';
      const request: SkillRequest = { kind: 'command', word, text };
      return { kind: 'run', skill, request, args: noModelArguments(skill), routedBy: 'command' };
    }
  }
  const typed = commandWordOf(message.text, skills);
  if (typed) {
    const { skill, word, rest } = typed;
    const request: SkillRequest = { kind: 'command', word, text: rest };
    return { kind: 'run', skill, request, args: noModelArguments(skill), routedBy: 'command_word' };
  }
  // A file sent to Deskmate without a word (Lark sends a file as a message of its own) is summarized.
  const summarize = skills.find((skill) => skill.name === 'summarize' && skill.readsFiles);
  if (!message.text.trim() && message.files?.length && summarize) {
    const request: SkillRequest = { kind: 'command', word: 'summarize', text: '' };
    return { kind: 'run', skill: summarize, request, args: noModelArguments(summarize), routedBy: 'file' };
  }
  return undefined;
}

/** The skill a text's first word names as a command word (`todo add …`), with the word and the rest. */
export function commandWordOf(
  text: string,
  skills: readonly Skill[],
): { skill: Skill; word: string; rest: string } | undefined {
  // The word is found in the normalized text (`待办　完成`), the rest kept as typed: a text to translate keeps its
  // full-width indents. Normalizing maps one character to one, so positions line up.
  const normalized = normalizeCommandText(text);
  const match = firstWordPattern.exec(normalized);
  const skill = match ? findSkill(skills, match[1]) : undefined;
  if (match && skill) {
    const rest = text.slice(normalized.length - match[2].length).trim();
    return { skill, word: match[1].toLowerCase(), rest };
  }
  // A whole sentence that is a command (`请删除我的数据。`): only exact phrases a skill lists, never a guess.
  const sentence = withoutTrailingPunctuation(normalized);
  const phrased = skills.find((candidate) =>
    candidate.commandPhrases?.some((phrase) => phrase.test(sentence)),
  );
  if (!phrased) return undefined;
  return { skill: phrased, word: phrased.commandWords[0] ?? phrased.name, rest: sentence };
}

/** What model routing needs. */
interface ModelRoutingOptions {
  /** The model. */
  llm: LlmProvider;
  /** Conversation memory, so a conversational answer has context. */
  store: StateStore;
  /** The fallback skill for conversation. */
  chatSkill: Skill;
  /** Current time. */
  now: Date;
  /** Timezone for "today". */
  timezone: string;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Where a refused tool input is logged. */
  logger?: Logger;
  /** How the platform is named to the model (default: the conversation's platform). */
  platformName?: string;
}

/** Route a message: commands first, then the model's tool choice, else conversation. */
export async function routeMessage(
  message: InboundMessage,
  skills: readonly Skill[],
  options: ModelRoutingOptions,
): Promise<Route> {
  const direct = routeByCommand(message, skills);
  if (direct) return direct;
  const conversation = (answer?: LlmResult): Route => ({
    kind: 'run',
    skill: options.chatSkill,
    request: { kind: 'conversation', text: message.text, ...(answer ? { answer } : {}) },
    args: noModelArguments(options.chatSkill),
    routedBy: 'conversation',
  });
  // Nothing to read (an image alone, an empty slash command, a message type not known): never a model call.
  if (removeInvisibleCharacters(message.text).trim().length === 0) {
    if (message.unreadable?.length) {
      const notice = unreadableNotice(message.unreadable, messageLanguage(message));
      return { kind: 'reply', reply: { markdown: notice.alone }, reason: 'unreadable' };
    }
    return conversation();
  }
  const routable = skills.filter((skill) => skill.routable !== false && skill !== options.chatSkill);
  if (!options.llm.configured || routable.length === 0) return conversation();

  const memory = await options.store.turns(conversationKey(message.conversation));
  // `OK` or `👍` in a conversation held in Chinese is answered in Chinese.
  const said = detectLanguage(message.text, languageOfTurns(memory));
  const language = said === 'zh' ? 'Chinese' : 'English';
  const prompt = renderPrompt('route', {
    platform: options.platformName ?? message.conversation.platform,
    today: localDay(options.now, options.timezone),
    timezone: options.timezone,
    language,
  });
  const answer = await options.llm.complete({
    system: prompt.text,
    maxTokens: prompt.maxTokens,
    messages: [
      ...memory.map((turn) => ({ role: turn.role, content: turn.text })),
      { role: 'user' as const, content: message.text },
    ],
    tools: routable.map((skill) => ({
      name: skill.name,
      description: skill.description,
      inputSchema: skill.argumentsSchema,
    })),
    toolChoice: 'auto',
    purpose: 'route',
    scope: {
      workspace: `${message.conversation.platform}:${message.conversation.workspace}`,
      user: message.author.id,
    },
    signal: options.signal,
  });
  const call = answer.toolCalls[0];
  const chosen = call ? routable.find((skill) => skill.name === call.name) : undefined;
  if (!chosen || !call) {
    // An answer the routing call's small output limit cut (or emptied: a reasoning model's thinking, a tool
    // that does not exist) is not shown: the chat skill asks again with its own limit.
    if (answer.text.trim().length === 0 || answer.truncated) {
      options.logger?.info(
        {
          tool: call?.name ? 'unknown' : 'none',
          truncated: answer.truncated,
          outputTokens: answer.usage.outputTokens,
        },
        'routing answer not usable as the reply; answering in conversation',
      );
      return conversation();
    }
    return conversation(answer);
  }
  // The model's input is data for the skill's schema, never a say in how the request is treated.
  const parsed = chosen.parseArguments(call.input);
  if (!parsed.ok) {
    options.logger?.warn(
      { skill: chosen.name, code: 'invalid_tool_input' },
      'model tool input refused by the skill schema',
    );
    const language = detectLanguage(message.text);
    return { kind: 'reply', reply: { markdown: unreadableRequest[language] }, reason: 'invalid_arguments' };
  }
  return {
    kind: 'run',
    skill: chosen,
    request: { kind: 'model', text: message.text },
    args: parsed.value,
    routedBy: 'model',
  };
}
