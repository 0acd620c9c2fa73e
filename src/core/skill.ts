import type { ChatPlatform, PostedMessageRef, ReplyStream } from './chat-platform';
import type { ConversationRef } from './conversation';
import type { Embedder } from './embedder';
import type { ActionInvocation, InboundMessage } from './inbound-message';
import type { KnowledgeIndex, KnowledgePrincipal } from './knowledge-index';
import type { LlmProvider, LlmResult } from './llm-provider';
import type { Logger } from './logger';
import type { ReminderScheduler } from './reminder';
import type { Reply } from './reply';
import type { Reranker } from './reranker';
import type { LinkedDocument } from './shared-file';
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

/**
 * How a request reached its skill. Only the router builds it, from what the person did: nothing a model
 * returns can turn a request into a command.
 */
export type SkillRequest =
  /** The person typed a command word or slash command: complete arguments are their own confirmation. */
  | { kind: 'command'; word: string; text: string }
  /** The model chose the skill for free text: every side effect waits for the requester's click. */
  | { kind: 'model'; text: string }
  /** A click on one of the skill's buttons. */
  | { kind: 'action'; action: ActionInvocation }
  /** Conversation; the routing call's own answer when it already gave one. */
  | { kind: 'conversation'; text: string; answer?: LlmResult };

/** The text a request carries (after a command word; the whole message otherwise; empty for a click). */
export function requestText(request: SkillRequest): string {
  return request.kind === 'action' ? '' : request.text;
}

/** Reading a conversation for the requester: membership first, and replies kept where the source's readers are. */
export interface SourceAccess {
  /**
   * Let the requester read the conversation, before anything of it is read: throws a `forbidden` error
   * (answered privately) when they are not a member. When the place the answer goes has readers the
   * conversation has not, the job's answers go privately to the requester from then on, saying why.
   */
  allow(conversation: ConversationRef): Promise<void>;
  /**
   * Let the requester read something shared in several conversations (a file linked by its permalink): the
   * first of them they are a member of is allowed as `allow` would, and returned; none throws `forbidden`.
   */
  allowOneOf(conversations: readonly ConversationRef[]): Promise<ConversationRef>;
  /**
   * Let the requester read a linked document (a Lark Doc), before anything of it is read: only when its
   * sharing lets the whole workspace read it or they are one of its members; otherwise `forbidden`, saying
   * why. An answer from a members-only document goes privately to the requester, as for conversations.
   */
  allowDocument(document: LinkedDocument): Promise<void>;
}

/** What a skill changed in the world, for the audit trail: kinds and ids, never text. */
export interface SideEffects {
  /** Record that the skill created, closed or deleted something (`todo` `#12`, `calendar_event` `ev_1`). */
  record(action: 'created' | 'closed' | 'deleted', kind: string, id: string): void;
}

/** Everything a skill may use; nothing platform-specific. */
export interface SkillContext<Arguments = Record<string, unknown>> {
  /** The message being answered. */
  message: InboundMessage;
  /** How the request reached the skill (command, model, click, conversation). */
  request: SkillRequest;
  /** The model's tool input, read by the skill's own schema (empty unless the model chose the skill). */
  args: Arguments;
  /** The platform the message came from; its `history` checks access first. */
  platform: ChatPlatform;
  /** Membership checks and reply visibility for what the skill reads. */
  access: SourceAccess;
  /** Where the skill records what it created, closed or deleted (the audit trail). */
  effects: SideEffects;
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
  /** The knowledge base, when one is configured. */
  knowledge?: SkillKnowledge;
}

/** The knowledge base a deployment has: the index and, when configured, the embedder. */
export type KnowledgeBase = Omit<SkillKnowledge, 'principals'>;

/** The knowledge base as a skill sees it: the index, embeddings when configured, and what the asker may read here. */
export interface SkillKnowledge {
  /** The index of the company's documents. */
  index: KnowledgeIndex;
  /** Embeds chunks and questions when an embedding model is configured; keyword search only otherwise. */
  embed?: Embedder;
  /** Reorders more candidates than are sent when a rerank model is configured; the index's order otherwise. */
  rerank?: Reranker;
  /** How far the knowledge folder's pass under way is (its jobs finished of those queued); undefined when none runs. */
  folderProgress?(): Promise<{ finished: number; jobs: number } | undefined>;
  /**
   * The principals the requester holds for the place this job's answer goes (decided by the pipeline's
   * knowledge access, checked through the platform): a search must name exactly these.
   */
  principals(): Promise<KnowledgePrincipal[]>;
}

/** Settings skills read. */
export interface SkillSettings {
  /** Timezone for dates when the user's is unknown. */
  defaultTimezone: string;
  /** How long what skills store is kept (the defaults when absent). */
  retention?: RetentionSettings;
}

/** How long what skills store is kept. */
export interface RetentionSettings {
  /** Conversation memory, after its last turn. */
  memorySeconds: number;
  /** A cached summary. */
  summarySeconds: number;
  /** A todo once it is done. */
  doneTodoSeconds: number;
  /** Daily usage records, in days. */
  usageDays: number;
}

/** A skill's entry in the help text. */
export interface SkillHelp {
  /** One line in English. */
  en: string;
  /** One line in Chinese. */
  zh: string;
  /** Example invocations. */
  examples: string[];
  /** What needs a language model: the whole skill (`true`), or these of its examples; help marks them. */
  needsModel?: true | string[];
}

/** The model's tool input as a skill's schema read it, or what was wrong with it. */
export type ParsedArguments<Arguments> = { ok: true; value: Arguments } | { ok: false; problem: string };

/** A capability users reach by command word, slash command, button or model routing. */
export interface Skill<Arguments = Record<string, unknown>> {
  /** Canonical name, also the slash command and the model's tool name. */
  readonly name: string;
  /** Words that start the skill without a model call, English and Chinese. */
  readonly commandWords: readonly string[];
  /**
   * Whole messages that are this skill's command though their first word is no command word (`请删除我的数据。`,
   * `delete my data`): tested on the message without its trailing punctuation; the skill gets it as the command's
   * text, under its first command word.
   */
  readonly commandPhrases?: readonly RegExp[];
  /** What it does, for the help text and the model's tool description. */
  readonly description: string;
  /** JSON schema of the arguments the model may pass. */
  readonly argumentsSchema: Record<string, unknown>;
  /** Read the model's tool input with the skill's schema; unknown keys are refused. */
  parseArguments(input: unknown): ParsedArguments<Arguments>;
  /** What the help skill shows for it, in each language. */
  readonly help: SkillHelp;
  /** Whether the model may choose it when routing free text (false for help-only or internal skills). */
  readonly routable?: boolean;
  /** Whether the skill posts buttons: only such a skill can be named by a click. */
  readonly ownsButtons?: boolean;
  /** Whether the skill reads the files shared with a message (others' answers say they did not). */
  readonly readsFiles?: boolean;
  /** Run for one message; a returned reply is sent by the worker. */
  run(context: SkillContext<Arguments>): Promise<Reply | undefined>;
}
