import { configWarnings, parseConfig } from '../../src/config';

/** The problems of a refused configuration, by variable. */
function problemsOf(environment: Record<string, string>): Record<string, string> {
  const result = parseConfig(environment);
  if (result.ok) throw new Error(`expected problems, got none for ${JSON.stringify(environment)}`);
  return Object.fromEntries(result.problems.map((problem) => [problem.variable, problem.message]));
}

/** The warnings of an accepted configuration, by variable. */
function warningsOf(environment: Record<string, string>): Record<string, string> {
  const result = parseConfig(environment);
  if (!result.ok) throw new Error(`expected no problems, got ${JSON.stringify(result.problems)}`);
  return Object.fromEntries(result.warnings.map((warning) => [warning.variable, warning.message]));
}

const slack = { SLACK_BOT_TOKEN: 'xoxb-1-bot', SLACK_APP_TOKEN: 'xapp-1-app' };

describe('configuration checks between settings', () => {
  test('a bad value and a missing companion setting are reported in the same run', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'y', DESKMATE_ROLE: 'z', LLM_PROVIDER: 'bedrock' });
    expect(Object.keys(problems).sort()).toEqual(
      ['AWS_REGION', 'BEDROCK_MODEL_ID', 'DESKMATE_ROLE', 'LOG_LEVEL', 'PORT'].sort(),
    );
    expect(problems.LOG_LEVEL).toMatch(/one of fatal, error, warn/);
    // A refused value is not reported a second time by a check that needed it.
    expect(problemsOf({ DESKMATE_ROLE: 'web', REDIS_URL: 'localhost:6379' }).REDIS_URL).toMatch(
      /must start with redis:\/\//,
    );
    expect(
      problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: 'abc' }),
    ).not.toHaveProperty('HTTP_HEADERS_TIMEOUT_MS');
  });

  test('DEFAULT_TIMEZONE=CST (read as America/Chicago) and other abbreviations are refused with an IANA name', () => {
    for (const abbreviation of ['CST', 'EST', 'IST', 'PST8PDT']) {
      const problems = problemsOf({ DEFAULT_TIMEZONE: abbreviation });
      expect(problems.DEFAULT_TIMEZONE).toMatch(
        /abbreviation .*Fix: use an IANA name, e.g. DEFAULT_TIMEZONE=Asia\/Shanghai/,
      );
    }
    expect(problemsOf({ DEFAULT_TIMEZONE: 'CST' }).DEFAULT_TIMEZONE).toContain('America/Chicago');
    expect(warningsOf({ DEFAULT_TIMEZONE: 'UTC' })).toEqual({});
    expect(warningsOf({ DEFAULT_TIMEZONE: 'Asia/Shanghai' })).toEqual({});
  });

  test('Etc/GMT+8 starts, with a warning that it is UTC−8', () => {
    expect(warningsOf({ DEFAULT_TIMEZONE: 'Etc/GMT+8' }).DEFAULT_TIMEZONE).toMatch(
      /is Etc\/GMT\+8, which is UTC−8: in Etc\/GMT names the sign is reversed\. Fix: .*Asia\/Shanghai/,
    );
    expect(warningsOf({ DEFAULT_TIMEZONE: 'Etc/GMT-8' }).DEFAULT_TIMEZONE).toMatch(/which is UTC\+8/);
  });

  test('misspelled setting names get one warning each with the closest real name', () => {
    const warnings = warningsOf({
      LLM_MODEL_SUMMARY: 'qwen-max',
      SLACK_BOT_TOKNE: 'xoxb-1',
      LOGLEVEL: 'debug',
      DESKMATE_WHATEVER: 'x',
      HOME: '/root',
      PATH: '/usr/bin',
      AWS_PROFILE: 'default',
    });
    expect(warnings.LLM_MODEL_SUMMARY).toMatch(
      /is not a Deskmate setting.*did you mean LLM_MODEL_SUMMARIZE\?/,
    );
    expect(warnings.SLACK_BOT_TOKNE).toMatch(/did you mean SLACK_BOT_TOKEN\?/);
    expect(warnings.LOGLEVEL).toMatch(/did you mean LOG_LEVEL\?/);
    expect(warnings.DESKMATE_WHATEVER).toMatch(/check the name in .env.example/);
    expect(Object.keys(warnings).sort()).toEqual([
      'DESKMATE_WHATEVER',
      'LLM_MODEL_SUMMARY',
      'LOGLEVEL',
      'SLACK_BOT_TOKNE',
    ]);
    expect(warningsOf({ LLM_MODEL_SUMMARIZE: 'qwen-max', DESKMATE_HOST_PORT: '3000' })).toEqual({});
  });

  test('a Slack token of the wrong kind stops the start with the fix', () => {
    expect(problemsOf({ ...slack, SLACK_BOT_TOKEN: 'xoxp-1-user' }).SLACK_BOT_TOKEN).toMatch(
      /^is a user token \(xoxp-\), not a bot token\. Fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token \(xoxb-…\)/,
    );
    expect(problemsOf({ ...slack, SLACK_BOT_TOKEN: 'xapp-1-app' }).SLACK_BOT_TOKEN).toMatch(
      /put the xapp- token in SLACK_APP_TOKEN/,
    );
    expect(problemsOf({ ...slack, SLACK_APP_TOKEN: 'xoxb-1-bot' }).SLACK_APP_TOKEN).toMatch(
      /^is a bot token \(xoxb-\), not an app-level token\. Fix: set SLACK_APP_TOKEN to an app-level token/,
    );
    expect(parseConfig(slack).ok).toBe(true);
  });

  test('Bedrock regions: a typo and mainland China are refused at start', () => {
    const bedrock = {
      LLM_PROVIDER: 'bedrock',
      BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    };
    expect(problemsOf({ ...bedrock, AWS_REGION: 'us-east1' }).AWS_REGION).toMatch(
      /"us-east1" is not an AWS region name\. Fix: e\.g\. AWS_REGION=us-east-1/,
    );
    expect(problemsOf({ ...bedrock, AWS_REGION: 'cn-north-1' }).AWS_REGION).toMatch(
      /Bedrock is not offered in mainland China\. Fix: use LLM_PROVIDER=openai with an OpenAI-compatible endpoint/,
    );
    expect(problemsOf({ ...bedrock, AWS_DEFAULT_REGION: 'Frankfurt' })).toHaveProperty('AWS_DEFAULT_REGION');
    for (const region of ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'us-gov-west-1']) {
      expect(parseConfig({ ...bedrock, AWS_REGION: region }).ok).toBe(true);
    }
  });

  test('a first-token deadline longer than the whole answer is refused', () => {
    expect(
      problemsOf({ LLM_FIRST_TOKEN_TIMEOUT_MS: '200000', LLM_TOTAL_TIMEOUT_MS: '120000' })
        .LLM_FIRST_TOKEN_TIMEOUT_MS,
    ).toMatch(/200000 is more than LLM_TOTAL_TIMEOUT_MS \(120000\).*Fix:/);
  });

  test('ALLOW_CHANNELS=#general is refused: it is a name, and the fix shows what an id looks like', () => {
    expect(problemsOf({ ALLOW_CHANNELS: 'C0123ABCD, #general' }).ALLOW_CHANNELS).toMatch(
      /"#general" is a channel name, not an id\. Fix: list channel ids: Slack's look like C0123ABCD.*Lark's like oc_/,
    );
    expect(parseConfig({ ALLOW_CHANNELS: 'C0123ABCD,oc_1a2b' }).ok).toBe(true);
  });

  test('messages: DESKMATE_CONSOLE echoes the value; a jobs process with no platform does not mention the console', () => {
    expect(problemsOf({ DESKMATE_CONSOLE: 'yes' }).DESKMATE_CONSOLE).toBe(
      '"yes" is not valid. Fix: set DESKMATE_CONSOLE to on, off or auto.',
    );
    const jobs = parseConfig({ DESKMATE_ROLE: 'jobs', REDIS_URL: 'redis://127.0.0.1:6379' });
    if (!jobs.ok) throw new Error('expected a jobs configuration');
    const [warning] = configWarnings(jobs.config);
    expect(warning.variable).toBe('DESKMATE_ROLE');
    expect(warning.message).toMatch(
      /^is jobs and no Slack or Lark is configured, so there is nothing to post to/,
    );
    expect(warning.message).not.toContain('CONSOLE');
  });
});
