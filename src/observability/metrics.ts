import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpRoute } from '../core/adapter';
import { isDeskmateError, LlmError } from '../core/errors';
import type { InboundMessage } from '../core/inbound-message';
import type { JobQueue } from '../core/job-queue';
import type { LlmProvider, LlmResult, LlmStreamEvent } from '../core/llm-provider';

/** Deskmate's Prometheus metrics and the registry that serves them. */
export interface Metrics {
  /** The registry `/metrics` reads. */
  registry: Registry;
  /** Events received from a platform, by outcome of the intake. */
  events: Counter<'platform' | 'outcome'>;
  /** Jobs finished, by skill and outcome (`ok` or an error code). */
  jobs: Counter<'skill' | 'outcome'>;
  /** Skill wall time. */
  skillSeconds: Histogram<'skill'>;
  /** Model tokens, by model and direction. */
  llmTokens: Counter<'model' | 'direction'>;
  /** Model errors, by model and code. */
  llmErrors: Counter<'model' | 'code'>;
  /** HTTP requests refused before they were authenticated, by route and reason. */
  rejectedRequests: Counter<'route' | 'reason'>;
}

/** Create the metrics, with the process's own; `queueDepth` (the deployment's queue) is read on each scrape. */
export function createMetrics(queueDepth: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'deskmate_' });
  new Gauge({
    name: 'deskmate_queue_depth',
    help: 'Jobs waiting or running; NaN while the queue (Redis) cannot be read (/readyz says why).',
    registers: [registry],
    async collect() {
      // Not a number rather than a made-up one: -1 or 0 would read as an empty queue and silence depth alerts.
      this.set(await queueDepth().catch(() => Number.NaN));
    },
  });
  return {
    registry,
    events: new Counter({
      name: 'deskmate_events_total',
      help: 'Platform events by intake outcome (accepted, duplicate, rejected).',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'deskmate_jobs_total',
      help: 'Jobs finished by skill and outcome.',
      labelNames: ['skill', 'outcome'],
      registers: [registry],
    }),
    skillSeconds: new Histogram({
      name: 'deskmate_skill_duration_seconds',
      help: 'Wall time of a job, by skill.',
      labelNames: ['skill'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80],
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'deskmate_llm_tokens_total',
      help: 'Model tokens by model and direction (input, output).',
      labelNames: ['model', 'direction'],
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: 'deskmate_llm_errors_total',
      help: 'Model call failures by model and code.',
      labelNames: ['model', 'code'],
      registers: [registry],
    }),
    rejectedRequests: new Counter({
      name: 'deskmate_http_rejected_total',
      help: 'HTTP requests refused before they were authenticated, by route and reason.',
      labelNames: ['route', 'reason'],
      registers: [registry],
    }),
  };
}

/** Count every message handed to the queue by its outcome (rejected: the queue was unreachable). */
export function countedQueue(queue: JobQueue, metrics: Metrics): JobQueue {
  return {
    async enqueue(message: InboundMessage) {
      const platform = message.conversation.platform;
      try {
        const outcome = await queue.enqueue(message);
        metrics.events.inc({ platform, outcome });
        return outcome;
      } catch (error) {
        metrics.events.inc({ platform, outcome: 'rejected' });
        throw error;
      }
    },
    start: (handler) => queue.start(handler),
    drain: () => queue.drain(),
    depth: () => queue.depth(),
    stop: (graceMs) => queue.stop(graceMs),
  };
}

/** Count tokens and errors of every model call. */
export function countedProvider(provider: LlmProvider, metrics: Metrics): LlmProvider {
  const record = (result: LlmResult) => {
    metrics.llmTokens.inc({ model: result.model, direction: 'input' }, result.usage.inputTokens);
    metrics.llmTokens.inc({ model: result.model, direction: 'output' }, result.usage.outputTokens);
  };
  const fail = (error: unknown) => {
    const code = isDeskmateError(error) ? error.code : 'internal';
    const model = error instanceof LlmError && error.model ? error.model : provider.name;
    metrics.llmErrors.inc({ model, code });
  };
  return {
    name: provider.name,
    configured: provider.configured,
    ...(provider.offlineReason ? { offlineReason: provider.offlineReason } : {}),
    async complete(request) {
      try {
        const result = await provider.complete(request);
        record(result);
        return result;
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    async *stream(request): AsyncIterable<LlmStreamEvent> {
      try {
        for await (const event of provider.stream(request)) {
          if (event.type === 'done') record(event.result);
          yield event;
        }
      } catch (error) {
        fail(error);
        throw error;
      }
    },
  };
}

/** Whether an `Authorization` header is `Bearer <token>`, compared in constant time (as digests). */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The `GET /metrics` route: this process's figures (each process is scraped on its own port). With a
 * `token` (METRICS_TOKEN) it answers only `Authorization: Bearer <token>`, else 401; without, it is open.
 */
export function metricsRoute(metrics: Metrics, token?: string): HttpRoute {
  return {
    path: '/metrics',
    name: 'metrics',
    async handle(request, response, ingress) {
      request.resume();
      if (token && !bearerMatches(request.headers.authorization, token)) {
        ingress.refused('bad_token');
        response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-length': 0 });
        response.end();
        return;
      }
      const body = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(body);
    },
  };
}
