import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import protobuf from 'protobufjs';
import { type WebSocket, WebSocketServer } from 'ws';

/** Lark's long-connection frame (`pbbp2.Frame`), declared from the wire format in platforms.md. */
const header = new protobuf.Type('Header')
  .add(new protobuf.Field('key', 1, 'string', 'required'))
  .add(new protobuf.Field('value', 2, 'string', 'required'));
const frameType = new protobuf.Type('Frame')
  .add(new protobuf.Field('SeqID', 1, 'uint64', 'required'))
  .add(new protobuf.Field('LogID', 2, 'uint64', 'required'))
  .add(new protobuf.Field('service', 3, 'int32', 'required'))
  .add(new protobuf.Field('method', 4, 'int32', 'required'))
  .add(new protobuf.Field('headers', 5, 'Header', 'repeated'))
  .add(new protobuf.Field('payloadEncoding', 6, 'string', 'optional'))
  .add(new protobuf.Field('payloadType', 7, 'string', 'optional'))
  .add(new protobuf.Field('payload', 8, 'bytes', 'optional'))
  .add(new protobuf.Field('LogIDNew', 9, 'string', 'optional'));
new protobuf.Root().define('pbbp2').add(header).add(frameType);

/** A decoded frame. */
export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

/** Encode a frame as the server sends it. */
export function encodeFrame(frame: Frame): Uint8Array {
  return frameType.encode(frameType.fromObject(frame)).finish();
}

/** Decode a frame the client sent. */
export function decodeFrame(data: Uint8Array): Frame {
  const decoded = frameType.toObject(frameType.decode(data), { longs: Number, defaults: true }) as Frame;
  return { ...decoded, headers: decoded.headers ?? [] };
}

const serviceId = 1;
/** The client configuration sent at handshake and with every pong (seconds). */
export const clientConfig = {
  PingInterval: 120,
  ReconnectCount: -1,
  ReconnectInterval: 1,
  ReconnectNonce: 0,
};

/** What the client answered to a pushed event. */
export interface EventAnswer {
  /** 200 when the handler ran, 500 when it threw. */
  code: number;
  /** The handler's return value (card callbacks: the toast). */
  data?: unknown;
}

/**
 * A fake of Lark's long-connection endpoint: `POST /callback/ws/endpoint` hands out a `ws://` URL; the
 * socket speaks protobuf frames (method 0 control: ping/pong; method 1 data: events), and the client
 * answers each event frame with the same frame carrying `{"code":200}`.
 */
export class FakeLongConnection {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, (answer: EventAnswer) => void>();
  private readonly connectionWaiters: Array<() => void> = [];
  private sequence = 0;
  /** Number of handshakes served (reconnects show up here). */
  handshakes = 0;

  constructor(private readonly credentials: { appId: string; appSecret: string }) {
    this.server.on('connection', (socket) => this.accept(socket));
  }

  /** Answer the endpoint handshake: a URL on the given base, or an auth error. */
  handshake(body: { AppID?: string; AppSecret?: string }, base: string): unknown {
    if (body.AppID !== this.credentials.appId || body.AppSecret !== this.credentials.appSecret) {
      return { code: 514, msg: 'auth failed', data: {} };
    }
    this.handshakes += 1;
    const url = `${base.replace(/^http/, 'ws')}/ws?device_id=fake-device-${this.handshakes}&service_id=${serviceId}`;
    return { code: 0, msg: 'ok', data: { URL: url, ClientConfig: clientConfig } };
  }

  /** Take over an HTTP upgrade on `/ws`. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (client) =>
      this.server.emit('connection', client, request),
    );
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    socket.on('message', (data: Buffer) => {
      let frame: Frame;
      try {
        frame = decodeFrame(data);
      } catch {
        return;
      }
      const type = frame.headers.find((item) => item.key === 'type')?.value;
      if (frame.method === 0 && type === 'ping') {
        socket.send(
          encodeFrame({
            SeqID: 0,
            LogID: 0,
            service: serviceId,
            method: 0,
            headers: [{ key: 'type', value: 'pong' }],
            payload: Buffer.from(JSON.stringify(clientConfig)),
          }),
        );
        return;
      }
      if (frame.method === 1) {
        const messageId = frame.headers.find((item) => item.key === 'message_id')?.value ?? '';
        const resolve = this.pending.get(messageId);
        if (!resolve) return;
        this.pending.delete(messageId);
        const answer = JSON.parse(Buffer.from(frame.payload ?? []).toString('utf8')) as {
          code: number;
          data?: string;
        };
        resolve({
          code: answer.code,
          data: answer.data ? JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) : undefined,
        });
      }
    });
    for (const waiter of this.connectionWaiters.splice(0)) waiter();
  }

  /** Whether a client is connected. */
  connected(): boolean {
    return this.sockets.size > 0;
  }

  /** Resolves once a client is connected. */
  waitForClient(): Promise<void> {
    if (this.connected()) return Promise.resolve();
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /**
   * Push an event (a schema 2.0 payload) to one connected client, split into `parts` fragments like Lark
   * does for large events; resolves with the client's answer. An event left unanswered (a client that had just
   * connected and was not listening yet) is delivered again after `redeliverAfterMs`, as Lark redelivers; the
   * event id stays the same, so a client that saw both answers once.
   */
  async push(payload: unknown, parts = 1, redeliverAfterMs = 5000): Promise<EventAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForClient();
      const answer = this.send(payload, parts);
      if (attempt >= 12) return answer;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), redeliverAfterMs);
      });
      const answered = await Promise.race([answer, late]);
      clearTimeout(timer);
      if (answered) return answered;
    }
  }

  /** Send an event's frames to the newest open connection (an older one may be on its way out); resolves with its answer. */
  private send(payload: unknown, parts: number): Promise<EventAnswer> {
    const open = [...this.sockets].filter((each) => each.readyState === each.OPEN);
    const socket = open.at(-1) ?? [...this.sockets][0];
    this.sequence += 1;
    const messageId = `fake-ws-${this.sequence}`;
    const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
    const answer = new Promise<EventAnswer>((resolve) => this.pending.set(messageId, resolve));
    const size = Math.ceil(bytes.length / parts);
    for (let index = 0; index < parts; index += 1) {
      socket.send(
        encodeFrame({
          SeqID: this.sequence,
          LogID: this.sequence,
          service: serviceId,
          method: 1,
          headers: [
            { key: 'type', value: 'event' },
            { key: 'message_id', value: messageId },
            { key: 'sum', value: String(parts) },
            { key: 'seq', value: String(index) },
            { key: 'trace_id', value: `trace-${this.sequence}` },
          ],
          payload: bytes.subarray(index * size, (index + 1) * size),
        }),
      );
    }
    return answer;
  }

  /** Drop every client connection (the SDK reconnects). */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** Close every socket and the server. */
  close(): void {
    this.disconnectAll();
    this.server.close();
  }
}
