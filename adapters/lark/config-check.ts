/** One thing wrong (or risky) in the Lark settings, with how to fix it. */
export interface LarkConfigProblem {
  /** The environment variable concerned. */
  variable: string;
  /** What is wrong and what to do. */
  message: string;
  /** `error` stops the start; `warning` is logged. */
  severity: 'error' | 'warning';
}

/** The Lark settings as read from the environment (any may be missing). */
export interface LarkSettings {
  appId?: string;
  appSecret?: string;
  encryptKey?: string;
  verificationToken?: string;
  domain?: string;
  mode?: string;
}

const appIdPattern = /^cli_[0-9a-f]{16}$/i;

function isBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Check the Lark settings before starting; every problem names its fix. */
export function checkLarkConfig(settings: LarkSettings): LarkConfigProblem[] {
  const problems: LarkConfigProblem[] = [];
  const error = (variable: string, message: string) =>
    problems.push({ variable, message, severity: 'error' });
  const warning = (variable: string, message: string) =>
    problems.push({ variable, message, severity: 'warning' });
  const mode = settings.mode ?? 'ws';

  if (!settings.appId) {
    error(
      'LARK_APP_ID',
      'is missing. Fix: set LARK_APP_ID to the cli_… App ID from the developer console (Credentials & Basic Info).',
    );
  } else if (!appIdPattern.test(settings.appId)) {
    const text = `"${settings.appId}" does not look like an App ID (cli_ and 16 hex characters). Fix: copy the App ID again from the developer console.`;
    // The SDK's long connection refuses such an id outright; webhooks would only fail later.
    if (mode === 'ws') error('LARK_APP_ID', text);
    else warning('LARK_APP_ID', text);
  }
  if (!settings.appSecret) {
    error(
      'LARK_APP_SECRET',
      'is missing. Fix: set LARK_APP_SECRET from the developer console (Credentials & Basic Info).',
    );
  }
  if (mode !== 'ws' && mode !== 'webhook') {
    error(
      'LARK_MODE',
      `"${mode}" is not a mode. Fix: set LARK_MODE to ws (long connection, no public URL) or webhook.`,
    );
  }
  if (mode === 'webhook' && !settings.encryptKey) {
    error(
      'LARK_ENCRYPT_KEY',
      'is required with LARK_MODE=webhook (without it nothing proves an event came from Lark). Fix: set LARK_ENCRYPT_KEY, or use LARK_MODE=ws.',
    );
  }
  if (mode === 'webhook' && !settings.verificationToken) {
    warning(
      'LARK_VERIFICATION_TOKEN',
      'is not set: the token inside each event is not checked. Fix: set LARK_VERIFICATION_TOKEN from Events & Callbacks → Encryption Strategy.',
    );
  }
  const domain = settings.domain ?? 'feishu';
  if (domain !== 'feishu' && domain !== 'lark' && !isBaseUrl(domain)) {
    error(
      'LARK_DOMAIN',
      `"${domain}" is not a domain. Fix: set LARK_DOMAIN to feishu (China), lark (international) or a base URL such as https://open.feishu.cn.`,
    );
  }
  return problems;
}
