import { z } from 'zod';
import { defaultDocumentLimits } from './documents/limits';
import { modelPricesExample, parseModelPrices } from './llm/model-prices';
import { defaultRetention } from './skills/retention';

/** An optional setting: blank counts as unset; surrounding spaces are dropped. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** A whole number within bounds, with a default. */
export const wholeNumber = (name: string, minimum: number, maximum: number, fallback: number) =>
  optionalText.pipe(
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return fallback;
        const number = Number(value);
        if (!/^\d+$/.test(value) || number < minimum || number > maximum) {
          context.addIssue({
            code: 'custom',
            message: `"${value}" is not valid. Fix: set ${name} to a whole number from ${minimum} to ${maximum}, e.g. ${name}=${fallback}.`,
          });
          return z.NEVER;
        }
        return number;
      }),
  );

/** Whether a name is an IANA timezone this runtime knows. */
export const isTimezone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

/**
 * A timezone abbreviation (CST, EST, IST, EST5EDT): the runtime knows some of them, but they mean different
 * zones to different people (Node reads CST as America/Chicago; in China CST is China Standard Time).
 */
export const timezoneAbbreviation = /^(?!(UTC|GMT|UCT)$)([A-Z]{3,5}|[A-Z]{3}\d{1,2}[A-Z]{3})$/;

/** Whether a value is an http(s) or redis(s) URL. */
export const isUrl = (value: string) => {
  try {
    const url = new URL(value);
    return ['http:', 'https:', 'redis:', 'rediss:'].includes(url.protocol);
  } catch {
    return false;
  }
};

/** Whether a URI names storage LanceDB opens: a local path, `file://`, or object storage (`s3://`, `gs://`, `az://`). */
export const isKnowledgeUri = (value: string) => /^(file|s3|s3\+ddb|gs|az|memory):\/\/./i.test(value);

