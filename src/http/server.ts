import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from '../core/adapter';
import type { Logger } from '../core/logger';
import type { RefusalReason, RequestIngress } from '../core/request-ingress';
import { createUnauthenticatedBytes, readRawBody, type UnauthenticatedBytes } from './read-body';
import { createRejectionSummary, type RejectionSummary } from './rejection-summary';

/** The result of a readiness check: ready when every named check passes. */
interface Readiness {
  /** Whether the process can take work. */
  ready: boolean;
  /** Each check by name. */
  checks: Record<string, boolean>;
}

/** What a client may hold before it proves who it is. */
interface IngressLimits {
  /** A client must send its whole request head within this; else 408 and the connection is closed. */
  headersTimeoutMs: number;
  /** A client must send its whole request, body included, within this (not less than `headersTimeoutMs`). */
  requestTimeoutMs: number;
  /**
   * Bytes that request bodies not yet authenticated may hold at once, across the server. A body that does
   * not fit is answered 503 and its connection closed: the request itself may be fine, the server is out
   * of room for unverified bytes, and Slack and Lark deliver a refused event again.
   */
  maxUnauthenticatedBytes: number;
}

/** The limits used when the options give none. */
const defaultIngressLimits: IngressLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  maxUnauthenticatedBytes: 32 * 1024 * 1024,
};

/** Options for the shared HTTP server. */
interface HttpServerOptions {
  /** Routes from the adapters (and metrics). */
  routes: HttpRoute[];
  /** Readiness for `/readyz`. */
  readiness: () => Promise<Readiness>;
  /** Logger. */
  logger: Logger;
  /** Limits for unauthenticated clients (defaults: `defaultIngressLimits`). */
  limits?: Partial<IngressLimits>;
  /** How often refused unauthenticated requests are summarized in one log line (default a minute). */
  rejectionLogIntervalMs?: number;
  /** Called for each refused unauthenticated request, by route name and reason (the `/metrics` counter). */
  onRefused?: (route: string, reason: RefusalReason) => void;
}

/** The running HTTP server. */
export interface HttpServer {
  /** The node server. */
  server: Server;
  /** Start listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /**
   * Stop accepting connections, close idle ones and each other one once its answer is sent, and log the
   * refusals not yet summarized.
   */
  close(): Promise<void>;
}

/** Answer with a JSON body. */
function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

/**
 * A request's ingress: its body is read against the budget, whose bytes are given back when it ends, and its
 * refusals are counted under the route's name.
 */
function ingressFor(
  request: IncomingMessage,
  response: ServerResponse,
  route: HttpRoute,
  shared: { budget: UnauthenticatedBytes; rejections: RejectionSummary },
): RequestIngress {
  let release = () => {};
  response.once('close', () => release());
  return {
    readBody(limit) {
      const reading = readRawBody(request, response, limit, shared.budget);
      release = reading.release;
      return reading.result;
    },
    authenticated: () => release(),
    refused: (reason) => shared.rejections.count(route.name ?? route.path, reason),
  };
}

/** Create the one HTTP server every webhook shares, with `/healthz` and `/readyz`. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const limits = { ...defaultIngressLimits, ...options.limits };
  const shared = {
    budget: createUnauthenticatedBytes(limits.maxUnauthenticatedBytes),
    rejections: createRejectionSummary({
      logger: options.logger,
      intervalMs: options.rejectionLogIntervalMs ?? 60_000,
      onRefused: options.onRefused,
    }),
  };
  const routes = new Map(options.routes.map((route) => [route.path, route]));
  const prefixRoutes = options.routes.filter((route) => route.prefix);
  const routeFor = (path: string) =>
    routes.get(path) ?? prefixRoutes.find((route) => path.startsWith(`${route.path}/`));
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (request.method === 'GET' && path === '/readyz') {
      const readiness = await options.readiness();
      return sendJson(response, readiness.ready ? 200 : 503, {
        status: readiness.ready ? 'ready' : 'not ready',
        checks: readiness.checks,
      });
    }
    const route = routeFor(path);
    if (!route) {
      request.resume();
      return sendJson(response, 404, { error: 'not found' });
    }
    await route.handle(request, response, ingressFor(request, response, route, shared));
  };
  /** Answers being written; while closing, each one ends its connection. */
  const answering = new Set<ServerResponse>();
  let closing = false;
  // A keep-alive connection whose answer is sent after `close` began would otherwise stay open, and keep
  // `close` waiting, until the client lets it go (the keep-alive timeout, 65 s).
  const endConnectionAfter = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
    else response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node looks for requests past those deadlines (its default, 30 s, would double them).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 10))),
    },
    (request, response) => {
      answering.add(response);
      response.once('close', () => answering.delete(response));
      if (closing) endConnectionAfter(response);
      handle(request, response).catch((error: unknown) => {
        options.logger.error({ err: error, path: request.url }, 'request handler failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        // Cut, not ended: a response that broke half way must not look complete (a short download).
        else response.destroy();
      });
    },
  );
  server.keepAliveTimeout = 65_000;
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        for (const response of answering) endConnectionAfter(response);
        server.close(() => {
          shared.rejections.stop();
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
