import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatPlatform } from './chat-platform';
import type { RequestIngress } from './request-ingress';

/** An HTTP route an adapter serves on the shared server. */
export interface HttpRoute {
  /** Exact path (`/slack/events`); with `prefix`, also every path under it (`/admin/...`). */
  path: string;
  /** Serve the paths under `path` too (a console's pages); exact paths of other routes still win. */
  prefix?: boolean;
  /** A short name for logs and metrics (`slack`); the path when absent. */
  name?: string;
  /**
   * Handles the request; must answer (the server answers 500 if it throws). The body is read through
   * `ingress`, which caps what an unauthenticated request may hold.
   */
  handle(request: IncomingMessage, response: ServerResponse, ingress: RequestIngress): Promise<void>;
}

/** A platform adapter: receives events into the queue and gives skills its platform port. */
export interface Adapter {
  /** The platform's port for skills. */
  readonly platform: ChatPlatform;
  /** Routes to mount on the shared HTTP server (webhook modes). */
  readonly routes: HttpRoute[];
  /** Connect and begin receiving; must not throw for a remote failure (report it via `ready`). */
  start(): Promise<void>;
  /** Whether the adapter is connected and able to answer. */
  ready(): boolean;
  /** Stop receiving. */
  stop(): Promise<void>;
}
