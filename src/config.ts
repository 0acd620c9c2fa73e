import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/** Deskmate's validated settings, read once at start. */
export interface Config {
  port: number;
  host: string;
  logLevel: string;
  redisUrl?: string;
  redisKeyPrefix: string;
  workerConcurrency: number;
  shutdownGraceMs: number;
  /** How long a running job stays locked to its process before another may take it over (JOB_LOCK_DURATION_MS). */
  jobLockDurationMs: number;
  /** What this process does (DESKMATE_ROLE): receive events (`web`), run jobs (`jobs`), or both (`all`). */
  role: DeskmateRole;
  defaultTimezone: string;
  http: HttpConfig;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken?: string;
  llm: LlmConfig;
  limits: LimitsConfig;
  slack?: SlackConfig;
  lark?: LarkConfig;
  /** Run the console assistant on stdin/stdout (no chat platform configured, or forced). */
  console: boolean;
}

/** What a process does: `web` receives events and queues them, `jobs` runs them, `all` does both. */
export type DeskmateRole = 'all' | 'web' | 'jobs';

/** Limits of the shared HTTP server. */
export interface HttpConfig {
  /** A client must send its request head within this (HTTP_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** A client must send its whole request within this (HTTP_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Bytes that request bodies not yet authenticated may hold at once (MAX_UNAUTHENTICATED_BYTES). */
  maxUnauthenticatedBytes: number;
}

/** Model settings. */
export interface LlmConfig {
  provider: 'bedrock' | 'openai' | 'offline';
  bedrockModelId?: string;
  awsRegion?: string;
  openaiBaseUrl?: string;
  openaiApiKey?: string;
  openaiModel?: string;
  /** Per-skill model ids from `LLM_MODEL_<SKILL>` (e.g. LLM_MODEL_SUMMARIZE). */
  modelOverrides: Record<string, string>;
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  maxRetries: number;
}

/** Who may use Deskmate and how much. */
export interface LimitsConfig {
  allowWorkspaces: string[];
  allowChannels: string[];
  allowUsers: string[];
  userPerMinute: number;
  workspacePerMinute: number;
  maxRequestTokens: number;
  dailyWorkspaceTokens: number;
}

/** Slack settings: HTTP mode with a signing secret, Socket Mode with an app token. */
export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

/** Lark/Feishu settings. */
export interface LarkConfig {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  domain: string;
  mode: 'ws' | 'webhook';
}

