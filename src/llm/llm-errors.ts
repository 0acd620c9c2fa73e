import { LlmError, type UserText } from '../core/errors';

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

/** A Bedrock setting an admin must fix: never retried; the user hears which setting, in their language. */
function bedrockSettingError(
  message: string,
  model: string,
  cause: unknown,
  userMessage: UserText,
): LlmError {
  return new LlmError('not_configured', message, { model, cause, userMessage });
}

/**
 * Bedrock answers that no later try can fix, because a setting is wrong: the model id needs an inference
 * profile (or is not a model id at all), there are no AWS credentials, or the region's endpoint does not
 * exist. Messages as Bedrock and the AWS SDK word them (aws-sdk-js-v3 issues #2408, #4989; Bedrock's
 * ValidationException for on-demand throughput, e.g. langchain-ai/langchain-aws#1019).
 */
function bedrockSettingProblem(error: Error, model: string, setting: string): LlmError | undefined {
  const name = error.name;
  if (name === 'ValidationException' && /on-demand throughput|inference profile/i.test(error.message)) {
    return bedrockSettingError(`Bedrock ${name}: ${model} needs an inference profile`, model, error, {
      en: `The model ${model} can only be called through an inference profile. An admin should set ${setting} to the inference-profile id for the region's geography, e.g. us.${model}, eu.${model} or apac.${model}.`,
      zh: `模型 ${model} 只能通过推理配置文件调用。请管理员把 ${setting} 设为所在地区的推理配置文件 id，例如 us.${model}、eu.${model} 或 apac.${model}。`,
    });
  }
  if (
    name === 'ValidationException' &&
    /model identifier is invalid|model id.*(invalid|not valid)/i.test(error.message)
  ) {
    return bedrockSettingError(`Bedrock ${name}: ${model} is not a model id Bedrock knows`, model, error, {
      en: `Bedrock does not know the model ${model}. An admin should check ${setting} (copy the id or inference-profile id, e.g. us.anthropic.claude-sonnet-4-20250514-v1:0, from the Bedrock console) and AWS_REGION.`,
      zh: `Bedrock 不认识模型 ${model}。请管理员检查 ${setting}（从 Bedrock 控制台复制模型 id 或推理配置文件 id，例如 us.anthropic.claude-sonnet-4-20250514-v1:0）和 AWS_REGION。`,
    });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return bedrockSettingError('Bedrock: no AWS credentials were found', model, error, {
      en: 'No AWS credentials were found for Bedrock. An admin should set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or give the instance or task a role).',
      zh: '找不到调用 Bedrock 的 AWS 凭证。请管理员设置 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（或 AWS_PROFILE，或为实例/任务配置角色）。',
    });
  }
  // Over HTTP/2 the SDK wraps the lookup failure: "AWS SDK error wrapper for Error [ERR_HTTP2_STREAM_CANCEL]:
  // … (caused by: getaddrinfo ENOTFOUND bedrock-runtime.us-east1.amazonaws.com)".
  const lookup = /getaddrinfo ENOTFOUND (\S+?)\)?$/m.exec(error.message);
  if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND' || lookup) {
    const host = (error as { hostname?: string }).hostname ?? lookup?.[1] ?? 'the Bedrock endpoint';
    return bedrockSettingError(`Bedrock: ${host} does not exist (ENOTFOUND)`, model, error, {
      en: `The Bedrock endpoint ${host} does not exist. An admin should check AWS_REGION (a region where Bedrock is offered, e.g. us-east-1; not in mainland China) and AWS_ENDPOINT_URL_BEDROCK_RUNTIME if it is set.`,
      zh: `Bedrock 端点 ${host} 不存在。请管理员检查 AWS_REGION（提供 Bedrock 的区域，例如 us-east-1；中国大陆区域不提供）以及 AWS_ENDPOINT_URL_BEDROCK_RUNTIME（若已设置）。`,
    });
  }
  return undefined;
}

/**
 * Map a Bedrock SDK exception (HTTP or in-stream) to an LlmError; other values pass through unchanged.
 * `setting` names the variable that chose the model (BEDROCK_MODEL_ID, EMBEDDING_MODEL, RERANK_MODEL).
 */
export function llmErrorFromBedrock(error: unknown, model: string, setting = 'BEDROCK_MODEL_ID'): unknown {
  if (!(error instanceof Error) || error instanceof LlmError) return error;
  const problem = bedrockSettingProblem(error, model, setting);
  if (problem) return problem;
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
