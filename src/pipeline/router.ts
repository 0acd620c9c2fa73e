import { conversationKey } from '../core/conversation';
import type { InboundMessage } from '../core/inbound-message';
import type { LlmProvider, LlmResult } from '../core/llm-provider';
import type { Skill } from '../core/skill';
import type { StateStore } from '../core/state-store';
import { renderPrompt } from '../prompts/render';
import { detectLanguage } from '../text/language';

/** Where a message goes: the skill, its arguments, and what decided it. */
export interface Route {
  /** The skill to run. */
  skill: Skill;
  /** Its arguments (`text` for commands; the tool input for model routing). */
  args: Record<string, unknown>;
  /** What picked the skill. */
  routedBy: 'action' | 'command' | 'command_word' | 'model' | 'conversation';
  /** The routing call's own answer, when the model answered instead of choosing a skill. */
  answer?: LlmResult;
}

/** The skill a name or command word (any case, either language) refers to. */
export function findSkill(skills: readonly Skill[], word: string): Skill | undefined {
  const normalized = word.replace(/^\//, '').toLowerCase();
  return skills.find(
    (skill) => skill.name === normalized || skill.commandWords.some((candidate) => candidate === normalized),
  );
}

const firstWordPattern = /^\s*\/?([^\s:：,，]+)[\s:：,，]*([\s\S]*)$/u;

/** Route without a model: buttons, slash commands, and a first word that is a command word. */
export function routeByCommand(message: InboundMessage, skills: readonly Skill[]): Route | undefined {
  if (message.action) {
    const skill = findSkill(skills, message.action.skill);
    return skill ? { skill, args: { ...message.action }, routedBy: 'action' } : undefined;
  }
  if (message.command) {
    const skill = findSkill(skills, message.command.name);
    if (skill) {
      return {
        skill,
        args: { text: message.command.args.trim(), commandWord: message.command.name.toLowerCase() },
        routedBy: 'command',
      };
    }
  }
  const match = firstWordPattern.exec(message.text);
  if (match) {
    const skill = findSkill(skills, match[1]);
    if (skill) {
      return {
        skill,
        args: { text: match[2].trim(), commandWord: match[1].toLowerCase() },
        routedBy: 'command_word',
      };
    }
  }
  return undefined;
}

/** What model routing needs. */
export interface ModelRoutingOptions {
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
}

/** Route a message: commands first, then the model's tool choice, else conversation. */
export async function routeMessage(
  message: InboundMessage,
  skills: readonly Skill[],
  options: ModelRoutingOptions,
): Promise<Route> {
  const direct = routeByCommand(message, skills);
  if (direct) return direct;
  const conversation: Route = {
    skill: options.chatSkill,
    args: { text: message.text },
    routedBy: 'conversation',
  };
  const routable = skills.filter((skill) => skill.routable !== false && skill !== options.chatSkill);
  if (!options.llm.configured || routable.length === 0) return conversation;

  const language = detectLanguage(message.text) === 'zh' ? 'Chinese' : 'English';
  const prompt = renderPrompt('route', {
    platform: message.conversation.platform,
    today: options.now.toISOString().slice(0, 10),
    timezone: options.timezone,
    language,
  });
  const memory = await options.store.turns(conversationKey(message.conversation));
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
  if (chosen && call) {
    return { skill: chosen, args: { text: message.text, ...call.input }, routedBy: 'model' };
  }
  return { ...conversation, answer };
}
