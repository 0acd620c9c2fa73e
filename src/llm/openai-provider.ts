import { LlmError } from '../core/errors';
import type {
  LlmContentBlock,
  LlmMessage,
  LlmProvider,
  LlmRequest,
  LlmResult,
  StopReason,
  ToolCall,
} from '../core/llm-provider';
import { postForText, type TextResponse } from './http-post';
import { contentFilteredError, llmErrorFromHttp, llmErrorFromStreamEvent } from './llm-errors';
import {
  asLlmError,
  assertNotCutOff,
  modelChooser,
  type ProviderPolicy,
  parseToolInput,
  providerFromAttempt,
  startDeadlines,
} from './retry';

/**
 * An OpenAI-compatible `/chat/completions` provider (Qwen/DashScope, DeepSeek, vLLM, Ollama).
 *
 * Written over Node's `http`/`https` rather than the official `openai` package: the wire format is small and
 * stable, every compatible server speaks it, it keeps a dependency out, and it gives full control over the
 * two deadlines (first token, total) and over retries, which must stop once text has reached the user.
 */
export interface OpenAICompatibleOptions extends ProviderPolicy {
  /** Base URL including the version path, e.g. `https://api.deepseek.com/v1`. */
  baseUrl: string;
  /** API key (omitted for a local Ollama/vLLM). */
  apiKey?: string;
  /** Default model. */
  model: string;
}

type WireMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

function toWireMessages(request: LlmRequest): WireMessage[] {
  const messages: WireMessage[] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) messages.push(...toWire(message));
  return messages;
}

function toWire(message: LlmMessage): WireMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  const blocks: LlmContentBlock[] = message.content;
  const text = blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
  if (message.role === 'assistant') {
    const calls = blocks.flatMap((block) => (block.type === 'tool_use' ? [block.call] : []));
    return [
      {
        role: 'assistant',
        content: text || null,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: JSON.stringify(call.input) },
              })),
            }
          : {}),
      },
    ];
  }
  const results: WireMessage[] = blocks.flatMap((block) =>
    block.type === 'tool_result'
      ? [{ role: 'tool' as const, tool_call_id: block.toolUseId, content: block.content }]
      : [],
  );
  return text ? [...results, { role: 'user', content: text }] : results;
}

function stopReasonOf(finish: string | null | undefined, hasTools: boolean): StopReason {
  if (finish === 'length') return 'max_tokens';
  if (finish === 'content_filter') return 'content_filtered';
  if (finish === 'tool_calls' || hasTools) return 'tool_use';
  return 'end_turn';
}

/** One chunk of a streamed completion (or a whole completion, whose `message` stands in for `delta`). */
interface CompletionChunk {
  error?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  choices?: Array<{
    finish_reason?: string | null;
    delta?: CompletionDelta;
    message?: CompletionDelta;
  }>;
}

interface CompletionDelta {
  content?: string | null;
  reasoning_content?: string | null;
  tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
}

/** The `data:` payloads of a server-sent event stream, one per event (multi-line data joined). */
async function* serverSentData(body: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).trimStart());
      }
    }
  }
  if (data.length > 0) yield data.join('\n');
}

async function* wholeCompletionAsChunk(response: TextResponse): AsyncGenerator<string> {
  yield await response.text();
}

