import type { Config } from '../config';
import type { Language } from '../text/language';
import { knowledgeSettings } from './settings-knowledge';
import { awsDefaultRegionSetting, retentionSettings } from './settings-retention';

/** One setting as the console shows it: its variable, its effective value, what it does. */
export interface SettingEntry {
  /** The environment variable. */
  variable: string;
  /** The section it belongs to. */
  group: 'server' | 'state' | 'model' | 'knowledge' | 'privacy' | 'limits' | 'slack' | 'lark' | 'console';
  /** Never shown: only whether it is set. */
  secret?: boolean;
  /** The effective value (defaults included), or undefined when unset. */
  value(config: Config): string | number | boolean | undefined;
  /** What it does, or what setting it would turn on. */
  meaning: Record<Language, string>;
}

const list = (items: string[]) => (items.length > 0 ? items.join(', ') : undefined);

/** A Redis URL with its password hidden. */
export function maskRedisUrl(url: string): string {
  return url.replace(
    /^(rediss?:\/\/)([^@/]*:)?[^@/]*@/,
    (_whole, scheme: string, user: string | undefined) => `${scheme}${user ?? ''}•••@`,
  );
}

/** Every setting Deskmate reads, in README order, with what it does in English and Chinese. */
export const settingsCatalog: readonly SettingEntry[] = [
  {
    variable: 'PORT',
    group: 'server',
    value: (c) => c.port,
    meaning: {
      en: 'HTTP port for webhooks, health, metrics and this console.',
      zh: 'Webhook、健康检查、指标和本控制台的 HTTP 端口。',
    },
  },
  {
    variable: 'HOST',
    group: 'server',
    value: (c) => c.host,
    meaning: { en: 'Address to listen on.', zh: '监听地址。' },
  },
  {
    variable: 'LOG_LEVEL',
    group: 'server',
    value: (c) => c.logLevel,
    meaning: { en: 'How much is logged.', zh: '日志级别。' },
  },
  {
    variable: 'DESKMATE_ROLE',
    group: 'server',
    value: (c) => c.role,
    meaning: { en: 'all, web (receive) or jobs (run jobs).', zh: 'all、web（接收）或 jobs（运行任务）。' },
  },
  {
    variable: 'WORKER_CONCURRENCY',
    group: 'server',
    value: (c) => c.workerConcurrency,
    meaning: { en: 'Jobs run at once per process.', zh: '每个进程同时运行的任务数。' },
  },
  {
    variable: 'SHUTDOWN_GRACE_MS',
    group: 'server',
    value: (c) => c.shutdownGraceMs,
    meaning: { en: 'How long running jobs may finish on shutdown.', zh: '关闭时运行中任务可继续的时间。' },
  },
  {
    variable: 'JOB_LOCK_DURATION_MS',
    group: 'server',
    value: (c) => c.jobLockDurationMs,
    meaning: {
      en: 'How long a running job stays locked to its process.',
      zh: '运行中任务锁定在进程上的时长。',
    },
  },
  {
    variable: 'HTTP_HEADERS_TIMEOUT_MS',
    group: 'server',
    value: (c) => c.http.headersTimeoutMs,
    meaning: { en: 'Deadline for a request’s headers.', zh: '请求头的时限。' },
  },
  {
    variable: 'HTTP_REQUEST_TIMEOUT_MS',
    group: 'server',
    value: (c) => c.http.requestTimeoutMs,
    meaning: { en: 'Deadline for a whole request.', zh: '整个请求的时限。' },
  },
  {
    variable: 'MAX_UNAUTHENTICATED_BYTES',
    group: 'server',
    value: (c) => c.http.maxUnauthenticatedBytes,
    meaning: {
      en: 'Bytes unverified request bodies may hold at once.',
      zh: '未验证请求体可同时占用的字节数。',
    },
  },
  {
    variable: 'METRICS_TOKEN',
    group: 'server',
    secret: true,
    value: (c) => c.metricsToken,
    meaning: {
      en: 'Protects /metrics with a bearer token (unset: /metrics is open).',
      zh: '用 Bearer 令牌保护 /metrics（未设置时 /metrics 公开）。',
    },
  },
  {
    variable: 'DEFAULT_TIMEZONE',
    group: 'server',
    value: (c) => c.defaultTimezone,
    meaning: { en: 'Timezone for dates when a profile has none.', zh: '用户资料没有时区时使用的时区。' },
  },
  {
    variable: 'DESKMATE_CONSOLE',
    group: 'server',
    value: (c) => (c.console ? 'on' : 'off'),
    meaning: { en: 'The console assistant on stdin/stdout.', zh: '终端中的控制台助手。' },
  },
  {
    variable: 'REDIS_URL',
    group: 'state',
    value: (c) => (c.redisUrl ? maskRedisUrl(c.redisUrl) : undefined),
    meaning: {
      en: 'Redis: jobs survive restarts, several processes share one queue, reminders are durable.',
      zh: 'Redis：任务重启后不丢失，多个进程共享队列，提醒持久化。',
    },
  },
  {
    variable: 'REDIS_KEY_PREFIX',
    group: 'state',
    value: (c) => c.redisKeyPrefix,
    meaning: { en: 'Prefix for every key.', zh: '所有键的前缀。' },
  },
  {
    variable: 'LLM_PROVIDER',
    group: 'model',
    value: (c) => c.llm.provider,
    meaning: { en: 'bedrock, openai or offline.', zh: 'bedrock、openai 或 offline。' },
  },
  {
    variable: 'BEDROCK_MODEL_ID',
    group: 'model',
    value: (c) => c.llm.bedrockModelId,
    meaning: {
      en: 'A Bedrock model: answers, summaries and routing of free text.',
      zh: 'Bedrock 模型：回答、总结和自由文本路由。',
    },
  },
  {
    variable: 'AWS_REGION',
    group: 'model',
    value: (c) => c.llm.awsRegion,
    meaning: { en: 'The Bedrock region.', zh: 'Bedrock 区域。' },
  },
  awsDefaultRegionSetting,
  {
    variable: 'BEDROCK_GUARDRAIL_ID',
    group: 'model',
    value: (c) => c.llm.bedrockGuardrail?.id,
    meaning: {
      en: 'A Bedrock Guardrail checks every request and answer.',
      zh: 'Bedrock Guardrail 检查每个请求和回答。',
    },
  },
  {
    variable: 'BEDROCK_GUARDRAIL_VERSION',
    group: 'model',
    value: (c) => c.llm.bedrockGuardrail?.version,
    meaning: { en: 'The Guardrail’s version.', zh: 'Guardrail 的版本。' },
  },
  {
    variable: 'OPENAI_BASE_URL',
    group: 'model',
    value: (c) => c.llm.openaiBaseUrl,
    meaning: {
      en: 'An OpenAI-compatible model (Qwen, DeepSeek, vLLM, Ollama).',
      zh: 'OpenAI 兼容模型（通义千问、DeepSeek、vLLM、Ollama）。',
    },
  },
  {
    variable: 'OPENAI_API_KEY',
    group: 'model',
    secret: true,
    value: (c) => c.llm.openaiApiKey,
    meaning: { en: 'Its API key.', zh: '其 API 密钥。' },
  },
  {
    variable: 'OPENAI_MODEL',
    group: 'model',
    value: (c) => c.llm.openaiModel,
    meaning: { en: 'Its model name.', zh: '其模型名称。' },
  },
  {
    variable: 'LLM_MODEL_<SKILL>',
    group: 'model',
    value: (c) => list(Object.entries(c.llm.modelOverrides).map(([skill, model]) => `${skill}=${model}`)),
    meaning: {
      en: 'Another model for one skill (e.g. LLM_MODEL_SUMMARIZE).',
      zh: '为某个技能指定其他模型（如 LLM_MODEL_SUMMARIZE）。',
    },
  },
  {
    variable: 'LLM_FIRST_TOKEN_TIMEOUT_MS',
    group: 'model',
    value: (c) => c.llm.firstTokenTimeoutMs,
    meaning: { en: 'Deadline for the first token.', zh: '首个 token 的时限。' },
  },
  {
    variable: 'LLM_TOTAL_TIMEOUT_MS',
    group: 'model',
    value: (c) => c.llm.totalTimeoutMs,
    meaning: { en: 'Deadline for a whole answer.', zh: '整个回答的时限。' },
  },
  {
    variable: 'LLM_MAX_RETRIES',
    group: 'model',
    value: (c) => c.llm.maxRetries,
    meaning: {
      en: 'Retries on throttling before the first token.',
      zh: '首个 token 前遇到限流时的重试次数。',
    },
  },
  {
    variable: 'MODEL_PRICES',
    group: 'model',
    value: (c) =>
      list(
        Object.entries(c.modelPrices).map(
          ([model, price]) => `${model}=${price.inputPerMillion}/${price.outputPerMillion}`,
        ),
      ),
    meaning: {
      en: 'Your prices (USD per million tokens in/out, e.g. qwen-plus=0.4/1.2) for the cost estimates. Unset: Bedrock models use list prices; any other model’s cost shows as unknown.',
      zh: '成本估算使用的价格（美元/百万 token，输入/输出，例如 qwen-plus=0.4/1.2）。未设置时：Bedrock 模型使用标价，其他模型的费用显示为未知。',
    },
  },
  ...retentionSettings,
  ...knowledgeSettings,
  {
    variable: 'MASK_PERSONAL_DATA',
    group: 'privacy',
    value: (c) => (c.maskPersonalData ? 'on' : 'off'),
    meaning: {
      en: 'Mask personal data and secrets before the model.',
      zh: '发送给模型前遮盖个人数据和密钥。',
    },
  },
  {
    variable: 'ALLOW_WORKSPACES',
    group: 'limits',
    value: (c) => list(c.limits.allowWorkspaces),
    meaning: { en: 'Serve only these workspaces (unset: all).', zh: '只服务这些工作区（未设置：全部）。' },
  },
  {
    variable: 'ALLOW_CHANNELS',
    group: 'limits',
    value: (c) => list(c.limits.allowChannels),
    meaning: { en: 'Serve only these channels (unset: all).', zh: '只服务这些频道（未设置：全部）。' },
  },
  {
    variable: 'ALLOW_USERS',
    group: 'limits',
    value: (c) => list(c.limits.allowUsers),
    meaning: { en: 'Serve only these people (unset: everyone).', zh: '只服务这些用户（未设置：所有人）。' },
  },
  {
    variable: 'RATE_LIMIT_USER_PER_MINUTE',
    group: 'limits',
    value: (c) => c.limits.userPerMinute,
    meaning: { en: 'Requests per person per minute (0: unlimited).', zh: '每人每分钟请求数（0：不限）。' },
  },
  {
    variable: 'RATE_LIMIT_WORKSPACE_PER_MINUTE',
    group: 'limits',
    value: (c) => c.limits.workspacePerMinute,
    meaning: {
      en: 'Requests per workspace per minute (0: unlimited).',
      zh: '每个工作区每分钟请求数（0：不限）。',
    },
  },
  {
    variable: 'LLM_MAX_REQUEST_TOKENS',
    group: 'limits',
    value: (c) => c.limits.maxRequestTokens,
    meaning: { en: 'Most input tokens one model call may send.', zh: '单次模型调用最多输入 token 数。' },
  },
  {
    variable: 'DAILY_TOKEN_BUDGET_PER_WORKSPACE',
    group: 'limits',
    value: (c) => c.limits.dailyWorkspaceTokens,
    meaning: {
      en: 'Model tokens a workspace may use per day (0: unlimited).',
      zh: '每个工作区每天可用的模型 token（0：不限）。',
    },
  },
  {
    variable: 'SLACK_BOT_TOKEN',
    group: 'slack',
    secret: true,
    value: (c) => c.slack?.botToken,
    meaning: {
      en: 'Slack: mentions, DMs, slash commands and buttons in your workspace.',
      zh: 'Slack：在工作区中使用 @提及、私信、斜杠命令和按钮。',
    },
  },
  {
    variable: 'SLACK_SIGNING_SECRET',
    group: 'slack',
    secret: true,
    value: (c) => c.slack?.signingSecret,
    meaning: {
      en: 'Slack over HTTP (POST /slack/events).',
      zh: '通过 HTTP 接收 Slack 事件（POST /slack/events）。',
    },
  },
  {
    variable: 'SLACK_APP_TOKEN',
    group: 'slack',
    secret: true,
    value: (c) => c.slack?.appToken,
    meaning: { en: 'Slack Socket Mode (no public URL).', zh: 'Slack Socket Mode（无需公网地址）。' },
  },
  {
    variable: 'SLACK_API_URL',
    group: 'slack',
    value: (c) => c.slack?.apiUrl,
    meaning: { en: 'Another Slack Web API base URL (tests).', zh: '其他 Slack Web API 地址（测试用）。' },
  },
  {
    variable: 'LARK_APP_ID',
    group: 'lark',
    value: (c) => c.lark?.appId,
    meaning: {
      en: 'Lark/Feishu: group mentions, direct chats, tasks and calendar.',
      zh: '飞书：群聊 @、单聊、任务和日历。',
    },
  },
  {
    variable: 'LARK_APP_SECRET',
    group: 'lark',
    secret: true,
    value: (c) => c.lark?.appSecret,
    meaning: { en: 'The Lark app’s secret.', zh: '飞书应用的密钥。' },
  },
  {
    variable: 'LARK_ENCRYPT_KEY',
    group: 'lark',
    secret: true,
    value: (c) => c.lark?.encryptKey,
    meaning: { en: 'Lark webhook mode (encrypted events).', zh: '飞书 Webhook 模式（加密事件）。' },
  },
  {
    variable: 'LARK_VERIFICATION_TOKEN',
    group: 'lark',
    secret: true,
    value: (c) => c.lark?.verificationToken,
    meaning: { en: 'Checks Lark’s verification token.', zh: '校验飞书的验证令牌。' },
  },
  {
    variable: 'LARK_DOMAIN',
    group: 'lark',
    value: (c) => c.lark?.domain,
    meaning: { en: 'feishu, lark or a base URL.', zh: 'feishu、lark 或基础地址。' },
  },
  {
    variable: 'LARK_MODE',
    group: 'lark',
    value: (c) => c.lark?.mode,
    meaning: { en: 'ws (long connection) or webhook.', zh: 'ws（长连接）或 webhook。' },
  },
  {
    variable: 'ADMIN_PASSWORD',
    group: 'console',
    secret: true,
    value: (c) => c.admin.password,
    meaning: {
      en: 'This web console for anyone with the password (else only beside the local console assistant).',
      zh: '凭密码使用本网页控制台（否则仅在本地控制台助手旁可用）。',
    },
  },
  {
    variable: 'ADMIN_SESSION_SECRET',
    group: 'console',
    secret: true,
    value: (c) => c.admin.sessionSecret,
    meaning: {
      en: 'Signs console sessions (unset: derived from ADMIN_PASSWORD).',
      zh: '签名控制台会话（未设置：由 ADMIN_PASSWORD 派生）。',
    },
  },
];
