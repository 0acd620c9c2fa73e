import type {
  LlmContentBlock,
  LlmMessage,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStreamEvent,
} from '../core/llm-provider';
import type { Logger } from '../core/logger';
import { createMasker, type Masker, settledBeforePlaceholder } from './masking';

/** Every string in a JSON value, transformed (tool inputs and results). */
function mapStrings(value: unknown, transform: (text: string) => string): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, transform));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, transform)]));
  }
  return value;
}

function maskBlock(block: LlmContentBlock, masker: Masker): LlmContentBlock {
  if (block.type === 'text') return { ...block, text: masker.mask(block.text) };
  if (block.type === 'tool_result') return { ...block, content: masker.mask(block.content) };
  const input = mapStrings(block.call.input, masker.mask) as Record<string, unknown>;
  return { ...block, call: { ...block.call, input } };
}

function maskMessage(message: LlmMessage, masker: Masker): LlmMessage {
  if (typeof message.content === 'string') return { ...message, content: masker.mask(message.content) };
  return { ...message, content: message.content.map((block) => maskBlock(block, masker)) };
}

function maskRequest(request: LlmRequest, masker: Masker): LlmRequest {
  return {
    ...request,
    ...(request.system ? { system: masker.mask(request.system) } : {}),
    messages: request.messages.map((message) => maskMessage(message, masker)),
  };
}

function unmaskResult(result: LlmResult, masker: Masker): LlmResult {
  return {
    ...result,
    text: masker.unmask(result.text),
    toolCalls: result.toolCalls.map((call) => ({
      ...call,
      input: mapStrings(call.input, masker.unmask) as Record<string, unknown>,
    })),
  };
}

/**
 * The provider with personal data masked (MASK_PERSONAL_DATA=on): everything sent to the model carries
 * placeholders (`<EMAIL_1>`, `<PHONE_2>`) instead of email addresses, phone numbers, ID and card numbers,
 * IBANs, IP addresses and secrets; the answer gets the values back (the person it goes to could already
 * see them), except secrets, which never return. Streamed text is held while a placeholder may be split.
 */
export function withPersonalDataMasking(provider: LlmProvider, logger: Logger): LlmProvider {
  const masked = (request: LlmRequest) => {
    const masker = createMasker();
    const sent = maskRequest(request, masker);
    const counts = masker.counts();
    if (Object.keys(counts).length > 0)
      logger.debug({ masked: counts, purpose: request.purpose }, 'personal data masked');
    return { masker, sent };
  };
  return {
    name: provider.name,
    configured: provider.configured,
    ...(provider.offlineReason ? { offlineReason: provider.offlineReason } : {}),
    async complete(request) {
      const { masker, sent } = masked(request);
      return unmaskResult(await provider.complete(sent), masker);
    },
    async *stream(request): AsyncIterable<LlmStreamEvent> {
      const { masker, sent } = masked(request);
      let raw = '';
      let shown = '';
      for await (const event of provider.stream(sent)) {
        if (event.type === 'done') {
          const result = unmaskResult(event.result, masker);
          const rest = masker.unmask(raw).slice(shown.length);
          if (rest && masker.unmask(raw).startsWith(shown)) yield { type: 'text', text: rest };
          yield { type: 'done', result };
          continue;
        }
        raw += event.text;
        const settled = masker.unmask(settledBeforePlaceholder(raw));
        if (settled.length > shown.length && settled.startsWith(shown)) {
          yield { type: 'text', text: settled.slice(shown.length) };
          shown = settled;
        }
      }
    },
  };
}
