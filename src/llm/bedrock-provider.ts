import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type Message,
  type Tool,
  type ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';
import { LlmError } from '../core/errors';
import type {
  LlmMessage,
  LlmProvider,
  LlmRequest,
  LlmResult,
  StopReason,
  ToolCall,
} from '../core/llm-provider';
import { contentFilteredError, llmErrorFromBedrock, policyBlockedError } from './llm-errors';
import {
  asLlmError,
  assertNotCutOff,
  modelChooser,
  type ProviderPolicy,
  parseToolInput,
  providerFromAttempt,
  startDeadlines,
  unlessAbandoned,
} from './retry';

/** Options of the Bedrock provider; region and credentials come from the standard AWS chain. */
export interface BedrockProviderOptions extends ProviderPolicy {
  /** Model or inference-profile id (`us.anthropic.claude-…`, `global.…`). */
  modelId: string;
  /** Region; the SDK's own chain (AWS_REGION, profile) when unset. */
  region?: string;
  /** Endpoint override; the SDK also honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME by itself. */
  endpoint?: string;
  /** A Bedrock Guardrail applied to every request, streamed answers too (BEDROCK_GUARDRAIL_ID, _VERSION). */
  guardrail?: { id: string; version: string };
}

function toBedrockMessage(message: LlmMessage): Message {
  if (typeof message.content === 'string')
    return { role: message.role, content: [{ text: message.content }] };
  const content: ContentBlock[] = message.content.map((block): ContentBlock => {
    if (block.type === 'text') return { text: block.text };
    if (block.type === 'tool_use') {
      return {
        toolUse: { toolUseId: block.call.id, name: block.call.name, input: block.call.input as never },
      };
    }
    return {
      toolResult: {
        toolUseId: block.toolUseId,
        content: [{ text: block.content }],
        status: block.isError ? 'error' : 'success',
      },
    };
  });
  return { role: message.role, content };
}

/**
 * Converse rejects blank text blocks and two turns in a row from the same role (which a remembered
 * conversation can hold after a failed answer): drop the blanks and merge such turns.
 */
function toBedrockMessages(messages: LlmMessage[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const converted = toBedrockMessage(message);
    const content = (converted.content ?? []).filter(
      (block) => block.text === undefined || block.text.trim(),
    );
    if (content.length === 0) continue;
    const previous = merged[merged.length - 1];
    if (previous && previous.role === converted.role)
      previous.content = [...(previous.content ?? []), ...content];
    else merged.push({ role: converted.role, content });
  }
  return merged;
}

function toolChoiceOf(choice: LlmRequest['toolChoice']): ToolChoice {
  if (choice === 'any') return { any: {} };
  if (typeof choice === 'object') return { tool: { name: choice.name } };
  return { auto: {} };
}

/** Map a Bedrock stop reason; guardrails and content filters become an error with a clear message. */
function mapStopReason(reason: string | undefined, model: string, text: string): StopReason {
  switch (reason) {
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'guardrail_intervened':
      throw policyBlockedError(model, text);
    case 'content_filtered':
      throw contentFilteredError(model, reason, text);
    case 'model_context_window_exceeded':
      throw new LlmError('context_too_long', `model ${model}: context window exceeded`, {
        model,
        partialText: text || undefined,
      });
    case 'malformed_model_output':
    case 'malformed_tool_use':
      // The model produced something unusable; another try (before any text was shown) usually succeeds.
      throw new LlmError('unavailable', `model ${model} stopped: ${reason}`, {
        model,
        retryable: true,
        partialText: text || undefined,
      });
    default:
      return 'end_turn';
  }
}

