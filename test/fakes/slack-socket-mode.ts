import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** An envelope type Socket Mode delivers. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/**
 * The Socket Mode side of the fake: a WebSocket endpoint speaking Slack's protocol. On connect it sends
 * `hello`; it delivers `{envelope_id, type, payload, retry_attempt, retry_reason, accepts_response_payload}`
 * envelopes and collects the client's `{envelope_id, payload}` acknowledgements; it pings every 10 s as
 * Slack does, so the SDK's server-ping timeout never fires.
 */
export class FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, (payload: Record<string, unknown> | undefined) => void>();
  private readonly pings = new Map<WebSocket, NodeJS.Timeout>();
  private readonly connectionWaiters: Array<() => void> = [];
  /** Every acknowledgement received, by envelope id. */
  readonly acknowledged = new Map<string, Record<string, unknown> | undefined>();
  /** How many connections were opened. */
  connections = 0;

  constructor(private readonly appId: string) {
    this.server.on('connection', (socket) => this.accept(socket));
  }

  /** Take over an HTTP upgrade request for the socket path. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (client) =>
      this.server.emit('connection', client, request),
    );
  }

  /** Whether a client is connected. */
  connected(): boolean {
    return [...this.sockets].some((socket) => socket.readyState === socket.OPEN);
  }

  /** Resolves once a client is connected. */
  whenConnected(): Promise<void> {
    if (this.connected()) return Promise.resolve();
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /**
   * Deliver an envelope to the connected client; resolves with the acknowledgement's payload when the
   * client acknowledges it.
   */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; retryReason?: string } = {},
  ): { envelopeId: string; acknowledged: Promise<Record<string, unknown> | undefined> } {
    const socket = [...this.sockets].find((candidate) => candidate.readyState === candidate.OPEN);
    if (!socket) throw new Error('no Socket Mode client is connected');
    const envelopeId = randomUUID();
    const acknowledged = new Promise<Record<string, unknown> | undefined>((resolve) => {
      this.waiting.set(envelopeId, resolve);
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: options.retryAttempt ?? 0,
        retry_reason: options.retryReason ?? '',
      }),
    );
    return { envelopeId, acknowledged };
  }

  /**
   * Deliver the same payload to every connected client, each as its own envelope: what a client sees when
   * Slack retries an envelope on another of the app's connections.
   */
  deliverToEach(type: EnvelopeType, payload: Record<string, unknown>): Array<Promise<unknown>> {
    const open = [...this.sockets].filter((socket) => socket.readyState === socket.OPEN);
    return open.map((socket) => {
      const envelopeId = randomUUID();
      const acknowledged = new Promise((resolve) => this.waiting.set(envelopeId, resolve));
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
      return acknowledged;
    });
  }

  /** How many clients are connected. */
  connectedCount(): number {
    return [...this.sockets].filter((socket) => socket.readyState === socket.OPEN).length;
  }

  /** Ask every client to reconnect, as Slack does before it recycles a connection. */
  askToReconnect(): void {
    for (const socket of this.sockets) {
      socket.send(
        JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake' } }),
      );
    }
  }

  /** Close every connection and the server. */
  close(): void {
    for (const timer of this.pings.values()) clearInterval(timer);
    this.pings.clear();
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
    this.server.close();
  }

  private accept(socket: WebSocket): void {
    this.connections += 1;
    this.sockets.add(socket);
    const ping = setInterval(() => socket.ping(), 10_000);
    ping.unref();
    this.pings.set(socket, ping);
    socket.on('message', (data) => {
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!message.envelope_id) return;
      this.acknowledged.set(message.envelope_id, message.payload);
      this.waiting.get(message.envelope_id)?.(message.payload);
      this.waiting.delete(message.envelope_id);
    });
    socket.on('close', () => {
      clearInterval(this.pings.get(socket));
      this.pings.delete(socket);
      this.sockets.delete(socket);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const resolve of this.connectionWaiters.splice(0)) resolve();
  }
}
