import type { App, Receiver } from '@slack/bolt';

/** The outcome of handing one delivery to Bolt. */
type DispatchResult = { ok: true; body?: string | Record<string, unknown> } | { ok: false; error: unknown };

/** One delivery from Slack, however it arrived (HTTP or Socket Mode). */
interface Delivery {
  /** The parsed payload. */
  body: Record<string, unknown>;
  /** `X-Slack-Retry-Num` / `retry_attempt`. */
  retryNum?: number;
  /** `X-Slack-Retry-Reason` / `retry_reason`. */
  retryReason?: string;
}

/**
 * A Bolt receiver whose acknowledgement waits for the listeners: Deskmate's listeners only enqueue (fast),
 * so the answer to Slack says whether the job was really accepted. A delivery that could not be queued
 * (Redis down) is answered 503 over HTTP, or left unacknowledged over Socket Mode, and Slack delivers it
 * again. Bolt does the rest with its grain: middleware, listeners, `ack`, the Assistant and retry context.
 * Why not Bolt's HTTPReceiver with `processBeforeResponse`: it reads a body whole (no 1 MB cut, no shared
 * budget for unauthenticated bytes), accepts timestamps from the future, needs its own port (Deskmate serves
 * Slack, Lark and `/metrics` on one), and answers a failed listener 500 (see http-route.ts).
 */
export class DeferredAckReceiver implements Receiver {
  private app?: App;

  /** Called by Bolt's App constructor. */
  init(app: App): void {
    this.app = app;
  }

  /** Nothing to start: the HTTP route is served by Deskmate's shared server, Socket Mode by the adapter. */
  async start(): Promise<void> {}

  /** Nothing to stop (see `start`). */
  async stop(): Promise<void> {}

  /** Run a delivery through Bolt (middleware, listeners) and report what to answer. */
  async dispatch(delivery: Delivery): Promise<DispatchResult> {
    const app = this.app;
    if (!app) return { ok: false, error: new Error('the Slack app is not initialized') };
    let acknowledged = false;
    let response: string | Record<string, unknown> | undefined;
    try {
      await app.processEvent({
        body: delivery.body,
        retryNum: delivery.retryNum,
        retryReason: delivery.retryReason,
        ack: async (body?: unknown) => {
          if (acknowledged) return;
          acknowledged = true;
          if (typeof body === 'string' || (typeof body === 'object' && body !== null)) {
            response = body as string | Record<string, unknown>;
          }
        },
      });
    } catch (error) {
      return { ok: false, error };
    }
    return { ok: true, body: response };
  }
}
