import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Adapter, HttpRoute } from '../../src/core/adapter';
import type { Platform } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { JobQueue } from '../../src/core/job-queue';
import type { Logger } from '../../src/core/logger';
import { createWebhookChatPlatform, webhookSignature } from './webhook-chat-platform';

/** Options for the example webhook chat adapter; nothing is read from the environment here. */
export interface WebhookChatOptions {
  /** The name its conversations carry (a new platform adds its own to `Platform`, src/core/conversation.ts). */
  platform: Platform;
  /** The secret shared with the chat: inbound events and outbound replies are signed with it. */
  secret: string;
  /** Where replies are POSTed. */
  outboundUrl: string;
  /** Receive events (false in a `jobs` process: no route, only the port). */
  receive: boolean;
  /** Where messages go. */
  queue: JobQueue;
  /** Logger (ids and sizes, never text). */
  logger: Logger;
  /** The clock, for the signature window. */
  now?: () => Date;
}

/** The events path. */
export const webhookChatPath = '/example/events';
/** The largest event accepted. */
const maxEventBytes = 64 * 1024;
/** How far a request's timestamp may be from our clock, either way. */
const windowSeconds = 5 * 60;

/** One event as the chat sends it. */
const eventSchema = z.object({
  id: z.string().min(1).max(200),
  user: z.string().min(1).max(200),
  channel: z.string().min(1).max(200),
  text: z.string().max(40_000),
});

/** The event as Deskmate's one message, from the payload alone (no call to the chat before the ack). */
export function normalizeWebhookEvent(
  event: z.infer<typeof eventSchema>,
  platform: Platform,
  receivedAt: Date,
): InboundMessage {
  return {
    eventId: event.id,
    messageId: event.id,
    conversation: { platform, workspace: 'example', channel: event.channel, kind: 'group' },
    author: { id: event.user },
    text: event.text.trim(),
    via: 'mention',
    receivedAt: receivedAt.toISOString(),
  };
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function answer(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-length': 0 });
  response.end();
}

/** Whether two strings are equal, in time that does not depend on where they differ. */
function sameSecretText(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left);
  const rightBytes = Buffer.from(right);
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}

/** `POST /example/events`: cut the body, check the signature over the raw bytes, parse, normalize, enqueue. */
function eventsRoute(options: WebhookChatOptions): HttpRoute {
  const now = options.now ?? (() => new Date());
  return {
    path: webhookChatPath,
    name: 'example',
    async handle(request, response, ingress) {
      if (request.method !== 'POST') {
        request.resume();
        return answer(response, 405);
      }
      const read = await ingress.readBody(maxEventBytes);
      if (read.kind === 'aborted') return;
      if (read.kind !== 'body') {
        ingress.refused(read.kind);
        return answer(response, read.kind === 'too_large' ? 413 : 503);
      }
      const timestamp = header(request, 'x-example-timestamp');
      const signature = header(request, 'x-example-signature');
      if (!timestamp || !signature) {
        ingress.refused('unsigned');
        return answer(response, 401);
      }
      if (!/^\d+$/.test(timestamp) || Math.abs(now().getTime() / 1000 - Number(timestamp)) > windowSeconds) {
        ingress.refused('stale');
        return answer(response, 401);
      }
      if (!sameSecretText(signature, webhookSignature(options.secret, timestamp, read.body))) {
        ingress.refused('bad_signature');
        return answer(response, 401);
      }
      ingress.authenticated();
      let event: z.infer<typeof eventSchema>;
      try {
        event = eventSchema.parse(JSON.parse(read.body.toString('utf8')));
      } catch {
        options.logger.warn({ bytes: read.body.length }, 'webhook chat event is malformed');
        return answer(response, 400);
      }
      try {
        const outcome = await options.queue.enqueue(normalizeWebhookEvent(event, options.platform, now()));
        options.logger.info({ eventId: event.id, outcome }, 'webhook chat event queued');
        return answer(response, 200);
      } catch (error) {
        // Not queued: 503, so the chat delivers it again. Nothing is held in memory meanwhile.
        options.logger.error({ err: error, eventId: event.id }, 'webhook chat event not queued');
        return answer(response, 503);
      }
    },
  };
}

/** Create the example webhook chat adapter: one signed route in, one JSON POST out. */
export function createWebhookChatAdapter(options: WebhookChatOptions): Adapter {
  let started = false;
  return {
    platform: createWebhookChatPlatform(options),
    routes: options.receive ? [eventsRoute(options)] : [],
    async start() {
      started = true;
    },
    ready: () => started,
    async stop() {
      started = false;
    },
  };
}
