import type {
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStreamEvent,
  ToolCall,
} from '../../src/core/llm-provider';

/** One scripted answer: text, tool calls, or an error to throw. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: ToolCall[];
  error?: Error;
  /** The output limit cut the answer (a finish reason of `length` / `max_tokens`). */
  truncated?: boolean;
}

/** A scripted reply, or a function of the request that makes one. */
export type ScriptedAnswer = ScriptedReply | ((request: LlmRequest) => ScriptedReply);

/** A hand-written recording LlmProvider: answers from a script and records every request. */
export class ScriptedLlm implements LlmProvider {
  readonly name = 'scripted';
  readonly configured = true;
  readonly requests: LlmRequest[] = [];
  private readonly script: ScriptedAnswer[];
  private readonly fallback: ScriptedAnswer;

  constructor(script: ScriptedAnswer[] = [], fallback: ScriptedAnswer = { text: 'ok' }) {
    this.script = [...script];
    this.fallback = fallback;
  }

  private next(request: LlmRequest): LlmResult {
    this.requests.push(request);
    const scripted = this.script.shift() ?? this.fallback;
    const answer = typeof scripted === 'function' ? scripted(request) : scripted;
    if (answer.error) throw answer.error;
    const text = answer.text ?? '';
    const toolCalls = answer.toolCalls ?? [];
    return {
      text,
      toolCalls,
      stopReason: answer.truncated ? 'max_tokens' : toolCalls.length > 0 ? 'tool_use' : 'end_turn',
      truncated: answer.truncated ?? false,
      usage: { inputTokens: 10, outputTokens: text.length },
      model: 'scripted-model',
      latencyMs: 1,
    };
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    return this.next(request);
  }

  async *stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    const result = this.next(request);
    for (const word of result.text.split(/(?<= )/)) yield { type: 'text', text: word };
    yield { type: 'done', result };
  }
}
