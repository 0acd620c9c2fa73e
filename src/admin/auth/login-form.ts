import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { consoleCookie, readCookies } from './cookies';
import { sameText, sign } from './signing';

/** The cookie that ties a sign-in form to the browser it was given to. */
export const loginCookieName = 'deskmate_admin_login';

/**
 * CSRF for the sign-in form, before there is a session: the page sets a random nonce in a cookie and puts
 * its signature in the form; a sign-in is taken only when both arrive together.
 */
export interface LoginForms {
  /** A new nonce: the `Set-Cookie` value and the form's token. */
  issue(request: IncomingMessage): { cookie: string; token: string };
  /** Whether the form's token belongs with the request's nonce cookie. */
  matches(request: IncomingMessage, token: string | undefined): boolean;
}

/** Create the sign-in form CSRF check, signing with `secret`. */
export function createLoginForms(secret: string): LoginForms {
  return {
    issue(request) {
      const nonce = randomBytes(24).toString('base64url');
      return {
        cookie: consoleCookie(request, loginCookieName, nonce, 60 * 60),
        token: sign(secret, 'login', nonce),
      };
    },
    matches(request, token) {
      const nonce = readCookies(request)[loginCookieName];
      if (!nonce || typeof token !== 'string') return false;
      return sameText(token, sign(secret, 'login', nonce));
    },
  };
}
