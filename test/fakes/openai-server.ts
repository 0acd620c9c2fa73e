import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake OpenAI-compatible server. */
export interface OpenAIScript {
  /** Text to stream, in these pieces. */
  chunks?: string[];
  /** Tool calls to stream (arguments split in two deltas, as real servers do). */
  toolCalls?: Array<{ id: string; name: string; arguments: Record<string, unknown> }>;
  /** Answer with this HTTP status and error body instead. */
  status?: number;
  /** `retry-after` seconds with a 429. */
  retryAfterSeconds?: number;
  /** Wait before the first byte of the answer. */
  delayMs?: number;
  /** Wait between chunks. */
  chunkDelayMs?: number;
  /** Break the connection after this many chunks. */
  failAfterChunks?: number;
  /** `finish_reason` of the last chunk (default `stop`, or `tool_calls`). */
  finishReason?: string;
}

/** A loopback fake of `POST /v1/chat/completions` with SSE streaming; records every request body. */
export class FakeOpenAIServer {
  readonly requests: Array<Record<string, unknown>> = [];
  readonly headers: IncomingMessage['headers'][] = [];
  private readonly script: OpenAIScript[] = [];
  fallback: OpenAIScript | ((body: Record<string, unknown>) => OpenAIScript) = { chunks: ['ok'] };
  private server?: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  /** Queue answers, used in order before the fallback. */
  enqueue(...answers: OpenAIScript[]): void {
    this.script.push(...answers);
  }

  /** Start on 127.0.0.1; resolves with the base URL (…/v1). */
  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Stop and drop open connections. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.requests.push(body);
    this.headers.push(request.headers);
    const next = this.script.shift() ?? this.fallback;
    const answer = typeof next === 'function' ? next(body) : next;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (response.destroyed) return;
    if (answer.status) {
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.retryAfterSeconds ? { 'retry-after': String(answer.retryAfterSeconds) } : {}),
      });
      response.end(JSON.stringify({ error: { message: `scripted ${answer.status}`, type: 'scripted' } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const base = {
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: 1,
      model: String(body.model),
    };
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    let sent = 0;
    for (const piece of answer.chunks ?? []) {
      if (answer.failAfterChunks !== undefined && sent >= answer.failAfterChunks) {
        // Let what was written reach the client, then break the connection mid-answer.
        await new Promise((resolve) => setTimeout(resolve, 50));
        response.socket?.destroy();
        return;
      }
      if (answer.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, answer.chunkDelayMs));
      send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      sent += 1;
    }
    (answer.toolCalls ?? []).forEach((call, index) => {
      const serialized = JSON.stringify(call.arguments);
      const half = Math.floor(serialized.length / 2);
      send({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index,
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: serialized.slice(0, half) },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      });
      send({
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index, function: { arguments: serialized.slice(half) } }] },
            finish_reason: null,
          },
        ],
      });
    });
    const finish = answer.finishReason ?? (answer.toolCalls?.length ? 'tool_calls' : 'stop');
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
    const text = (answer.chunks ?? []).join('');
    send({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: 42,
        completion_tokens: Math.max(1, text.length),
        total_tokens: 42 + text.length,
      },
    });
    response.end('data: [DONE]\n\n');
  }
}