/** One thing wrong with the configuration, and how to fix it. */
export interface ConfigProblem {
  /** The environment variable. */
  variable: string;
  /** What is wrong and what to do. */
  message: string;
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const wholeNumber = (name: string, minimum: number, maximum: number, fallback: number) =>
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

const isTimezone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const isUrl = (value: string) => {
  try {
    const url = new URL(value);
    return ['http:', 'https:', 'redis:', 'rediss:'].includes(url.protocol);
  } catch {
    return false;
  }
};

const schema = z.object({
  PORT: wholeNumber('PORT', 0, 65535, 3000),
  HOST: optionalText,
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: (issue) =>
          `"${String(issue.input)}" is not a log level. Fix: set LOG_LEVEL to one of error, warn, info, debug, trace, silent.`,
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
  DEFAULT_TIMEZONE: optionalText.refine((value) => value === undefined || isTimezone(value), {
    message:
      'is not an IANA timezone. Fix: e.g. DEFAULT_TIMEZONE=Asia/Shanghai or DEFAULT_TIMEZONE=America/New_York.',
  }),
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
  DESKMATE_CONSOLE: optionalText.pipe(
    z
      .enum(['on', 'off', 'auto'], { error: () => 'Fix: set DESKMATE_CONSOLE to on, off or auto.' })
      .optional(),
  ),
});

/** A comma-separated list (spaces allowed) as an array. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The outcome of reading the configuration. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/** Validate settings from an environment (pure: no process access). */
export function parseConfig(environment: Record<string, string | undefined>): ConfigResult {
  const parsed = schema.safeParse(environment);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ variable: String(issue.path[0]), message: issue.message });
    }
    return { ok: false, problems };
  }
  const values = parsed.data;
  const need = (variable: string, present: unknown, message: string) => {
    if (!present) problems.push({ variable, message });
  };

  need(
    'HTTP_HEADERS_TIMEOUT_MS',
    values.HTTP_HEADERS_TIMEOUT_MS <= values.HTTP_REQUEST_TIMEOUT_MS,
    `${values.HTTP_HEADERS_TIMEOUT_MS} is more than HTTP_REQUEST_TIMEOUT_MS (${values.HTTP_REQUEST_TIMEOUT_MS}), which covers the headers too. Fix: set HTTP_HEADERS_TIMEOUT_MS to at most HTTP_REQUEST_TIMEOUT_MS, e.g. 15000 and 30000.`,
  );

  const provider =
    values.LLM_PROVIDER ??
    (values.BEDROCK_MODEL_ID ? 'bedrock' : values.OPENAI_BASE_URL ? 'openai' : 'offline');
  const awsRegion = values.AWS_REGION ?? values.AWS_DEFAULT_REGION;
  if (provider === 'bedrock') {
    need(
      'BEDROCK_MODEL_ID',
      values.BEDROCK_MODEL_ID,
      'is required with LLM_PROVIDER=bedrock. Fix: e.g. BEDROCK_MODEL_ID=us.anthropic.claude-sonnet-4-20250514-v1:0 (an inference-profile id).',
    );
    need(
      'AWS_REGION',
      awsRegion,
      'is required with LLM_PROVIDER=bedrock. Fix: e.g. AWS_REGION=us-east-1 (Bedrock is not offered in mainland China: use LLM_PROVIDER=openai there).',
    );
  }
  if (provider === 'openai') {
    need(
      'OPENAI_BASE_URL',
      values.OPENAI_BASE_URL,
      'is required with LLM_PROVIDER=openai. Fix: e.g. OPENAI_BASE_URL=https://api.deepseek.com/v1',
    );
    need(
      'OPENAI_MODEL',
      values.OPENAI_MODEL,
      'is required with LLM_PROVIDER=openai. Fix: e.g. OPENAI_MODEL=qwen-plus or OPENAI_MODEL=deepseek-chat.',
    );
  }

  const role = values.DESKMATE_ROLE ?? 'all';
  let slack: SlackConfig | undefined;
  if (values.SLACK_BOT_TOKEN || values.SLACK_SIGNING_SECRET || values.SLACK_APP_TOKEN) {
    need(
      'SLACK_BOT_TOKEN',
      values.SLACK_BOT_TOKEN,
      'is required for Slack. Fix: set SLACK_BOT_TOKEN to the xoxb- token from OAuth & Permissions.',
    );
    // A `jobs` process only posts: it needs no way to receive events.
    if (role !== 'jobs') {
      need(
        'SLACK_SIGNING_SECRET',
        values.SLACK_SIGNING_SECRET || values.SLACK_APP_TOKEN,
        'is missing, and so is SLACK_APP_TOKEN: Deskmate needs one of them to receive Slack events. Fix: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (xapp-, Socket Mode).',
      );
    }
    if (values.SLACK_BOT_TOKEN) {
      slack = {
        botToken: values.SLACK_BOT_TOKEN,
        signingSecret: values.SLACK_SIGNING_SECRET,
        appToken: values.SLACK_APP_TOKEN,
        apiUrl: values.SLACK_API_URL,
      };
    }
  }

  let lark: LarkConfig | undefined;
  if (values.LARK_APP_ID || values.LARK_APP_SECRET) {
    need(
      'LARK_APP_ID',
      values.LARK_APP_ID,
      'is required for Lark. Fix: set LARK_APP_ID to the cli_… id from the developer console.',
    );
    need(
      'LARK_APP_SECRET',
      values.LARK_APP_SECRET,
      'is required for Lark. Fix: set LARK_APP_SECRET from the developer console (Credentials).',
    );
    const mode = values.LARK_MODE ?? 'ws';
    if (mode === 'webhook') {
      need(
        'LARK_ENCRYPT_KEY',
        values.LARK_ENCRYPT_KEY,
        'is required with LARK_MODE=webhook. Fix: set LARK_ENCRYPT_KEY, or use LARK_MODE=ws.',
      );
    }
    if (values.LARK_APP_ID && values.LARK_APP_SECRET) {
      lark = {
        appId: values.LARK_APP_ID,
        appSecret: values.LARK_APP_SECRET,
        encryptKey: values.LARK_ENCRYPT_KEY,
        verificationToken: values.LARK_VERIFICATION_TOKEN,
        domain: values.LARK_DOMAIN ?? 'feishu',
        mode,
      };
    }
  }

  if (role !== 'all' && !values.REDIS_URL) {
    problems.push({
      variable: 'REDIS_URL',
      message: `is required with DESKMATE_ROLE=${role}: the web and jobs processes share their queue in Redis. Fix: set REDIS_URL, or use DESKMATE_ROLE=all for one process that does both.`,
    });
  }

  if (problems.length > 0) return { ok: false, problems };

  const modelOverrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    const match = /^LLM_MODEL_([A-Z_]+)$/.exec(name);
    if (match && value?.trim()) modelOverrides[match[1].toLowerCase()] = value.trim();
  }
  const consoleSetting = values.DESKMATE_CONSOLE ?? 'auto';
  // The console is a terminal session: it runs only where jobs run in the same process.
  const runConsole =
    role === 'all' && (consoleSetting === 'on' || (consoleSetting === 'auto' && !slack && !lark));
  return {
    ok: true,
    config: {
      port: values.PORT,
      host: values.HOST ?? '0.0.0.0',
      // The console assistant shares the terminal with its logs: keep them to warnings unless asked.
      logLevel: values.LOG_LEVEL ?? (runConsole ? 'warn' : 'info'),
      redisUrl: values.REDIS_URL,
      redisKeyPrefix: values.REDIS_KEY_PREFIX ?? 'deskmate:',
      workerConcurrency: values.WORKER_CONCURRENCY,
      shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
      jobLockDurationMs: values.JOB_LOCK_DURATION_MS,
      role,
      defaultTimezone: values.DEFAULT_TIMEZONE ?? 'UTC',
      http: {
        headersTimeoutMs: values.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
        maxUnauthenticatedBytes: values.MAX_UNAUTHENTICATED_BYTES,
      },
      metricsToken: values.METRICS_TOKEN,
      llm: {
        provider,
        bedrockModelId: values.BEDROCK_MODEL_ID,
        awsRegion,
        openaiBaseUrl: values.OPENAI_BASE_URL,
        openaiApiKey: values.OPENAI_API_KEY,
        openaiModel: values.OPENAI_MODEL,
        modelOverrides,
        firstTokenTimeoutMs: values.LLM_FIRST_TOKEN_TIMEOUT_MS,
        totalTimeoutMs: values.LLM_TOTAL_TIMEOUT_MS,
        maxRetries: values.LLM_MAX_RETRIES,
      },
      limits: {
        allowWorkspaces: list(values.ALLOW_WORKSPACES),
        allowChannels: list(values.ALLOW_CHANNELS),
        allowUsers: list(values.ALLOW_USERS),
        userPerMinute: values.RATE_LIMIT_USER_PER_MINUTE,
        workspacePerMinute: values.RATE_LIMIT_WORKSPACE_PER_MINUTE,
        maxRequestTokens: values.LLM_MAX_REQUEST_TOKENS,
        dailyWorkspaceTokens: values.DAILY_TOKEN_BUDGET_PER_WORKSPACE,
      },
      slack,
      lark,
      console: runConsole,
    },
  };
}

/**
 * Settings that start but leave the process nothing to do, each with its fix: no Slack, no Lark and no
 * console. Logged as warnings, not refused: the process still serves its health checks and metrics.
 */
export function configWarnings(config: Config): ConfigProblem[] {
  if (config.console || config.slack || config.lark) return [];
  return [
    {
      variable: 'DESKMATE_CONSOLE',
      message:
        'is off and no Slack or Lark is configured, so there is nothing to serve. Fix: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, or LARK_APP_ID and LARK_APP_SECRET (or DESKMATE_CONSOLE=on for the console).',
    },
  ];
}

/** The process environment with `.env` (if present) underneath it: real variables win. */
export function readEnvironment(path = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(path) ? parseDotenv(readFileSync(path)) : {};
  return { ...fromFile, ...process.env };
}

/** Format configuration problems for the terminal, one per line with its fix. */
export function formatConfigProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((problem) => `  - ${problem.variable}: ${problem.message}`);
  return [
    `Deskmate cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}.`,
    ...lines,
    'Set these in the environment or in .env (see .env.example and the README).',
  ].join('\n');
}
