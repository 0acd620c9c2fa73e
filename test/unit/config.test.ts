import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { configWarnings, formatConfigProblems, parseConfig } from '../../src/config';

const root = resolve(__dirname, '../..');

describe('configuration', () => {
  test('an empty environment runs the console assistant offline on port 3000', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({ port: 3000, console: true, defaultTimezone: 'UTC' });
    expect(result.config.llm.provider).toBe('offline');
    expect(result.config.redisUrl).toBeUndefined();
  });

  test('document limits: 25 MB and the extraction defaults, each settable, a bad value named with its fix', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.documents).toEqual({
      maxBytes: 25 * 1024 * 1024,
      maxPages: 500,
      maxUnzippedBytes: 250 * 1024 * 1024,
      maxZipEntries: 10_000,
      maxSheetRows: 2000,
      maxCharacters: 3_000_000,
      timeoutMilliseconds: 60_000,
    });
    const set = parseConfig({
      DOCUMENT_MAX_BYTES: '1048576',
      DOCUMENT_MAX_PAGES: '20',
      DOCUMENT_MAX_UNZIPPED_BYTES: '10485760',
      DOCUMENT_MAX_SHEET_ROWS: '100',
      DOCUMENT_MAX_CHARACTERS: '50000',
      DOCUMENT_TIMEOUT_MS: '5000',
    });
    expect(set.ok && set.config.documents).toMatchObject({
      maxBytes: 1048576,
      maxPages: 20,
      maxUnzippedBytes: 10485760,
      maxSheetRows: 100,
      maxCharacters: 50000,
      timeoutMilliseconds: 5000,
    });
    const bad = parseConfig({ DOCUMENT_MAX_BYTES: '25MB' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatchObject({ variable: 'DOCUMENT_MAX_BYTES' });
    if (!bad.ok) expect(bad.problems[0].message).toMatch(/Fix: set DOCUMENT_MAX_BYTES to a whole number/);
  });

  test('every problem is reported with the variable and its fix', () => {
    const result = parseConfig({ LLM_PROVIDER: 'foo', PORT: 'abc', DEFAULT_TIMEZONE: 'Mars/Base' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byVariable = Object.fromEntries(
      result.problems.map((problem) => [problem.variable, problem.message]),
    );
    expect(byVariable.LLM_PROVIDER).toMatch(/bedrock, openai or offline/);
    expect(byVariable.PORT).toMatch(/Fix: set PORT to a whole number/);
    expect(byVariable.DEFAULT_TIMEZONE).toMatch(/IANA timezone/);
  });

  test('providers and platforms say which companion variable is missing', () => {
    const result = parseConfig({
      LLM_PROVIDER: 'openai',
      SLACK_BOT_TOKEN: 'xoxb-1',
      LARK_APP_ID: 'cli_0123456789abcdef',
      LARK_APP_SECRET: 's',
      LARK_MODE: 'webhook',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = formatConfigProblems(result.problems);
    expect(text).toMatch(/OPENAI_BASE_URL/);
    expect(text).toMatch(/OPENAI_MODEL/);
    expect(text).toMatch(/set SLACK_SIGNING_SECRET \(HTTP mode\) or SLACK_APP_TOKEN/);
    expect(text).toMatch(/set LARK_ENCRYPT_KEY, or use LARK_MODE=ws/);
  });

  test('per-skill model overrides come from LLM_MODEL_<SKILL>', () => {
    const result = parseConfig({
      BEDROCK_MODEL_ID: 'us.anthropic.claude-haiku',
      AWS_REGION: 'us-east-1',
      LLM_MODEL_SUMMARIZE: 'us.anthropic.claude-sonnet',
    });
    expect(result.ok && result.config.llm).toMatchObject({
      provider: 'bedrock',
      modelOverrides: { summarize: 'us.anthropic.claude-sonnet' },
    });
  });

  test('Slack or Lark credentials turn the console off', () => {
    const result = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(result.ok && result.config.console).toBe(false);
  });

  test('no platform with the console off is a warning with its fix: nothing to serve', () => {
    const idle = parseConfig({ DESKMATE_CONSOLE: 'off' });
    expect(idle.ok && configWarnings(idle.config)).toEqual([
      {
        variable: 'DESKMATE_CONSOLE',
        message: expect.stringMatching(
          /^is off and no Slack or Lark is configured, so there is nothing to serve\. Fix: set SLACK_BOT_TOKEN .*LARK_APP_ID/,
        ),
      },
    ]);
    // The web console alone is something to serve.
    const webConsole = { DESKMATE_CONSOLE: 'off', ADMIN_PASSWORD: 'a long console password' };
    for (const serving of [{}, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, webConsole]) {
      const result = parseConfig({ ...serving });
      expect(result.ok && configWarnings(result.config)).toEqual([]);
    }
  });

  test('the HTTP server limits: defaults, settings, and a fix for a bad value', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.http).toEqual({
      headersTimeoutMs: 15000,
      requestTimeoutMs: 30000,
      maxUnauthenticatedBytes: 32 * 1024 * 1024,
    });
    const set = parseConfig({
      HTTP_HEADERS_TIMEOUT_MS: '10000',
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      MAX_UNAUTHENTICATED_BYTES: '8388608',
    });
    expect(set.ok && set.config.http).toEqual({
      headersTimeoutMs: 10000,
      requestTimeoutMs: 20000,
      maxUnauthenticatedBytes: 8388608,
    });
    const bad = parseConfig({ MAX_UNAUTHENTICATED_BYTES: '1000' });
    expect(bad.ok ? [] : bad.problems.map((problem) => problem.variable)).toEqual([
      'MAX_UNAUTHENTICATED_BYTES',
    ]);
    // Node refuses a headers timeout longer than the request timeout; the settings say how to fix it.
    const inverted = parseConfig({ HTTP_HEADERS_TIMEOUT_MS: '66000', HTTP_REQUEST_TIMEOUT_MS: '30000' });
    expect(inverted.ok ? '' : formatConfigProblems(inverted.problems)).toMatch(
      /HTTP_HEADERS_TIMEOUT_MS: 66000 is more than HTTP_REQUEST_TIMEOUT_MS \(30000\).*Fix:/,
    );
  });

  describe('Lark settings, checked once here', () => {
    const lark = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 'secret' };
    const problemsOf = (environment: Record<string, string>) => {
      const result = parseConfig(environment);
      return result.ok ? [] : result.problems.map((problem) => problem.variable);
    };

    test('a complete long-connection setup has no problems and no warnings', () => {
      const result = parseConfig(lark);
      expect(result.ok && result.warnings).toEqual([]);
      expect(result.ok && result.config.lark).toMatchObject({ mode: 'ws', domain: 'feishu' });
    });

    test('webhook mode needs an encrypt key, and warns without a verification token, naming it', () => {
      const result = parseConfig({ ...lark, LARK_MODE: 'webhook' });
      expect(!result.ok && result.problems).toContainEqual({
        variable: 'LARK_ENCRYPT_KEY',
        message: expect.stringContaining('set LARK_ENCRYPT_KEY, or use LARK_MODE=ws'),
      });
      const warned = parseConfig({ ...lark, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: 'key' });
      expect(warned.ok && warned.warnings.map((warning) => warning.variable)).toEqual([
        'LARK_VERIFICATION_TOKEN',
      ]);
    });

    test('a missing secret, a malformed app id (long connection) and an unknown domain stop the start', () => {
      expect(problemsOf({ LARK_APP_ID: 'my-app' })).toEqual(['LARK_APP_ID', 'LARK_APP_SECRET']);
      expect(problemsOf({ ...lark, LARK_DOMAIN: 'example' })).toEqual(['LARK_DOMAIN']);
      // With webhooks a strange id only warns: Lark itself is the judge there.
      const webhook = parseConfig({
        ...lark,
        LARK_APP_ID: 'my-app',
        LARK_MODE: 'webhook',
        LARK_ENCRYPT_KEY: 'k',
      });
      expect(webhook.ok && webhook.warnings.map((warning) => warning.variable)).toContain('LARK_APP_ID');
    });
  });

  test('npm start with invalid settings exits 2 and names each variable and fix', () => {
    const child = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, LLM_PROVIDER: 'foo', PORT: 'abc' },
      input: '',
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/2 configuration problems/);
    expect(child.stderr).toMatch(/PORT: "abc" is not valid\. Fix: set PORT/);
    expect(child.stderr).toMatch(
      /LLM_PROVIDER: "foo" is not a provider\. Fix: set LLM_PROVIDER to bedrock, openai or offline/,
    );
  });
});
