import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeEmbedding } from './bedrock-server';

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
  /** The error message for `status` (e.g. "This model's maximum context length is 8192 tokens…"). */
  errorMessage?: string;
  /** Wait before the first byte of the answer. */
  delayMs?: number;
  /** Wait between chunks. */
  chunkDelayMs?: number;
  /** Break the connection after this many chunks. */
  failAfterChunks?: number;
  /** After this many chunks, send an SSE `error` event (as DashScope/vLLM do) and end the stream. */
  errorEventAfterChunks?: number;
  /** The `error` object of that event (default a server error). */
  errorEvent?: Record<string, unknown>;
  /** After this many chunks, end the response cleanly but without a finish reason or `[DONE]`. */
  endEarlyAfterChunks?: number;
  /** After this many chunks, send nothing more and keep the connection open (a stalled model). */
  stallAfterChunks?: number;
  /** Answer with one JSON completion even though a stream was asked for (some servers do). */
  ignoreStream?: boolean;
  /** Token counts reported in the last chunk (default 42 in, one per character of text out). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** `finish_reason` of the last chunk (default `stop`, or `tool_calls`). */
  finishReason?: string;
}

function usageOf(answer: OpenAIScript) {
  const { prompt_tokens, completion_tokens } = answer.usage ?? {
    prompt_tokens: 42,
    completion_tokens: Math.max(1, (answer.chunks ?? []).join('').length),
  };
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

/**
 * A loopback fake of `POST /v1/chat/completions` over HTTP/1.1 with SSE streaming (`data:` lines, `[DONE]`,
 * tool-call deltas, usage in a last chunk as with `stream_options.include_usage`). Records every request.
 */
export class FakeOpenAIServer {
  /** Every request body received, in order. */
  readonly requests: Array<Record<string, unknown>> = [];
  /** The headers of each request, in the same order. */
  readonly headers: IncomingMessage['headers'][] = [];
  /** How many answers the client walked away from before the fake finished them. */
  cancelled = 0;
  private readonly script: OpenAIScript[] = [];
  /** Every `/embeddings` request body, in order (kept apart from the chat completions in `requests`). */
  readonly embeddingRequests: Array<Record<string, unknown>> = [];
  /** Scripted failures of `/embeddings` (a `status`, maybe `retryAfterSeconds`), used in order. */
  readonly embeddingFaults: OpenAIScript[] = [];
  /** Most inputs one `/embeddings` request may carry (DashScope's text-embedding-v3 takes 10). */
  maxEmbeddingInputs = 10;
  /** The default responder: answers when the queue is empty (a function answers from the request body). */
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
    if (request.method === 'POST' && request.url === '/v1/embeddings') {
      this.answerEmbeddings(request, response, Buffer.concat(chunks));
      return;
    }
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
      response.end(
        JSON.stringify({
          error: { message: answer.errorMessage ?? `scripted ${answer.status}`, type: 'scripted' },
        }),
      );
      return;
    }
    if (answer.ignoreStream) {
      this.answerWhole(response, answer, String(body.model));
      return;
    }
    response.on('close', () => {
      if (!response.writableEnded) this.cancelled += 1;
    });
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
      if (answer.stallAfterChunks !== undefined && sent >= answer.stallAfterChunks) return;
      if (answer.endEarlyAfterChunks !== undefined && sent >= answer.endEarlyAfterChunks) {
        response.end();
        return;
      }
      if (answer.errorEventAfterChunks !== undefined && sent >= answer.errorEventAfterChunks) {
        send({ error: answer.errorEvent ?? { message: 'scripted stream failure', type: 'server_error' } });
        response.end();
        return;
      }
      if (response.destroyed) return;
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
    send({ ...base, choices: [], usage: usageOf(answer) });
    response.end('data: [DONE]\n\n');
  }

  /**
   * `POST /v1/embeddings` as OpenAI defines it: `{ model, input: string | string[], encoding_format?,
   * dimensions? }` answered `{ object: 'list', data: [{ object: 'embedding', index, embedding }], model,
   * usage }`, errors as `{ error: { message, type } }`. Vectors are `fakeEmbedding` of each input.
   */
  private answerEmbeddings(request: IncomingMessage, response: ServerResponse, raw: Buffer): void {
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    this.embeddingRequests.push(body);
    this.headers.push(request.headers);
    const refuse = (status: number, message: string, retryAfterSeconds?: number) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}),
      });
      response.end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
    };
    const fault = this.embeddingFaults.shift();
    if (fault?.status) {
      refuse(fault.status, fault.errorMessage ?? `scripted ${fault.status}`, fault.retryAfterSeconds);
      return;
    }
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    if (typeof body.model !== 'string' || !Array.isArray(inputs) || inputs.length === 0) {
      refuse(400, "'input' and 'model' are required");
      return;
    }
    if (inputs.length > this.maxEmbeddingInputs) {
      refuse(400, `batch size is invalid, it should not be larger than ${this.maxEmbeddingInputs}`);
      return;
    }
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 1024;
    const tokens = inputs.reduce((sum: number, input: string) => sum + input.length, 0);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        // Answered in reverse order, as servers may: clients must place vectors by `index`.
        data: inputs
          .map((input: string, index: number) => ({
            object: 'embedding',
            index,
            embedding: fakeEmbedding(input, dimensions),
          }))
          .reverse(),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  }

  /** One JSON completion, for a server that ignores `stream: true`. */
  private answerWhole(response: ServerResponse, answer: OpenAIScript, model: string): void {
    const toolCalls = (answer.toolCalls ?? []).map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 1,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: (answer.chunks ?? []).join('') || null,
              ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: answer.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
          },
        ],
        usage: usageOf(answer),
      }),
    );
  }
}