/** Create a provider for an OpenAI-compatible chat completions endpoint. */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): LlmProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  const modelFor = modelChooser(options.model, options.modelOverrides);

  const body = (request: LlmRequest, model: string, stream: boolean) => ({
    model,
    messages: toWireMessages(request),
    ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
          })),
          tool_choice:
            request.toolChoice === 'any'
              ? 'required'
              : typeof request.toolChoice === 'object'
                ? { type: 'function', function: { name: request.toolChoice.name } }
                : 'auto',
        }
      : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

  /** One attempt: yields text deltas; returns the final result. Deadlines and abort close the connection. */
  async function* attempt(
    request: LlmRequest,
    model: string,
    onText: () => void,
  ): AsyncGenerator<string, LlmResult> {
    const started = Date.now();
    const deadlines = startDeadlines(request, options.firstTokenTimeoutMs, options.totalTimeoutMs);
    let text = '';
    try {
      const response = await postForText(
        `${base}/chat/completions`,
        {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        JSON.stringify(body(request, model, true)),
        deadlines.signal,
      );
      if (response.status < 200 || response.status > 299) {
        const retryAfter = Number(response.header('retry-after'));
        throw llmErrorFromHttp(
          response.status,
          await response.text(),
          model,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        );
      }
      const calls = new Map<number, { id: string; name: string; arguments: string }>();
      let finish: string | null | undefined;
      let ended = false;
      let usage = { inputTokens: 0, outputTokens: 0 };
      const isEventStream = (response.header('content-type') ?? '').includes('text/event-stream');
      // A server that ignores `stream: true` answers with one JSON completion: read it as one last chunk.
      const events = isEventStream ? serverSentData(response.body) : wholeCompletionAsChunk(response);
      // Iterated by hand rather than with for-await (which calls `return` on leaving early): a caller that
      // stops reading must not wait on the stream's own cleanup, which a stalled stream never finishes; the
      // attempt's deadlines then abort the request, which closes it.
      for (let next = await events.next(); !next.done; next = await events.next()) {
        const data = next.value;
        if (data === '[DONE]') {
          ended = true;
          continue;
        }
        const event = JSON.parse(data) as CompletionChunk;
        if (event.error) throw llmErrorFromStreamEvent(event.error, model, text);
        if (event.usage) {
          usage = {
            inputTokens: event.usage.prompt_tokens ?? 0,
            outputTokens: event.usage.completion_tokens ?? 0,
          };
        }
        const choice = event.choices?.[0];
        if (!choice) continue;
        if (choice.finish_reason) {
          finish = choice.finish_reason;
          ended = true;
        }
        const delta = choice.delta ?? choice.message ?? {};
        // Reasoning models (DeepSeek-R1, QwQ) think before answering: not shown, but the model is alive.
        if (delta.reasoning_content) deadlines.firstTokenArrived();
        if (typeof delta.content === 'string' && delta.content.length > 0) {
          deadlines.firstTokenArrived();
          onText();
          text += delta.content;
          yield delta.content;
        }
        if (!delta.tool_calls) continue;
        for (const [position, call] of delta.tool_calls.entries()) {
          deadlines.firstTokenArrived();
          const index = call.index ?? position;
          const current = calls.get(index) ?? { id: '', name: '', arguments: '' };
          if (call.id) current.id = call.id;
          if (call.function?.name) current.name += call.function.name;
          if (call.function?.arguments) current.arguments += call.function.arguments;
          calls.set(index, current);
        }
      }
      assertNotCutOff(deadlines);
      // A connection closed cleanly but early (a proxy, a crashed worker) must not pass for a whole answer.
      if (!ended) {
        throw new LlmError('unavailable', `model ${model} ended the answer without finishing it`, {
          retryable: true,
          model,
          partialText: text || undefined,
        });
      }
      const toolCalls: ToolCall[] = [...calls.values()].map((call, index) => ({
        id: call.id || `call_${index}`,
        name: call.name,
        input: parseToolInput(call.arguments),
      }));
      const stopReason = stopReasonOf(finish, toolCalls.length > 0);
      if (stopReason === 'content_filtered') throw contentFilteredError(model, 'content_filter', text);
      return {
        text,
        toolCalls,
        stopReason,
        truncated: stopReason === 'max_tokens',
        usage,
        model,
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      throw asLlmError(error, model, deadlines, request, text);
    } finally {
      deadlines.clear();
    }
  }

  return providerFromAttempt('openai', modelFor, { stream: attempt }, options);
}
