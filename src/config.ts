import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import {
  checkAllowedChannels,
  checkBedrockRegion,
  checkModelTimeouts,
  checkTimezone,
  checkUnknownNames,
} from './config-checks';
import { type KnowledgeConfig, knowledgeConfigFrom } from './config-knowledge';
import { larkConfigFrom, slackConfigFrom } from './config-platforms';
import { environmentSchema } from './config-schema';
import type { RetentionSettings } from './core/skill';
import { type DocumentLimits, defaultDocumentLimits } from './documents/limits';
import type { ModelPriceTable } from './llm/model-prices';

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
  /** How many days the audit trail keeps each request's record (AUDIT_RETENTION_DAYS, capped by RETENTION_DAYS). */
  auditRetentionDays: number;
  /** No record that expires is kept longer than this many days (RETENTION_DAYS; the store caps every expiry). */
  retentionCapDays: number;
  /** How long memory, summaries, done todos and usage records are kept (per-kind settings, capped by RETENTION_DAYS). */
  retention: RetentionSettings;
  /** Limits for reading shared files and documents (DOCUMENT_*). */
  documents: DocumentLimits;
  /** Mask personal data and secrets in everything sent to the model (MASK_PERSONAL_DATA). */
  maskPersonalData: boolean;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken?: string;
  llm: LlmConfig;
  limits: LimitsConfig;
  slack?: SlackConfig;
  lark?: LarkConfig;
  /** Run the console assistant on stdin/stdout (no chat platform configured, or forced). */
  console: boolean;
  /** The web console under `/admin`. */
  admin: AdminConfig;
  /** Model prices for cost estimates (MODEL_PRICES), over the built-in Bedrock defaults. */
  modelPrices: ModelPriceTable;
  /** The knowledge base: folder, index, engine, embedding model (KNOWLEDGE_*, DATA_DIR, EMBEDDING_*). */
  knowledge: KnowledgeConfig;
  /** Where Deskmate keeps its own files (DATA_DIR, default `./data`). */
  dataDir: string;
}

