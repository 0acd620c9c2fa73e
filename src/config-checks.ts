import type { ConfigReport } from './config-platforms';
import { type EnvironmentValues, environmentSchema, timezoneAbbreviation } from './config-schema';

/** The zone a timezone name resolves to at runtime, or undefined when the runtime does not know it. */
function resolvedZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * DEFAULT_TIMEZONE beyond "the runtime knows it": a legacy abbreviation (CST, EST, IST, …) is refused, and
 * `Etc/GMT±N` is warned about, since its sign is the reverse of what most people expect.
 */
export function checkTimezone(value: string | undefined, report: ConfigReport): void {
  if (!value) return;
  if (timezoneAbbreviation.test(value)) {
    const zone = resolvedZone(value);
    const meaning = zone && zone !== value ? ` (this runtime reads it as ${zone})` : '';
    report.need(
      'DEFAULT_TIMEZONE',
      false,
      `"${value}" is an abbreviation that means different zones in different places${meaning}: CST is US Central time here, not China Standard Time. Fix: use an IANA name, e.g. DEFAULT_TIMEZONE=Asia/Shanghai, America/Chicago or Asia/Kolkata.`,
    );
    return;
  }
  const gmt = /^Etc\/GMT([+-])(\d{1,2})$/i.exec(value);
  if (gmt && gmt[2] !== '0') {
    const actual = `UTC${gmt[1] === '+' ? '−' : '+'}${gmt[2]}`;
    report.warn(
      'DEFAULT_TIMEZONE',
      `is ${value}, which is ${actual}: in Etc/GMT names the sign is reversed. Fix: if you meant ${actual.replace('−', '-')} keep it; otherwise use an IANA city name, e.g. DEFAULT_TIMEZONE=Asia/Shanghai for UTC+8.`,
    );
  }
}

/** An AWS region as AWS spells them: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-7`. */
const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** The Bedrock region's shape, checked without a network call: a typo, and mainland China, are refused. */
export function checkBedrockRegion(region: string | undefined, variable: string, report: ConfigReport): void {
  if (!region) return;
  if (/^cn-/.test(region)) {
    report.need(
      variable,
      false,
      `"${region}": Bedrock is not offered in mainland China. Fix: use LLM_PROVIDER=openai with an OpenAI-compatible endpoint (e.g. OPENAI_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1), or an AWS region outside China such as ap-northeast-1.`,
    );
    return;
  }
  report.need(
    variable,
    regionPattern.test(region),
    `"${region}" is not an AWS region name. Fix: e.g. ${variable}=us-east-1, eu-central-1 or ap-southeast-1 (two letters, a dash, the area, a dash, a number).`,
  );
}

/** The first-token deadline must fit inside the whole answer's deadline. */
export function checkModelTimeouts(values: EnvironmentValues, report: ConfigReport): void {
  report.need(
    'LLM_FIRST_TOKEN_TIMEOUT_MS',
    values.LLM_FIRST_TOKEN_TIMEOUT_MS <= values.LLM_TOTAL_TIMEOUT_MS,
    `${values.LLM_FIRST_TOKEN_TIMEOUT_MS} is more than LLM_TOTAL_TIMEOUT_MS (${values.LLM_TOTAL_TIMEOUT_MS}), which covers the first token too. Fix: set LLM_FIRST_TOKEN_TIMEOUT_MS to at most LLM_TOTAL_TIMEOUT_MS, e.g. 30000 and 120000.`,
  );
}

/** ALLOW_CHANNELS holds channel ids; a `#name` never matches one, so nothing would be answered there. */
export function checkAllowedChannels(value: string | undefined, report: ConfigReport): void {
  const names = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.startsWith('#'));
  if (names.length === 0) return;
  report.need(
    'ALLOW_CHANNELS',
    false,
    `"${names.join(', ')}" ${names.length === 1 ? 'is a channel name, not an id' : 'are channel names, not ids'}. Fix: list channel ids: Slack's look like C0123ABCD (channel details → About, at the bottom), Lark's like oc_1a2b3c… (group settings or the chat_id in the API).`,
  );
}

/** The prefixes of Deskmate's own settings: a name with one of them that Deskmate does not read is a typo. */
const ownPrefixes = [
  'LLM_',
  'SLACK_',
  'LARK_',
  'DESKMATE_',
  'KNOWLEDGE_',
  'OPENAI_',
  'BEDROCK_',
  'ADMIN_',
  'DOCUMENT_',
  'EMBEDDING_',
  'RERANK_',
  'REDIS_',
  'RATE_LIMIT_',
  'ALLOW_',
  'OPENSEARCH_',
];

/** The skills a model can be chosen for with `LLM_MODEL_<SKILL>` (the request purposes). */
const modelOverrideSkills = ['ASK', 'CHAT', 'DRAFT', 'ROUTE', 'SUMMARIZE', 'TODO'];

/** Names with those prefixes that are read elsewhere: Compose and the OpenSearch container, and the tests. */
const otherKnownNames = [
  'DESKMATE_HOST_PORT',
  'DESKMATE_TEST_LOG',
  'OPENSEARCH_INITIAL_ADMIN_PASSWORD',
  'OPENSEARCH_JAVA_OPTS',
];

/** Every setting name Deskmate knows. */
export const knownSettingNames: readonly string[] = [
  ...Object.keys(environmentSchema.shape),
  ...modelOverrideSkills.map((skill) => `LLM_MODEL_${skill}`),
  ...otherKnownNames,
];

/** How many single-character edits turn one name into the other. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = previous[column - 1] + (left[row - 1] === right[column - 1] ? 0 : 1);
      current[column] = Math.min(previous[column] + 1, current[column - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[right.length];
}

/** A name without case and underscores, so LOGLEVEL and log_level meet LOG_LEVEL. */
const squashed = (name: string) => name.toUpperCase().replace(/_/g, '');

/** The known name closest to `name`, when it is close enough to be what was meant. */
function closestKnownName(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of knownSettingNames) {
    const distance = editDistance(squashed(name), squashed(known));
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.name.length / 4)) ? best.name : undefined;
}

/**
 * Warn about names that look like Deskmate settings but are not read (LLM_MODEL_SUMMARY, SLACK_BOT_TOKNE,
 * LOGLEVEL), each with the closest known name: Deskmate would otherwise ignore them without a word.
 */
export function checkUnknownNames(
  environment: Record<string, string | undefined>,
  report: ConfigReport,
): void {
  const known = new Set(knownSettingNames);
  const knownSquashed = new Map(knownSettingNames.map((name) => [squashed(name), name]));
  for (const name of Object.keys(environment).sort()) {
    if (known.has(name) || environment[name] === undefined) continue;
    const sameLetters = knownSquashed.get(squashed(name));
    const ours = ownPrefixes.some((prefix) => name.toUpperCase().startsWith(prefix));
    if (!sameLetters && !ours) continue;
    const meant = sameLetters ?? closestKnownName(name);
    report.warn(
      name,
      `is not a Deskmate setting, so it does nothing. Fix: ${meant ? `did you mean ${meant}? Rename it` : 'check the name in .env.example or the README, or remove it'}.`,
    );
  }
}