/** Every environment variable Deskmate reads, each with its own message naming the fix. */
export const environmentSchema = z.object({
  PORT: wholeNumber('PORT', 0, 65535, 3000),
  HOST: optionalText,
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: (issue) =>
          `"${String(issue.input)}" is not a log level. Fix: set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent.`,
      })
      .optional(),
  ),
  REDIS_URL: optionalText.refine((value) => value === undefined || /^rediss?:\/\//.test(value), {
    message:
      'must start with redis:// or rediss://. Fix: e.g. REDIS_URL=redis://127.0.0.1:6379, or unset it to keep state in memory.',
  }),
  REDIS_KEY_PREFIX: optionalText,
  WORKER_CONCURRENCY: wholeNumber('WORKER_CONCURRENCY', 1, 256, 4),
  SHUTDOWN_GRACE_MS: wholeNumber('SHUTDOWN_GRACE_MS', 0, 600000, 10000),
  JOB_LOCK_DURATION_MS: wholeNumber('JOB_LOCK_DURATION_MS', 1000, 600000, 60000),
  DESKMATE_ROLE: optionalText.pipe(
    z
      .enum(['all', 'web', 'jobs'], {
        error: (issue) =>
          `"${String(issue.input)}" is not a role. Fix: set DESKMATE_ROLE to all (the default: receive and run jobs), web (receive only) or jobs (run jobs only).`,
      })
      .optional(),
  ),
  HTTP_HEADERS_TIMEOUT_MS: wholeNumber('HTTP_HEADERS_TIMEOUT_MS', 1000, 600000, 15000),
  HTTP_REQUEST_TIMEOUT_MS: wholeNumber('HTTP_REQUEST_TIMEOUT_MS', 1000, 600000, 30000),
  METRICS_TOKEN: optionalText,
  MAX_UNAUTHENTICATED_BYTES: wholeNumber('MAX_UNAUTHENTICATED_BYTES', 1048576, 4294967296, 33554432),
  // An abbreviation (CST, IST) passes here: the checks between settings refuse it with its own fix.
  DEFAULT_TIMEZONE: optionalText.refine(
    (value) => value === undefined || isTimezone(value) || timezoneAbbreviation.test(value),
    {
      message:
        'is not an IANA timezone. Fix: e.g. DEFAULT_TIMEZONE=Asia/Shanghai or DEFAULT_TIMEZONE=America/New_York.',
    },
  ),
  LLM_PROVIDER: optionalText.pipe(
    z
      .enum(['bedrock', 'openai', 'offline'], {
        error: (issue) =>
          `"${String(issue.input)}" is not a provider. Fix: set LLM_PROVIDER to bedrock, openai or offline.`,
      })
      .optional(),
  ),
  BEDROCK_MODEL_ID: optionalText,
  AWS_REGION: optionalText,
  AUDIT_RETENTION_DAYS: wholeNumber('AUDIT_RETENTION_DAYS', 1, 3650, 90),
  RETENTION_DAYS: wholeNumber('RETENTION_DAYS', 1, 3650, 3650),
  MEMORY_RETENTION_HOURS: wholeNumber(
    'MEMORY_RETENTION_HOURS',
    1,
    87600,
    defaultRetention.memorySeconds / 3600,
  ),
  SUMMARY_RETENTION_DAYS: wholeNumber(
    'SUMMARY_RETENTION_DAYS',
    1,
    3650,
    defaultRetention.summarySeconds / 86400,
  ),
  DONE_TODO_RETENTION_DAYS: wholeNumber(
    'DONE_TODO_RETENTION_DAYS',
    1,
    3650,
    defaultRetention.doneTodoSeconds / 86400,
  ),
  USAGE_RETENTION_DAYS: wholeNumber('USAGE_RETENTION_DAYS', 1, 3650, defaultRetention.usageDays),
  DOCUMENT_MAX_BYTES: wholeNumber('DOCUMENT_MAX_BYTES', 1024, 1073741824, defaultDocumentLimits.maxBytes),
  DOCUMENT_MAX_PAGES: wholeNumber('DOCUMENT_MAX_PAGES', 1, 100000, defaultDocumentLimits.maxPages),
  DOCUMENT_MAX_UNZIPPED_BYTES: wholeNumber(
    'DOCUMENT_MAX_UNZIPPED_BYTES',
    1048576,
    10737418240,
    defaultDocumentLimits.maxUnzippedBytes,
  ),
  DOCUMENT_MAX_SHEET_ROWS: wholeNumber(
    'DOCUMENT_MAX_SHEET_ROWS',
    1,
    1000000,
    defaultDocumentLimits.maxSheetRows,
  ),
  DOCUMENT_MAX_CHARACTERS: wholeNumber(
    'DOCUMENT_MAX_CHARACTERS',
    1000,
    100000000,
    defaultDocumentLimits.maxCharacters,
  ),
  DOCUMENT_TIMEOUT_MS: wholeNumber(
    'DOCUMENT_TIMEOUT_MS',
    1000,
    600000,
    defaultDocumentLimits.timeoutMilliseconds,
  ),
  MASK_PERSONAL_DATA: optionalText.pipe(
    z
      .enum(['on', 'off'], {
        error: (issue) =>
          `"${String(issue.input)}" is not valid. Fix: set MASK_PERSONAL_DATA=on (mask personal data before the model) or off.`,
      })
      .optional(),
  ),
  BEDROCK_GUARDRAIL_ID: optionalText,
  BEDROCK_GUARDRAIL_VERSION: optionalText,
  AWS_DEFAULT_REGION: optionalText,
  OPENAI_BASE_URL: optionalText.refine((value) => value === undefined || isUrl(value), {
    message: 'is not a URL. Fix: e.g. OPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1',
  }),
  OPENAI_API_KEY: optionalText,
  OPENAI_MODEL: optionalText,
  LLM_FIRST_TOKEN_TIMEOUT_MS: wholeNumber('LLM_FIRST_TOKEN_TIMEOUT_MS', 100, 600000, 30000),
  LLM_TOTAL_TIMEOUT_MS: wholeNumber('LLM_TOTAL_TIMEOUT_MS', 100, 1800000, 120000),
  LLM_MAX_RETRIES: wholeNumber('LLM_MAX_RETRIES', 0, 10, 2),
  ALLOW_WORKSPACES: optionalText,
  ALLOW_CHANNELS: optionalText,
  ALLOW_USERS: optionalText,
  RATE_LIMIT_USER_PER_MINUTE: wholeNumber('RATE_LIMIT_USER_PER_MINUTE', 0, 100000, 20),
  RATE_LIMIT_WORKSPACE_PER_MINUTE: wholeNumber('RATE_LIMIT_WORKSPACE_PER_MINUTE', 0, 1000000, 600),
  LLM_MAX_REQUEST_TOKENS: wholeNumber('LLM_MAX_REQUEST_TOKENS', 0, 10000000, 150000),
  DAILY_TOKEN_BUDGET_PER_WORKSPACE: wholeNumber('DAILY_TOKEN_BUDGET_PER_WORKSPACE', 0, 1000000000000, 0),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.refine((value) => value === undefined || isUrl(value), {
    message:
      'is not a URL. Fix: unset it (Slack itself), or e.g. SLACK_API_URL=http://127.0.0.1:4020/api/ for a fake.',
  }),
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_ENCRYPT_KEY: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_DOMAIN: optionalText.refine(
    (value) => value === undefined || value === 'feishu' || value === 'lark' || isUrl(value),
    {
      message:
        'must be feishu, lark or a base URL. Fix: e.g. LARK_DOMAIN=feishu (China) or LARK_DOMAIN=lark.',
    },
  ),
  LARK_MODE: optionalText.pipe(
    z
      .enum(['ws', 'webhook'], {
        error: (issue) => `"${String(issue.input)}" is not a mode. Fix: set LARK_MODE to ws or webhook.`,
      })
      .optional(),
  ),
  ADMIN_PASSWORD: optionalText.refine((value) => value === undefined || value.length >= 12, {
    message:
      'is shorter than 12 characters. Fix: set ADMIN_PASSWORD to a passphrase of at least 12 characters (e.g. four random words), or unset it to turn the web console off.',
  }),
  ADMIN_SESSION_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
    message:
      'is shorter than 32 characters. Fix: e.g. ADMIN_SESSION_SECRET=$(openssl rand -hex 32), or unset it to derive one from ADMIN_PASSWORD.',
  }),
  MODEL_PRICES: optionalText.transform((value, context) => {
    if (value === undefined) return {};
    const parsed = parseModelPrices(value);
    if (parsed.ok) return parsed.prices;
    context.addIssue({
      code: 'custom',
      message: `"${parsed.problem}" is not a price. Fix: write model=input/output in US dollars per million tokens, comma-separated, e.g. ${modelPricesExample}.`,
    });
    return z.NEVER;
  }),
  KNOWLEDGE_DIR: optionalText,
  DATA_DIR: optionalText,
  KNOWLEDGE_URI: optionalText.refine(
    (value) => value === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || isKnowledgeUri(value),
    {
      message:
        'is not a place LanceDB can keep an index. Fix: a folder (KNOWLEDGE_URI=/srv/deskmate/knowledge) or object storage (KNOWLEDGE_URI=s3://bucket/deskmate, gs://…, az://…), or unset it to use DATA_DIR/knowledge.',
    },
  ),
  KNOWLEDGE_ENGINE: optionalText.pipe(
    z
      .enum(['lancedb', 'opensearch'], {
        error: (issue) =>
          `"${String(issue.input)}" is not a knowledge engine. Fix: set KNOWLEDGE_ENGINE=lancedb (embedded, the default) or opensearch (with OPENSEARCH_URL).`,
      })
      .optional(),
  ),
  KNOWLEDGE_RESCAN_SECONDS: wholeNumber('KNOWLEDGE_RESCAN_SECONDS', 1, 3600, 30),
  OPENSEARCH_URL: optionalText.refine((value) => value === undefined || isUrl(value), {
    message: 'is not a URL. Fix: e.g. OPENSEARCH_URL=https://user:password@search.internal:9200',
  }),
  EMBEDDING_MODEL: optionalText,
  EMBEDDING_PROVIDER: optionalText.pipe(
    z
      .enum(['bedrock', 'openai'], {
        error: (issue) =>
          `"${String(issue.input)}" is not an embedding provider. Fix: set EMBEDDING_PROVIDER to bedrock or openai, or unset it (inferred from EMBEDDING_MODEL).`,
      })
      .optional(),
  ),
  EMBEDDING_BASE_URL: optionalText.refine((value) => value === undefined || isUrl(value), {
    message: 'is not a URL. Fix: e.g. EMBEDDING_BASE_URL=http://127.0.0.1:11434/v1 (Ollama serving bge-m3).',
  }),
  EMBEDDING_API_KEY: optionalText,
  RERANK_MODEL: optionalText,
  DESKMATE_CONSOLE: optionalText.pipe(
    z
      .enum(['on', 'off', 'auto'], {
        error: (issue) =>
          `"${String(issue.input)}" is not valid. Fix: set DESKMATE_CONSOLE to on, off or auto.`,
      })
      .optional(),
  ),
});

/** The settings as the schema read them. */
export type EnvironmentValues = z.infer<typeof environmentSchema>;
