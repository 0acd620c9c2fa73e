import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditLog } from '../audit/audit-log';
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import type { RequestIngress } from '../core/request-ingress';
import type { StateStore } from '../core/state-store';
import type { Language } from '../text/language';
import type { LoginForms } from './auth/login-form';
import type { LoginLimiter } from './auth/login-limiter';
import type { OneTimeLink } from './auth/one-time-link';
import type { AdminSession, AdminSessions } from './auth/sessions';
import type { ConsoleKnowledge } from './knowledge-data';
import type { AdapterState } from './overview-data';
import type { ReplyRenderers } from './pages/playground-page';
import type { PlaygroundEngine } from './playground/run-playground';
import type { UsageReader } from './usage-data';
import type { Words } from './wording';

/** What the composition root gives the web console. */
export interface AdminOptions {
  /** The validated configuration (settings page, prices, budgets, model). */
  config: Config;
  /** The deployment's state store: usage, audit trail, sessions, processes. */
  store: StateStore;
  /** Logger. */
  logger: Logger;
  /** Jobs waiting or running in the deployment's queue. */
  queueDepth(): Promise<number>;
  /** This process's chat adapters and whether each is connected. */
  adapters(): AdapterState[];
  /** The model and skills the playground runs (built on first use where the process runs no jobs). */
  playground(): Promise<PlaygroundEngine>;
  /** The Slack and Lark renderers (from the adapters, handed in by the composition root). */
  renderers: ReplyRenderers;
  /** No password: sign in with a one-time link printed in the terminal. */
  localLogin: boolean;
  /** Deskmate's version. */
  version: string;
  /**
   * The knowledge base, when one is configured (undefined: the page says how to turn it on). Role `all`: the
   * index the jobs use; role `web`: the same engine opened on the same KNOWLEDGE_URI, read only.
   */
  knowledge?(): Promise<ConsoleKnowledge | undefined>;
}

/** What every handler of the console shares, built once. */
export interface AdminServices {
  /** The options. */
  options: AdminOptions;
  /** Sessions. */
  sessions: AdminSessions;
  /** The sign-in form's CSRF. */
  loginForms: LoginForms;
  /** Failed sign-ins per address. */
  limiter: LoginLimiter;
  /** The one-time sign-in link, when there is no password. */
  oneTimeLink?: OneTimeLink;
  /** The audit trail. */
  audit: AuditLog;
  /** Usage over days. */
  usage: UsageReader;
}

/** One request to the console. */
export interface AdminRequest {
  /** The request. */
  request: IncomingMessage;
  /** Its response. */
  response: ServerResponse;
  /** Its body, through the server's limits. */
  ingress: RequestIngress;
  /** The path under `/admin` (`/`, `/usage`, `/playground/runs/…`). */
  path: string;
  /** The query string. */
  query: URLSearchParams;
  /** The browser's language. */
  language: Language;
  /** The words of that language. */
  words: Words;
}

/** A request from a signed-in browser, with its form when it posted one. */
export interface SignedInRequest extends AdminRequest {
  /** The session. */
  session: AdminSession;
  /** The CSRF token its forms carry. */
  csrfToken: string;
  /** The posted form (POST requests, after the CSRF check). */
  form?: URLSearchParams;
}
