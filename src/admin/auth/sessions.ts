import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StateStore } from '../../core/state-store';
import { consoleCookie, readCookies } from './cookies';
import { sameText, sign } from './signing';

/** The session cookie's name. */
export const sessionCookieName = 'deskmate_admin_session';

/** How long a session lasts after sign-in. */
export const sessionTtlSeconds = 12 * 60 * 60;

/** A signed-in browser. */
export interface AdminSession {
  /** The random session id (in the cookie, never in the store's key). */
  id: string;
  /** How it signed in. */
  via: 'password' | 'link';
  /** When (ISO 8601). */
  createdAt: string;
}

/** Sessions: a random id in a signed cookie, and a record in the store so that signing out ends it everywhere. */
export interface AdminSessions {
  /** Start a session; returns it and the `Set-Cookie` value that carries it. */
  start(
    request: IncomingMessage,
    via: AdminSession['via'],
  ): Promise<{ session: AdminSession; cookie: string }>;
  /** The request's session: its cookie signed by us and its record still in the store. */
  find(request: IncomingMessage): Promise<AdminSession | undefined>;
  /** End a session; returns the `Set-Cookie` value that deletes the cookie. */
  end(request: IncomingMessage, session: AdminSession): Promise<string>;
  /** The CSRF token of a session's forms. */
  csrfToken(session: AdminSession): string;
  /** Whether a form's CSRF token is the session's. */
  csrfMatches(session: AdminSession, token: string | undefined): boolean;
}

/** The store key of a session: a digest of its id, so the store holds nothing a cookie could be made from. */
const recordKey = (id: string) =>
  `admin:session:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;

/** Create the session keeper over the state store, signing with `secret`. */
export function createAdminSessions(store: StateStore, secret: string): AdminSessions {
  return {
    async start(request, via) {
      const session: AdminSession = {
        id: randomBytes(32).toString('base64url'),
        via,
        createdAt: new Date().toISOString(),
      };
      await store.setJson(recordKey(session.id), { via, createdAt: session.createdAt }, sessionTtlSeconds);
      const value = `${session.id}.${sign(secret, 'session', session.id)}`;
      return { session, cookie: consoleCookie(request, sessionCookieName, value, sessionTtlSeconds) };
    },
    async find(request) {
      const value = readCookies(request)[sessionCookieName];
      const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
      if (!match || !sameText(match[2], sign(secret, 'session', match[1]))) return undefined;
      const record = await store.getJson<Omit<AdminSession, 'id'>>(recordKey(match[1]));
      return record ? { id: match[1], ...record } : undefined;
    },
    async end(request, session) {
      await store.delete(recordKey(session.id));
      return consoleCookie(request, sessionCookieName, '', 0);
    },
    csrfToken: (session) => sign(secret, 'csrf', session.id),
    csrfMatches: (session, token) =>
      typeof token === 'string' && sameText(token, sign(secret, 'csrf', session.id)),
  };
}