/** The web console's settings: on with a password; without one only beside the console assistant, locally. */
export interface AdminConfig {
  /** The password that signs in (ADMIN_PASSWORD). */
  password?: string;
  /** The key sessions are signed with (ADMIN_SESSION_SECRET); derived from the password when unset. */
  sessionSecret?: string;
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
  /** AWS_DEFAULT_REGION as set: the region when AWS_REGION is unset. */
  awsDefaultRegion?: string;
  /** The Bedrock Guardrail sent with every request (BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION). */
  bedrockGuardrail?: { id: string; version: string };
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

/** A comma-separated list (spaces allowed) as an array. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The outcome of reading the configuration: the settings and what is risky in them, or what is wrong. */
export type ConfigResult =
  | { ok: true; config: Config; warnings: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[] };

/** Validate settings from an environment (pure: no process access). */
export function parseConfig(environment: Record<string, string | undefined>): ConfigResult {
  const parsed = environmentSchema.safeParse(environment);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  // Every problem at once: a setting the schema refused is left out (its default stands in) for the checks
  // between settings below, which report only variables the schema did not already name.
  const refused = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      refused.add(variable);
      problems.push({ variable, message: issue.message });
    }
  }
  const withoutRefused = Object.fromEntries(
    Object.entries(environment).filter(([name]) => !refused.has(name)),
  );
  const values = parsed.success ? parsed.data : environmentSchema.parse(withoutRefused);
  const need = (variable: string, present: unknown, message: string) => {
    if (!present && !refused.has(variable)) problems.push({ variable, message });
  };

  need(
    'HTTP_HEADERS_TIMEOUT_MS',
    refused.has('HTTP_REQUEST_TIMEOUT_MS') ||
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
    checkBedrockRegion(awsRegion, values.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION', {
      need,
      warn: () => undefined,
    });
  }
  if (values.BEDROCK_GUARDRAIL_ID || values.BEDROCK_GUARDRAIL_VERSION) {
    need(
      'BEDROCK_GUARDRAIL_ID',
      values.BEDROCK_GUARDRAIL_ID,
      'is required with BEDROCK_GUARDRAIL_VERSION. Fix: set BEDROCK_GUARDRAIL_ID to the guardrail id or ARN from the Bedrock console, or unset both.',
    );
    need(
      'BEDROCK_GUARDRAIL_VERSION',
      values.BEDROCK_GUARDRAIL_VERSION,
      'is required with BEDROCK_GUARDRAIL_ID. Fix: set BEDROCK_GUARDRAIL_VERSION to a published version (e.g. 1) or DRAFT.',
    );
    need(
      'BEDROCK_GUARDRAIL_ID',
      provider === 'bedrock',
      'applies to Bedrock only. Fix: use LLM_PROVIDER=bedrock, or unset BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION.',
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
  const report = { need, warn: (variable: string, message: string) => warnings.push({ variable, message }) };
  if (!refused.has('LLM_TOTAL_TIMEOUT_MS')) checkModelTimeouts(values, report);
  checkTimezone(values.DEFAULT_TIMEZONE, report);
  checkAllowedChannels(values.ALLOW_CHANNELS, report);
  checkUnknownNames(environment, report);
  const slack = slackConfigFrom(values, role, report);
  const lark = larkConfigFrom(values, report);
  const knowledge = knowledgeConfigFrom(values, report, awsRegion);

  if (role !== 'all' && !values.REDIS_URL && !refused.has('REDIS_URL')) {
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
    warnings,
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
      maskPersonalData: values.MASK_PERSONAL_DATA === 'on',
      dataDir: values.DATA_DIR ?? './data',
      auditRetentionDays: Math.min(values.AUDIT_RETENTION_DAYS, values.RETENTION_DAYS),
      retentionCapDays: values.RETENTION_DAYS,
      retention: {
        // Nothing is kept longer than RETENTION_DAYS, whatever its own setting says.
        memorySeconds: Math.min(values.MEMORY_RETENTION_HOURS * 3600, values.RETENTION_DAYS * 86400),
        summarySeconds: Math.min(values.SUMMARY_RETENTION_DAYS, values.RETENTION_DAYS) * 86400,
        doneTodoSeconds: Math.min(values.DONE_TODO_RETENTION_DAYS, values.RETENTION_DAYS) * 86400,
        usageDays: Math.min(values.USAGE_RETENTION_DAYS, values.RETENTION_DAYS),
      },
      documents: {
        maxBytes: values.DOCUMENT_MAX_BYTES,
        maxPages: values.DOCUMENT_MAX_PAGES,
        maxUnzippedBytes: values.DOCUMENT_MAX_UNZIPPED_BYTES,
        maxZipEntries: defaultDocumentLimits.maxZipEntries,
        maxSheetRows: values.DOCUMENT_MAX_SHEET_ROWS,
        maxCharacters: values.DOCUMENT_MAX_CHARACTERS,
        timeoutMilliseconds: values.DOCUMENT_TIMEOUT_MS,
      },
      llm: {
        provider,
        bedrockModelId: values.BEDROCK_MODEL_ID,
        awsRegion,
        awsDefaultRegion: values.AWS_DEFAULT_REGION,
        ...(values.BEDROCK_GUARDRAIL_ID && values.BEDROCK_GUARDRAIL_VERSION
          ? {
              bedrockGuardrail: {
                id: values.BEDROCK_GUARDRAIL_ID,
                version: values.BEDROCK_GUARDRAIL_VERSION,
              },
            }
          : {}),
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
      admin: { password: values.ADMIN_PASSWORD, sessionSecret: values.ADMIN_SESSION_SECRET },
      modelPrices: values.MODEL_PRICES,
      knowledge,
    },
  };
}

/**
 * Settings that start but leave the process nothing to do, each with its fix: no Slack, no Lark and no
 * console. Logged as warnings, not refused: the process still serves its health checks and metrics.
 */
export function configWarnings(config: Config): ConfigProblem[] {
  if (config.console || config.slack || config.lark || config.admin.password) return [];
  const platforms =
    'set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, or LARK_APP_ID and LARK_APP_SECRET';
  // A jobs process never runs the console (it is a terminal session where jobs and receiving meet).
  if (config.role === 'jobs') {
    return [
      {
        variable: 'DESKMATE_ROLE',
        message: `is jobs and no Slack or Lark is configured, so there is nothing to post to. Fix: ${platforms}.`,
      },
    ];
  }
  return [
    {
      variable: 'DESKMATE_CONSOLE',
      message: `is off and no Slack or Lark is configured, so there is nothing to serve. Fix: ${platforms} (or DESKMATE_CONSOLE=on for the console).`,
    },
  ];
}

/**
 * The process environment with `.env` (if present) underneath it: real variables win. What `.env` adds also
 * goes into `process.env`, because the AWS SDK (credentials, AWS_ENDPOINT_URL_BEDROCK_RUNTIME) and LanceDB
 * (LANCE_CPU_THREADS) read their own variables there, and a setting in `.env` must not silently do nothing.
 */
export function readEnvironment(path = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(path) ? parseDotenv(readFileSync(path)) : {};
  // A variable set but blank (`PORT=` exported by a profile) counts as unset, here as everywhere else.
  for (const [name, value] of Object.entries(fromFile)) if (!process.env[name]) process.env[name] = value;
  return { ...process.env };
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
