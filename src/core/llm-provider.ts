/** A tool the model may call: name, description and JSON schema of its input. */
export interface ToolSpec {
  /** Tool name (letters, digits, `_`, `-`). */
  name: string;
  /** What the tool does, for the model. */
  description: string;
  /** JSON schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

/** A tool call the model made. */
export interface ToolCall {
  /** The provider's id for the call, echoed in the tool result. */
  id: string;
  /** Which tool. */
  name: string;
  /** Parsed input. */
  input: Record<string, unknown>;
}

/** One block of a message to or from the model. */
export type LlmContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; call: ToolCall }
  | { type: 'tool_result'; toolUseId: string; content: string; isError?: boolean };

/** A message in a model conversation. */
export interface LlmMessage {
  /** Who said it. */
  role: 'user' | 'assistant';
  /** Text, or blocks for tool use. */
  content: string | LlmContentBlock[];
}

/** Who a call is for, for usage accounting and budgets. */
export interface UsageScope {
  /** Platform and workspace (`slack:T123`). */
  workspace: string;
  /** Platform user id. */
  user: string;
}

/** A request to the model. */
export interface LlmRequest {
  /** System prompt. */
  system?: string;
  /** The conversation so far, ending with the user's turn. */
  messages: LlmMessage[];
  /** Output cap. */
  maxTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Tools offered; none means the model can only answer in text. */
  tools?: ToolSpec[];
  /** Whether the model must call a tool. */
  toolChoice?: 'auto' | 'any' | { name: string };
  /** The skill making the call, for per-skill models and accounting. */
  purpose?: string;
  /** Who the call is for. */
  scope?: UsageScope;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Token counts of one call. */
export interface TokenUsage {
  /** Tokens sent. */
  inputTokens: number;
  /** Tokens generated. */
  outputTokens: number;
}

/** Why the model stopped. */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'content_filtered';

/** The model's answer. */
export interface LlmResult {
  /** The text of the answer (may be empty when it only called tools). */
  text: string;
  /** Tool calls, in order. */
  toolCalls: ToolCall[];
  /** Why it stopped. */
  stopReason: StopReason;
  /** True when the output cap cut the answer short. */
  truncated: boolean;
  /** Token counts. */
  usage: TokenUsage;
  /** The model id that answered. */
  model: string;
  /** Wall time of the call in milliseconds. */
  latencyMs: number;
}

/** A piece of a streamed answer; the last one is `done` with the whole result. */
export type LlmStreamEvent = { type: 'text'; text: string } | { type: 'done'; result: LlmResult };

/** A language model: Bedrock, an OpenAI-compatible endpoint, or the offline stand-in. */
export interface LlmProvider {
  /** Provider name for logs and metrics (`bedrock`, `openai`, `offline`). */
  readonly name: string;
  /** False for the offline stand-in: callers should not expect real answers. */
  readonly configured: boolean;
  /**
   * Why the offline stand-in is used: no model is configured (`not_configured`, the default), or this run was
   * asked to go without one (`offline_run`: the admin picked it). Wrappers pass it on.
   */
  readonly offlineReason?: 'not_configured' | 'offline_run';
  /** One answer, whole. */
  complete(request: LlmRequest): Promise<LlmResult>;
  /** One answer, piece by piece. Throws `LlmError` (with any partial text) on failure. */
  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent>;
}
