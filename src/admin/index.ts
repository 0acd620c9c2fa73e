import { randomBytes } from 'node:crypto';
import { createAuditLog } from '../audit/audit-log';
import type { HttpRoute } from '../core/adapter';
import { isDeskmateError } from '../core/errors';
import type { AdminOptions, AdminRequest, AdminServices, SignedInRequest } from './admin-context';
import { serveAsset } from './assets';
import { audit, auditDownload } from './audit-handlers';
import { createLoginForms } from './auth/login-form';
import { createLoginLimiter } from './auth/login-limiter';
import { createOneTimeLink } from './auth/one-time-link';
import { createAdminSessions } from './auth/sessions';
import { sessionSecretOf } from './auth/signing';
import { html } from './html';
import { confirmForget, forgetSource, knowledge } from './knowledge-handlers';
import { page } from './layout';
import { linkLogin, login, loginForm, logout, sessionEnded } from './login-handlers';
import { overview, sendSignedInPage, settings, usage, usageCsvDownload } from './page-handlers';
import { playground, runFromForm, showRun } from './playground-handlers';
import { readForm, redirect, sendPage, sendText } from './respond';
import { createUsageReader } from './usage-data';
import { languageOf, wordsFor } from './wording';

export type { AdminOptions } from './admin-context';
export { consoleKnowledgeFor } from './console-knowledge';
export type { ConsoleKnowledge } from './knowledge-data';
export type { ReplyRenderers } from './pages/playground-page';
export type { PlaygroundEngine } from './playground/run-playground';

/** The web console: its route on the shared server, and the one-time sign-in link when there is no password. */
export interface AdminConsole {
  /** `/admin` and everything under it. */
  route: HttpRoute;
  /** The path of the one-time sign-in link (`/admin/login/link/…`), without a password. */
  loginLinkPath?: string;
}

/** Largest form a signed-in page may post (a pasted thread). */
const maxFormBytes = 256 * 1024;

/** Whether a POST came from a page of this console: its Origin, when the browser sends one, is this host. */
function sameOrigin(context: AdminRequest): boolean {
  const origin = context.request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === context.request.headers.host;
  } catch {
    return false;
  }
}

/** Route a signed-in request (its CSRF already checked for a POST). */
async function dispatch(services: AdminServices, context: SignedInRequest, method: string): Promise<void> {
  const { path } = context;
  if (method === 'GET') {
    if (path === '/' || path === '') return overview(services, context);
    if (path === '/usage') return usage(services, context);
    if (path === '/usage.csv') return usageCsvDownload(services, context);
    if (path === '/playground') return playground(services, context);
    if (path.startsWith('/playground/runs/'))
      return showRun(services, context, path.slice('/playground/runs/'.length));
    if (path === '/settings') return settings(services, context);
    if (path === '/knowledge') return knowledge(services, context);
    if (path === '/knowledge/forget') return confirmForget(services, context);
    if (path === '/audit') return audit(services, context);
    if (path === '/audit.jsonl') return auditDownload(services, context);
  }
  if (method === 'POST') {
    if (path === '/playground') return runFromForm(services, context);
    if (path === '/logout') return logout(services, context);
    if (path === '/knowledge/forget') return forgetSource(services, context);
  }
  const { ui } = context.words;
  const body = html`<p class="muted">${ui.notFoundBody}</p><p><a href="/admin">${ui.backToOverview}</a></p>`;
  sendSignedInPage(services, context, undefined, ui.notFoundTitle, body, 404);
}

/**
 * A form the console would not read, as a page in the person's language: too large says the limit in pasted
 * characters (a Chinese character is 9 bytes once the form encodes it) and how to get the text back.
 */
function formRefused(services: AdminServices, context: SignedInRequest, kind: 'too_large' | 'busy'): void {
  const { words } = context;
  const characters = (bytesEach: number) => Math.floor(maxFormBytes / bytesEach / 1000) * 1000;
  const text =
    kind === 'busy'
      ? words.busy
      : words.formTooLarge(
          maxFormBytes / 1024,
          characters(9).toLocaleString('en-US'),
          characters(1).toLocaleString('en-US'),
        );
  const body = html`<p class="error" role="alert" id="form-refused">${text}</p>`;
  sendSignedInPage(services, context, undefined, words.tooLarge, body, kind === 'busy' ? 503 : 413);
}

