import { LlmError } from '../core/errors';

/** What the user is told when a content filter or guardrail stopped the model. */
const contentFilteredUserMessage = {
  en: "I can't answer that: the model's content filter (or the account's guardrail) blocked it. Try rephrasing the request.",
  zh: '无法回答：模型的内容过滤（或账号的防护规则）拦截了这次请求。请换一种说法再试。',
};

/** The error for an answer a content filter or guardrail stopped; keeps any text already streamed. */
export function contentFilteredError(model: string, reason: string, partialText?: string): LlmError {
  return new LlmError('content_filtered', `model ${model} stopped: ${reason}`, {
    model,
    partialText: partialText || undefined,
    userMessage: contentFilteredUserMessage,
  });
}

/**
 * A Bedrock Guardrail intervened: the organization's own content policy, not the model's filter. Never
 * retried; the worker answers in the asker's language that the policy blocked it.
 */
export function policyBlockedError(model: string, partialText?: string): LlmError {
  return new LlmError('policy_blocked', `model ${model} stopped: the guardrail intervened`, {
    model,
    partialText: partialText || undefined,
  });
}

/** Bedrock exception names (HTTP `x-amzn-errortype`, or in-stream exception types) that a later try may fix. */
const bedrockUnavailableNames = [
  'ModelNotReadyException',
  'InternalServerException',
  'ServiceUnavailableException',
  'ModelStreamErrorException',
  'ModelErrorException',
];

/** Map a Bedrock SDK exception (HTTP or in-stream) to an LlmError; other values pass through unchanged. */
export function llmErrorFromBedrock(error: unknown, model: string): unknown {
  if (!(error instanceof Error) || error instanceof LlmError) return error;
  const name = error.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `Bedrock ${name}${status ? ` (${status})` : ''}: ${error.message}`;
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException' || status === 429) {
    return new LlmError('throttled', message, { retryable: true, model, cause: error });
  }
  if (bedrockUnavailableNames.includes(name) || (status ?? 0) >= 500) {
    return new LlmError('unavailable', message, { retryable: true, model, cause: error });
  }
  if (name === 'ModelTimeoutException') {
    return new LlmError('timeout', message, { retryable: true, model, cause: error });
  }
  if (name === 'ValidationException' && /too long|too many tokens|context/i.test(error.message)) {
    return new LlmError('context_too_long', message, { model, cause: error });
  }
  if (name === 'AccessDeniedException' || name === 'ResourceNotFoundException') {
    return new LlmError('not_configured', message, {
      model,
      cause: error,
      userMessage: {
        en: `The model ${model} is not available to this AWS account or region. An admin should check BEDROCK_MODEL_ID (newer models need an inference-profile id such as us.…), AWS_REGION and model access in the Bedrock console.`,
        zh: `模型 ${model} 在这个 AWS 账号或区域不可用。请管理员检查 BEDROCK_MODEL_ID（较新的模型需要 us.… 这样的推理配置文件 id）、AWS_REGION，以及 Bedrock 控制台中的模型访问权限。`,
      },
    });
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') {
    return new LlmError('not_configured', message, {
      model,
      cause: error,
      userMessage: {
        en: 'The AWS credentials were rejected. An admin should check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for the Bedrock account.',
        zh: 'AWS 凭证被拒绝。请管理员检查 Bedrock 账号的 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY（或 AWS_PROFILE）。',
      },
    });
  }
  if (name === 'ValidationException') {
    return new LlmError('invalid_request', message, { model, cause: error });
  }
  return error;
}

/** Map an HTTP error answer of an OpenAI-compatible server to an LlmError. */
export function llmErrorFromHttp(
  status: number,
  body: string,
  model: string,
  retryAfterMs?: number,
): LlmError {
  const detail = body.slice(0, 300);
  const cause = { status, body: detail, retryAfterMs };
  if (status === 429) {
    return new LlmError('throttled', `model ${model} throttled (429): ${detail}`, {
      retryable: true,
      model,
      cause,
    });
  }
  if (status === 408 || status === 504) {
    return new LlmError('timeout', `model ${model} timed out (${status})`, { retryable: true, model, cause });
  }
  if (status >= 500) {
    return new LlmError('unavailable', `model ${model} unavailable (${status}): ${detail}`, {
      retryable: true,
      model,
      cause,
    });
  }
  if (status === 401 || status === 403) {
    return new LlmError('not_configured', `model endpoint refused the key (${status}): ${detail}`, {
      model,
      cause,
      userMessage: {
        en: 'The model endpoint refused the API key. An admin should check OPENAI_API_KEY and OPENAI_BASE_URL.',
        zh: '模型服务拒绝了 API 密钥。请管理员检查 OPENAI_API_KEY 和 OPENAI_BASE_URL。',
      },
    });
  }
  if (status === 404) {
    return new LlmError('not_configured', `model ${model} or its endpoint was not found (404): ${detail}`, {
      model,
      cause,
      userMessage: {
        en: `The model ${model} was not found. An admin should check OPENAI_MODEL and OPENAI_BASE_URL (it usually ends in /v1).`,
        zh: `找不到模型 ${model}。请管理员检查 OPENAI_MODEL 和 OPENAI_BASE_URL（通常以 /v1 结尾）。`,
      },
    });
  }
  if (/context.?length|context window|too long|maximum context|max_tokens.*exceed/i.test(body)) {
    return new LlmError('context_too_long', `model ${model} context too long: ${detail}`, { model, cause });
  }
  if (/content.?filter|inappropriate|data_inspection_failed|content_policy/i.test(body)) {
    return contentFilteredError(model, `request filtered (${status})`);
  }
  return new LlmError('invalid_request', `model ${model} rejected the request (${status}): ${detail}`, {
    model,
    cause,
  });
}

/** Map an `error` object sent inside an OpenAI-compatible SSE stream to an LlmError. */
export function llmErrorFromStreamEvent(error: unknown, model: string, partialText: string): LlmError {
  const detail = JSON.stringify(error).slice(0, 300);
  if (/content.?filter|inappropriate|data_inspection_failed|content_policy/i.test(detail)) {
    return contentFilteredError(model, 'answer filtered mid-stream', partialText);
  }
  const throttled = /rate.?limit|throttl|429|too many requests/i.test(detail);
  return new LlmError(
    throttled ? 'throttled' : 'unavailable',
    `model ${model} failed mid-answer: ${detail}`,
    { retryable: true, model, partialText: partialText || undefined, cause: error },
  );
}
