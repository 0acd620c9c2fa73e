import type { AdminRequest, AdminServices, SignedInRequest } from './admin-context';
import { consoleCookie } from './auth/cookies';
import { loginCookieName } from './auth/login-form';
import { sameText } from './auth/signing';
import { page } from './layout';
import { loginPage } from './pages/login-page';
import { readForm, redirect, sendPage, sendText } from './respond';

/** The address failed sign-ins are counted under. */
function clientAddress(context: AdminRequest): string {
  return context.request.socket.remoteAddress ?? 'unknown';
}

/**
 * The console page to go back to after signing in, when `value` is one: a path of this console (`/admin`, or
 * under it, with its query), never another site (`//host`, `/\\host`) or the sign-in page itself.
 */
export function consolePathOf(value: string | null | undefined): string | undefined {
  if (!value || value.length > 2000 || !/^\/admin(?:[/?]|$)/.test(value)) return undefined;
  if (/[\\\s]|\/\//.test(value) || /^\/admin\/login(?:[/?]|$)/.test(value)) return undefined;
  return value;
}

/** The sign-in page with a fresh form token (and its cookie), with an error when there is one. */
function showLogin(
  services: AdminServices,
  context: AdminRequest,
  status: number,
  error?: string,
  headers: Record<string, string> = {},
  next?: string,
): void {
  const form = services.loginForms.issue(context.request);
  const body = loginPage(
    {
      formToken: form.token,
      passwordEnabled: Boolean(services.options.config.admin.password),
      error,
      next: next ?? consolePathOf(context.query.get('next')),
    },
    context.words,
  );
  sendPage(context.response, status, page({ words: context.words, title: context.words.login.title, body }), {
    'set-cookie': form.cookie,
    ...headers,
  });
}

/** `GET /admin/login`: the sign-in page. */
export function loginForm(services: AdminServices, context: AdminRequest): void {
  showLogin(services, context, 200);
}

/** A form sent after its session ended: the sign-in page says so (401); nothing the form asked for ran. */
export function sessionEnded(services: AdminServices, context: AdminRequest): void {
  showLogin(services, context, 401, context.words.login.sessionEnded);
}

/**
 * `POST /admin/login`: the form must carry the token that came with its page (else 403); an address past its
 * failed sign-ins gets 429 without its password being checked; a wrong password is 401 and counted; the right
 * one starts a session and goes back to the page asked for (else the overview).
 */
export async function login(services: AdminServices, context: AdminRequest): Promise<void> {
  const { request, response, ingress, words } = context;
  const password = services.options.config.admin.password;
  const read = await readForm(ingress, 4096);
  if (read.kind === 'gone') return;
  if (read.kind !== 'form') {
    ingress.refused(read.kind);
    return sendText(response, read.kind === 'busy' ? 503 : 413, words.tooLarge);
  }
  const next = consolePathOf(read.fields.get('next'));
  if (!services.loginForms.matches(request, read.fields.get('_csrf') ?? undefined)) {
    return showLogin(services, context, 403, words.login.expired, {}, next);
  }
  const address = clientAddress(context);
  const waitSeconds = await services.limiter.waitSeconds(address);
  if (waitSeconds > 0) {
    ingress.refused('bad_token');
    const minutes = Math.ceil(waitSeconds / 60);
    return showLogin(
      services,
      context,
      429,
      words.login.tooMany(minutes),
      { 'retry-after': String(waitSeconds) },
      next,
    );
  }
  if (!password || !sameText(read.fields.get('password') ?? '', password)) {
    const attemptsLeft = await services.limiter.failed(address);
    ingress.refused('bad_token');
    services.options.logger.warn({ address, attemptsLeft }, 'admin sign-in failed');
    // The last attempts before the pause say how many are left, so the pause comes as no surprise.
    const warning =
      attemptsLeft === 0
        ? ` ${words.login.tooMany(Math.ceil((await services.limiter.waitSeconds(address)) / 60))}`
        : attemptsLeft <= 2
          ? ` ${words.ui.attemptsLeft(attemptsLeft)}`
          : '';
    return showLogin(services, context, 401, `${words.login.wrong}${warning}`, {}, next);
  }
  ingress.authenticated();
  const { cookie } = await services.sessions.start(request, 'password');
  services.options.logger.info({ address, via: 'password' }, 'admin signed in');
  redirect(response, next ?? '/admin', {
    'set-cookie': [cookie, consoleCookie(request, loginCookieName, '', 0)],
  });
}

/** `GET /admin/login/link/<token>`: the one-time link signs in once; any other token is counted as a failure. */
export async function linkLogin(
  services: AdminServices,
  context: AdminRequest,
  token: string,
): Promise<void> {
  const { request, response, words } = context;
  request.resume();
  const address = clientAddress(context);
  if ((await services.limiter.waitSeconds(address)) > 0) {
    return showLogin(services, context, 429, words.login.tooMany(15));
  }
  if (!services.oneTimeLink?.consume(token)) {
    await services.limiter.failed(address);
    context.ingress.refused('bad_token');
    return showLogin(services, context, 403, words.login.linkUsed);
  }
  const { cookie } = await services.sessions.start(request, 'link');
  services.options.logger.info({ address, via: 'link' }, 'admin signed in');
  redirect(response, '/admin', { 'set-cookie': cookie });
}

/** `POST /admin/logout`: the session ends everywhere (its record is deleted) and the cookie goes. */
export async function logout(services: AdminServices, context: SignedInRequest): Promise<void> {
  const cookie = await services.sessions.end(context.request, context.session);
  redirect(context.response, '/admin/login', { 'set-cookie': cookie });
}