/** Create the Bedrock provider over the Converse stream API (streamed and whole answers, tool use). */
export function createBedrockProvider(options: BedrockProviderOptions): LlmProvider {
  // The SDK warns on every start that its releases after January 2027 need Node 22 (a stack-like notice on
  // stderr, in the middle of the console). Deskmate supports Node 20, 22 and 24 and says so in the README;
  // the SDK's own switch turns the notice off, unless the operator set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Retries are ours (only before the first token, with jitter): the SDK makes one attempt per call.
  const client = new BedrockRuntimeClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: 1,
  });
  const modelFor = modelChooser(options.modelId, options.modelOverrides);

  const guardrail = options.guardrail;
  const input = (request: LlmRequest, model: string): ConverseCommandInput => {
    const tools: Tool[] | undefined = request.tools?.map((tool) => ({
      toolSpec: {
        name: tool.name,
        description: tool.description,
        inputSchema: { json: tool.inputSchema as never },
      },
    }));
    return {
      modelId: model,
      messages: toBedrockMessages(request.messages),
      system: request.system ? [{ text: request.system }] : undefined,
      inferenceConfig: {
        ...(request.maxTokens ? { maxTokens: request.maxTokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      },
      toolConfig: tools?.length ? { tools, toolChoice: toolChoiceOf(request.toolChoice) } : undefined,
      ...(guardrail
        ? { guardrailConfig: { guardrailIdentifier: guardrail.id, guardrailVersion: guardrail.version } }
        : {}),
    };
  };

  // A whole answer with Converse: it has no pieces, so the first-token deadline is the total one.
  async function* whole(request: LlmRequest, model: string): AsyncGenerator<string, LlmResult> {
    const started = Date.now();
    const deadlines = startDeadlines(request, options.totalTimeoutMs, options.totalTimeoutMs);
    try {
      const response = await client.send(new ConverseCommand(input(request, model)), {
        abortSignal: deadlines.signal,
      });
      const blocks = response.output?.message?.content ?? [];
      const text = blocks.map((block) => block.text ?? '').join('');
      const toolCalls: ToolCall[] = blocks.flatMap((block) =>
        block.toolUse
          ? [
              {
                id: block.toolUse.toolUseId ?? '',
                name: block.toolUse.name ?? '',
                input: (block.toolUse.input ?? {}) as Record<string, unknown>,
              },
            ]
          : [],
      );
      const mapped = mapStopReason(response.stopReason, model, text);
      return {
        text,
        toolCalls,
        stopReason: mapped,
        truncated: mapped === 'max_tokens',
        usage: {
          inputTokens: response.usage?.inputTokens ?? 0,
          outputTokens: response.usage?.outputTokens ?? 0,
        },
        model,
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      throw asLlmError(llmErrorFromBedrock(error, model), model, deadlines, request, '');
    } finally {
      deadlines.clear();
    }
  }

  async function* attempt(
    request: LlmRequest,
    model: string,
    onText: () => void,
  ): AsyncGenerator<string, LlmResult> {
    const started = Date.now();
    const deadlines = startDeadlines(request, options.firstTokenTimeoutMs, options.totalTimeoutMs);
    let text = '';
    try {
      // A streamed answer is checked as it goes (`sync`): nothing the guardrail would block is shown first.
      const streamInput = input(request, model);
      const command = new ConverseStreamCommand({
        ...streamInput,
        ...(guardrail
          ? {
              guardrailConfig: {
                guardrailIdentifier: guardrail.id,
                guardrailVersion: guardrail.version,
                streamProcessingMode: 'sync' as const,
              },
            }
          : {}),
      });
      const response = await client.send(command, { abortSignal: deadlines.signal });
      const calls = new Map<number, { id: string; name: string; input: string }>();
      let stopReason: string | undefined;
      let usage = { inputTokens: 0, outputTokens: 0 };
      if (!response.stream) {
        throw new LlmError('unavailable', `model ${model} sent no stream`, { retryable: true, model });
      }
      for await (const event of unlessAbandoned(response.stream)) {
        if (event.contentBlockStart?.start?.toolUse) {
          deadlines.firstTokenArrived();
          const start = event.contentBlockStart.start.toolUse;
          calls.set(event.contentBlockStart.contentBlockIndex ?? calls.size, {
            id: start.toolUseId ?? '',
            name: start.name ?? '',
            input: '',
          });
        }
        const delta = event.contentBlockDelta?.delta;
        if (delta?.text) {
          deadlines.firstTokenArrived();
          onText();
          text += delta.text;
          yield delta.text;
        }
        // Extended thinking is not shown, but it proves the model is alive: the first-token wait is over.
        if (delta?.reasoningContent) deadlines.firstTokenArrived();
        if (delta?.toolUse?.input !== undefined) {
          const call = calls.get(event.contentBlockDelta?.contentBlockIndex ?? 0);
          if (call) call.input += delta.toolUse.input;
        }
        if (event.messageStop) stopReason = event.messageStop.stopReason;
        if (event.metadata?.usage) {
          usage = {
            inputTokens: event.metadata.usage.inputTokens ?? 0,
            outputTokens: event.metadata.usage.outputTokens ?? 0,
          };
        }
      }
      assertNotCutOff(deadlines);
      // The stream ended without messageStop: the answer is incomplete, whatever it says so far.
      if (!stopReason) {
        throw new LlmError('unavailable', `model ${model} ended the answer without finishing it`, {
          retryable: true,
          model,
          partialText: text || undefined,
        });
      }
      const toolCalls: ToolCall[] = [...calls.values()].map((call) => ({
        id: call.id,
        name: call.name,
        input: parseToolInput(call.input),
      }));
      const mapped = mapStopReason(stopReason, model, text);
      return {
        text,
        toolCalls,
        stopReason: mapped,
        truncated: mapped === 'max_tokens',
        usage,
        model,
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      throw asLlmError(llmErrorFromBedrock(error, model), model, deadlines, request, text);
    } finally {
      deadlines.clear();
    }
  }

  // Streamed answers use ConverseStream; whole answers (routing, extraction, summaries) use Converse.
  return providerFromAttempt('bedrock', modelFor, { stream: attempt, complete: whole }, options);
}
