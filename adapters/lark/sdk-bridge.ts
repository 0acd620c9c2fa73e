import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../src/core/logger';

/** Where the Lark adapter connects: `feishu` (China), `lark` (international) or a base URL (a fake, a proxy). */
export type LarkDomain = 'feishu' | 'lark' | (string & {});

/** The SDK's domain value for a configured domain. */
export function sdkDomain(domain: LarkDomain): lark.Domain | string {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/+$/, '');
}

/** The host of the app links (clickable message and chat links) for a configured domain. */
export function appLinkBase(domain: LarkDomain): string {
  return domain === 'lark' ? 'https://applink.larksuite.com' : 'https://applink.feishu.cn';
}

/** The SDK's cache, plus dropping a token Lark no longer accepts. */
export interface TokenCache extends lark.Cache {
  /** Drop every entry holding `value` (a rejected token), so the SDK asks for a fresh one. */
  forget(value: unknown): void;
}

/**
 * A token cache owned by one adapter. The SDK's default cache is a module-global map keyed by app id,
 * shared by every client in the process; each adapter gets its own instead.
 */
export function createTokenCache(): TokenCache {
  const values = new Map<string, { value: unknown; expiresAt?: number }>();
  const keyOf = (key: string | symbol, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
  return {
    async get(key, options) {
      const entry = values.get(keyOf(key as string | symbol, options?.namespace));
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) return undefined;
      return entry.value;
    },
    async set(key, value, expiresAt, options) {
      values.set(keyOf(key as string | symbol, options?.namespace), { value, expiresAt });
      return true;
    },
    forget(value) {
      for (const [key, entry] of values) if (entry.value === value) values.delete(key);
    },
  };
}

function describe(parts: unknown[]): {
  sdkMessage: string;
  err?: { name?: string; code?: unknown; message: string };
} {
  const words: string[] = [];
  let err: { name?: string; code?: unknown; message: string } | undefined;
  const visit = (part: unknown) => {
    if (typeof part === 'string') words.push(part);
    else if (part instanceof Error) {
      err ??= {
        name: part.name,
        code: (part as { code?: unknown }).code,
        message: part.message.slice(0, 300),
      };
    } else if (Array.isArray(part)) part.forEach(visit);
  };
  parts.forEach(visit);
  return { sdkMessage: words.join(' ').slice(0, 300), err };
}

/**
 * The SDK's logger, bridged onto ours: only its own strings and error names/codes are kept (the SDK can
 * log request bodies and event data in objects, which would carry message text).
 */
export function createSdkLogger(logger: Logger): lark.Logger {
  const child = logger.child({ component: 'lark-sdk' });
  // Errors of our own transport were logged where they happened: the SDK's echo of them is detail.
  const ours = (parts: unknown[]) =>
    parts.flat().some((part) => part instanceof Error && part.name === 'LarkRequestError');
  return {
    error: (...parts: unknown[]) =>
      ours(parts)
        ? child.debug(describe(parts), 'lark sdk error')
        : child.warn(describe(parts), 'lark sdk error'),
    warn: (...parts: unknown[]) => child.warn(describe(parts), 'lark sdk warning'),
    info: (...parts: unknown[]) => child.debug(describe(parts), 'lark sdk info'),
    debug: () => {},
    trace: () => {},
  };
}
