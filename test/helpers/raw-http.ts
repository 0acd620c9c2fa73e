import { connect, type Socket } from 'node:net';

/** Where a raw client connects: the host, port and path of a URL. */
function target(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), path: parsed.pathname };
}

/** The status code of the first status line in what a server sent (0 when none came). */
export function statusOf(received: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
  return match ? Number(match[1]) : 0;
}

/** A connection that declared a body, sent part of it, and stalls. */
export interface StalledUpload {
  /** The client socket (destroy it to end the attack). */
  socket: Socket;
  /** What the server sent so far. */
  received(): string;
  /** Whether the server (or the client) closed the connection. */
  closed(): boolean;
}

/**
 * POST `body` declaring `declaredBytes` (more than the body), then stall. Resolves once every byte was handed
 * to the kernel, or the connection closed first (the server refused it).
 */
export function stallingUpload(
  url: string,
  declaredBytes: number,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<StalledUpload> {
  const { host, port, path } = target(url);
  return new Promise((resolve) => {
    let received = '';
    let closed = false;
    const socket = connect(port, host);
    const upload: StalledUpload = { socket, received: () => received, closed: () => closed };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve(upload);
    });
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${host}:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${declaredBytes}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    socket.write(body, () => resolve(upload));
  });
}

/** What a chunked upload saw. */
export interface ChunkedUploadResult {
  /** The status the server answered with (0: none before the connection closed). */
  status: number;
  /** Body bytes handed to the kernel when the answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * POST a chunked body (`Transfer-Encoding: chunked`, no length) in `pieceBytes` pieces, honouring back
 * pressure, until the server answers or closes; after `maxBytes` the body is ended properly.
 */
export function chunkedUploadUntilAnswer(
  url: string,
  options: { pieceBytes: number; maxBytes: number; headers?: Record<string, string> },
): Promise<ChunkedUploadResult> {
  const { host, port, path } = target(url);
  const piece = Buffer.alloc(options.pieceBytes, 'x');
  const framed = Buffer.concat([
    Buffer.from(`${options.pieceBytes.toString(16)}\r\n`),
    piece,
    Buffer.from('\r\n'),
  ]);
  return new Promise((resolve) => {
    let received = '';
    let sent = 0;
    let sentBeforeAnswer = -1;
    let finished = false;
    const socket = connect(port, host);
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({
        status: statusOf(received),
        sentBeforeAnswer: sentBeforeAnswer < 0 ? sent : sentBeforeAnswer,
      });
    };
    socket.on('data', (chunk: Buffer) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${host}:${port}`,
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
      ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    const pump = () => {
      while (!finished && sent < options.maxBytes) {
        sent += options.pieceBytes;
        if (!socket.write(framed)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!finished && sent >= options.maxBytes) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

/** What a slow client saw. */
export interface TrickleResult {
  /** What the server sent before it closed the connection. */
  received: string;
  /** Milliseconds from the first byte sent to the close. */
  closedAfterMs: number;
}

/**
 * Send `head` at once, then the text of `trickled` one byte every `intervalMs`, never finishing, until the
 * server closes the connection (or `giveUpMs` passes: then `closedAfterMs` is Infinity).
 */
export function trickle(
  url: string,
  head: string,
  trickled: string,
  intervalMs: number,
  giveUpMs: number,
): Promise<TrickleResult> {
  const { host, port } = target(url);
  return new Promise((resolve) => {
    let received = '';
    let index = 0;
    const started = Date.now();
    const socket = connect(port, host);
    const timer = setInterval(() => {
      if (index < trickled.length) socket.write(trickled[index]);
      index += 1;
    }, intervalMs);
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve({ received, closedAfterMs: Number.POSITIVE_INFINITY });
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    socket.write(head);
  });
}
