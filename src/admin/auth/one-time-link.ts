import { randomBytes } from 'node:crypto';
import { sameText } from './signing';

/**
 * The sign-in link printed in the terminal when the console runs locally without a password: a random token
 * that signs in once, in this process only.
 */
export interface OneTimeLink {
  /** The path of the link (`/admin/login/link/<token>`), until it is used. */
  readonly path: string;
  /** Use the token: true the first time the right token is given, false ever after. */
  consume(token: string): boolean;
}

/** Create a one-time link with a new random token. */
export function createOneTimeLink(): OneTimeLink {
  const token = randomBytes(32).toString('base64url');
  let used = false;
  return {
    path: `/admin/login/link/${token}`,
    consume(given) {
      if (used || !sameText(given, token)) return false;
      used = true;
      return true;
    },
  };
}
