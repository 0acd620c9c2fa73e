/**
 * The busy benchmark's fake model: an OpenAI-compatible `POST /v1/chat/completions` that starts each answer
 * after `firstTokenMs` and then streams `tokens` server-sent events `tokenIntervalMs` apart, as a real model
 * streams. It is a stand-in for a remote service, so it is built to cost the shared cores little: every event
 * is serialized once at start, and one 1 ms ticker serves all answers (each keeps its own phase, so the load
 * stays even) instead of a timer per answer and token. The tests' FakeOpenAIServer scripts failures; this does not.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Timing and length of every answer. */
export interface StreamingModelOptions {
  firstTokenMs: number;
  tokenIntervalMs: number;
  tokens: number;
}

interface OpenStream {
  response: ServerResponse;
  /** The next event to send (index into the serialized events). */
  next: number;
  /** performance.now() when the next event is due. */
  dueAt: number;
}

const serverSentDone = 'data: [DONE]\n\n';

function serverSentEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Every event of one answer, serialized: the role, each token, the finish with usage, and `[DONE]`. */
function serializeAnswer(tokens: number): string[] {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model' };
  const pieces = Array.from({ length: tokens }, (_, index) => (index === 0 ? '**TL;DR** ' : `word${index} `));
  return [
    serverSentEvent({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    }),
    ...pieces.map((piece) =>
      serverSentEvent({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }),
    ),
    serverSentEvent({
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1000, completion_tokens: tokens, total_tokens: 1000 + tokens },
    }) + serverSentDone,
  ];
}

/** A streaming fake model for load: answers every request the same way, with fixed timing. */
export class StreamingModelServer {
  /** Answers streaming now. */
  streaming = 0;
  /** Token events sent so far, all answers together. */
  tokensSent = 0;
  /** Requests received so far. */
  requests = 0;
  private readonly events: string[];
  private readonly open = new Set<OpenStream>();
  private readonly server: Server;
  private ticker?: NodeJS.Timeout;

  constructor(private readonly options: StreamingModelOptions) {
    this.events = serializeAnswer(options.tokens);
    this.server = createServer((request, response) => this.answer(request, response));
  }

  /** Listen on a free loopback port; resolves with the base URL (`…/v1`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end('{"error":{"message":"not found"}}');
      return;
    }
    request.resume();
    this.requests += 1;
    this.streaming += 1;
    response.once('close', () => {
      this.streaming -= 1;
    });
    request.once('end', () => {
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(this.events[0]);
        this.open.add({ response, next: 1, dueAt: performance.now() + this.options.tokenIntervalMs });
        // The ticker runs only while answers stream, so an idle fake costs nothing.
        this.ticker ??= setInterval(() => this.onTick(), 1);
      }, this.options.firstTokenMs);
    });
  }

  private onTick(): void {
    if (this.open.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      return;
    }
    const now = performance.now();
    for (const stream of this.open) {
      if (stream.dueAt > now) continue;
      if (stream.response.destroyed) {
        this.open.delete(stream);
        continue;
      }
      const event = this.events[stream.next];
      // Events 1 to `tokens` are tokens; the last one is the finish.
      if (stream.next <= this.options.tokens) this.tokensSent += 1;
      stream.next += 1;
      if (stream.next === this.events.length) {
        stream.response.end(event);
        this.open.delete(stream);
      } else {
        stream.response.write(event);
        stream.dueAt += this.options.tokenIntervalMs;
      }
    }
  }

  /** Stop listening and end every open answer. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    for (const stream of this.open) stream.response.destroy();
    this.open.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