/** Everything under `/admin` but the sign-in and the assets needs a session; a POST also its CSRF token. */
async function handleSignedIn(services: AdminServices, context: AdminRequest, method: string): Promise<void> {
  const { request, response, ingress, words } = context;
  const session = await services.sessions.find(request);
  if (!session) {
    request.resume();
    // A page or download asked for goes to the sign-in page, and back to it after; a form sent after its session
    // ended gets the sign-in page saying so.
    if (method !== 'GET') return sessionEnded(services, context);
    const asked = `/admin${context.path === '/' ? '' : context.path}${context.query.size ? `?${context.query}` : ''}`;
    return redirect(
      response,
      `/admin/login${asked === '/admin' ? '' : `?next=${encodeURIComponent(asked)}`}`,
    );
  }
  const signedIn: SignedInRequest = { ...context, session, csrfToken: services.sessions.csrfToken(session) };
  if (method === 'POST') {
    if (!sameOrigin(context)) {
      request.resume();
      return sendText(response, 403, words.forbidden);
    }
    const read = await readForm(ingress, maxFormBytes);
    if (read.kind === 'gone') return;
    if (read.kind !== 'form') return formRefused(services, signedIn, read.kind);
    if (!services.sessions.csrfMatches(session, read.fields.get('_csrf') ?? undefined)) {
      return sendText(response, 403, words.forbidden);
    }
    ingress.authenticated();
    signedIn.form = read.fields;
  } else {
    request.resume();
  }
  await dispatch(services, signedIn, method);
}

/**
 * Create the web console: sessions signed with ADMIN_SESSION_SECRET (else derived from ADMIN_PASSWORD, else a
 * key of this process for the one-time link), kept in the store; pages in the browser's language.
 */
export function createAdminConsole(options: AdminOptions): AdminConsole {
  const { config, store } = options;
  const secret = sessionSecretOf(config.admin, randomBytes(32).toString('base64url'));
  const audit = createAuditLog(store, config.auditRetentionDays);
  const services: AdminServices = {
    options,
    sessions: createAdminSessions(store, secret),
    loginForms: createLoginForms(secret),
    limiter: createLoginLimiter(store),
    ...(options.localLogin ? { oneTimeLink: createOneTimeLink() } : {}),
    audit,
    usage: createUsageReader(store, audit, config.modelPrices),
  };
  const route: HttpRoute = {
    path: '/admin',
    prefix: true,
    name: 'admin',
    async handle(request, response, ingress) {
      const url = new URL(request.url ?? '/admin', 'http://console.invalid');
      const method = request.method ?? 'GET';
      const language = languageOf(request.headers['accept-language']);
      const context: AdminRequest = {
        request,
        response,
        ingress,
        path: url.pathname.slice('/admin'.length) || '/',
        query: url.searchParams,
        language,
        words: wordsFor(language),
      };
      const { path } = context;
      if (method === 'GET' && path.startsWith('/assets/')) {
        request.resume();
        return serveAsset(response, path.slice('/assets/'.length));
      }
      if (path === '/login' && method === 'GET') {
        request.resume();
        return loginForm(services, context);
      }
      if (path === '/login' && method === 'POST') return login(services, context);
      if (path.startsWith('/login/link/') && method === 'GET') {
        return linkLogin(services, context, path.slice('/login/link/'.length));
      }
      await handleSignedIn(services, context, method);
    },
  };
  const handle = route.handle;
  // Sign-in and every page read the store: while it is away, a page in the browser's language says so (503).
  route.handle = async (request, response, ingress) => {
    try {
      await handle(request, response, ingress);
    } catch (error) {
      if (!isDeskmateError(error) || error.code !== 'unavailable' || response.headersSent) throw error;
      request.resume();
      const words = wordsFor(languageOf(request.headers['accept-language']));
      const body = html`<p class="error" role="alert" id="store-down">${words.storeDown.body}</p>`;
      sendPage(response, 503, page({ words, title: words.storeDown.title, body }), { 'retry-after': '30' });
      options.logger.warn({ code: error.code }, 'console page refused: the store is not answering');
    }
  };
  return { route, ...(services.oneTimeLink ? { loginLinkPath: services.oneTimeLink.path } : {}) };
}
