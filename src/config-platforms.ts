import type { DeskmateRole, LarkConfig, SlackConfig } from './config';
import type { EnvironmentValues } from './config-schema';

/** How a platform section reports: a problem stops the start; a warning is logged. */
export interface ConfigReport {
  /** Report `message` for `variable` unless `present` holds. */
  need(variable: string, present: unknown, message: string): void;
  /** Something risky that does not stop the start. */
  warn(variable: string, message: string): void;
}

/** Slack token prefixes and what they are (https://api.slack.com/concepts/token-types). */
const tokenKinds: Array<[string, string]> = [
  ['xoxb-', 'a bot token (xoxb-)'],
  ['xoxp-', 'a user token (xoxp-)'],
  ['xapp-', 'an app-level token (xapp-)'],
  ['xoxe', 'a token-rotation token (xoxe-)'],
  ['xoxc-', 'a browser session token (xoxc-)'],
  ['xoxs-', 'a session token (xoxs-)'],
];

/** How Slack events arrive: Socket Mode with an app token, HTTP events with a signing secret, or both. */
export function slackMode(slack: SlackConfig): string {
  if (slack.appToken && slack.signingSecret) return 'Socket Mode and HTTP events (/slack/events)';
  return slack.appToken ? 'Socket Mode' : 'HTTP events (/slack/events)';
}

/** The Slack settings, when any Slack variable is set. A `jobs` process only posts: it needs no way to receive. */
export function slackConfigFrom(
  values: EnvironmentValues,
  role: DeskmateRole,
  report: ConfigReport,
): SlackConfig | undefined {
  if (!values.SLACK_BOT_TOKEN && !values.SLACK_SIGNING_SECRET && !values.SLACK_APP_TOKEN) return undefined;
  report.need(
    'SLACK_BOT_TOKEN',
    values.SLACK_BOT_TOKEN,
    'is required for Slack. Fix: set SLACK_BOT_TOKEN to the xoxb- token from OAuth & Permissions.',
  );
  if (role !== 'jobs') {
    report.need(
      'SLACK_SIGNING_SECRET',
      values.SLACK_SIGNING_SECRET || values.SLACK_APP_TOKEN,
      'is missing, and so is SLACK_APP_TOKEN: Deskmate needs one of them to receive Slack events. Fix: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (xapp-, Socket Mode).',
    );
  }
  // A token of the wrong kind can never work: each slot takes one kind (Slack's token prefixes).
  const bot = values.SLACK_BOT_TOKEN;
  if (bot && !bot.startsWith('xoxb-')) {
    const kind = tokenKinds.find(([prefix]) => bot.startsWith(prefix))?.[1];
    report.need(
      'SLACK_BOT_TOKEN',
      false,
      `${kind ? `is ${kind}` : 'does not start with xoxb-'}, not a bot token. Fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions${bot.startsWith('xapp-') ? ', and put the xapp- token in SLACK_APP_TOKEN' : ''}.`,
    );
  }
  const app = values.SLACK_APP_TOKEN;
  if (app && !app.startsWith('xapp-')) {
    const kind = tokenKinds.find(([prefix]) => app.startsWith(prefix))?.[1];
    report.need(
      'SLACK_APP_TOKEN',
      false,
      `${kind ? `is ${kind}` : 'does not start with xapp-'}, not an app-level token. Fix: set SLACK_APP_TOKEN to an app-level token (xapp-…, Basic Information → App-Level Tokens, scope connections:write), or unset it and use SLACK_SIGNING_SECRET for HTTP events.`,
    );
  }
  if (!values.SLACK_BOT_TOKEN) return undefined;
  return {
    botToken: values.SLACK_BOT_TOKEN,
    signingSecret: values.SLACK_SIGNING_SECRET,
    appToken: values.SLACK_APP_TOKEN,
    apiUrl: values.SLACK_API_URL,
  };
}

const appIdPattern = /^cli_[0-9a-f]{16}$/i;

/** The Lark/Feishu settings, when any Lark credential is set; checked once here, trusted by the adapter. */
export function larkConfigFrom(values: EnvironmentValues, report: ConfigReport): LarkConfig | undefined {
  if (!values.LARK_APP_ID && !values.LARK_APP_SECRET) return undefined;
  const mode = values.LARK_MODE ?? 'ws';
  report.need(
    'LARK_APP_ID',
    values.LARK_APP_ID,
    'is missing. Fix: set LARK_APP_ID to the cli_… App ID from the developer console (Credentials & Basic Info).',
  );
  if (values.LARK_APP_ID && !appIdPattern.test(values.LARK_APP_ID)) {
    const text = `"${values.LARK_APP_ID}" does not look like an App ID (cli_ and 16 hex characters). Fix: copy the App ID again from the developer console.`;
    // The SDK's long connection refuses such an id outright; webhooks would only fail later.
    if (mode === 'ws') report.need('LARK_APP_ID', false, text);
    else report.warn('LARK_APP_ID', text);
  }
  report.need(
    'LARK_APP_SECRET',
    values.LARK_APP_SECRET,
    'is missing. Fix: set LARK_APP_SECRET from the developer console (Credentials & Basic Info).',
  );
  if (mode === 'webhook') {
    report.need(
      'LARK_ENCRYPT_KEY',
      values.LARK_ENCRYPT_KEY,
      'is required with LARK_MODE=webhook (without it nothing proves an event came from Lark). Fix: set LARK_ENCRYPT_KEY, or use LARK_MODE=ws.',
    );
    if (!values.LARK_VERIFICATION_TOKEN) {
      report.warn(
        'LARK_VERIFICATION_TOKEN',
        'is not set: the token inside each event is not checked. Fix: set LARK_VERIFICATION_TOKEN from Events & Callbacks → Encryption Strategy.',
      );
    }
  }
  if (!values.LARK_APP_ID || !values.LARK_APP_SECRET) return undefined;
  return {
    appId: values.LARK_APP_ID,
    appSecret: values.LARK_APP_SECRET,
    encryptKey: values.LARK_ENCRYPT_KEY,
    verificationToken: values.LARK_VERIFICATION_TOKEN,
    domain: values.LARK_DOMAIN ?? 'feishu',
    mode,
  };
}
