import type { ChatPlatform, PostedMessageRef, ReplyStream } from './chat-platform';
import type { InboundMessage } from './inbound-message';
import type { LlmProvider } from './llm-provider';
import type { Logger } from './logger';
import type { ReminderScheduler } from './reminder';
import type { Reply } from './reply';
import type { StateStore } from './state-store';

/** How a skill answers: the worker implements it so retried jobs update instead of posting twice. */
export interface Responder {
  /** Send the answer (or replace the placeholder/previous answer of this job). */
  send(reply: Reply): Promise<PostedMessageRef>;
  /** Stream the answer where the platform can; falls back to one message otherwise. */
  stream(): Promise<ReplyStream>;
  /** Show progress: a status line or a placeholder message. */
  progress(status: string): Promise<void>;
}

/** Everything a skill may use; nothing platform-specific. */
export interface SkillContext {
  /** The message being answered. */
  message: InboundMessage;
  /** Arguments chosen by the model (tool input) or parsed from a command. */
  args: Record<string, unknown>;
  /** The platform the message came from. */
  platform: ChatPlatform;
  /** The language model. */
  llm: LlmProvider;
  /** The state store. */
  store: StateStore;
  /** Delivers messages at a set time (todo due dates, meeting reminders). */
  reminders: ReminderScheduler;
  /** Answers the user. */
  respond: Responder;
  /** A logger bound to the job's ids. */
  logger: Logger;
  /** The current time (tests use a fixed clock). */
  now(): Date;
  /** Deployment settings skills read. */
  settings: SkillSettings;
  /** Aborted when the job must stop. */
  signal: AbortSignal;
}

/** Settings skills read. */
export interface SkillSettings {
  /** Timezone for dates when the user's is unknown. */
  defaultTimezone: string;
}

/** A skill's entry in the help text. */
export interface SkillHelp {
  /** One line in English. */
  en: string;
  /** One line in Chinese. */
  zh: string;
  /** Example invocations. */
  examples: string[];
}

/** A capability users reach by command word, slash command, button or model routing. */
export interface Skill {
  /** Canonical name, also the slash command and the model's tool name. */
  readonly name: string;
  /** Words that start the skill without a model call, English and Chinese. */
  readonly commandWords: readonly string[];
  /** What it does, for the help text and the model's tool description. */
  readonly description: string;
  /** JSON schema of the arguments the model may pass. */
  readonly argumentsSchema: Record<string, unknown>;
  /** What the help skill shows for it, in each language. */
  readonly help: SkillHelp;
  /** Whether the model may choose it when routing free text (false for help-only or internal skills). */
  readonly routable?: boolean;
  /** Run for one message; a returned reply is sent by the worker. */
  run(context: SkillContext): Promise<Reply | undefined>;
}
