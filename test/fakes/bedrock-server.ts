import { createServer, type Http2Server, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One scripted answer of the fake Bedrock runtime. */
export interface BedrockScript {
  /** Text to stream, in these pieces. */
  chunks?: string[];
  /** Tool uses to stream (input JSON split over two deltas, as Bedrock does). */
  toolUses?: Array<{ toolUseId: string; name: string; input: Record<string, unknown> }>;
  /** Answer with this HTTP status and `x-amzn-errortype` instead (e.g. 429 ThrottlingException). */
  status?: number;
  /** The error type for `status`. */
  errorType?: string;
  /** The error message for `status` (e.g. "Input is too long for requested model."). */
  errorMessage?: string;
  /** Wait before the response starts. */
  delayMs?: number;
  /** Wait between chunks. */
  chunkDelayMs?: number;
  /** After this many text chunks, send an in-stream exception of this type instead of the rest. */
  failAfterChunks?: number;
  /** In-stream exception type (default modelStreamErrorException). */
  streamExceptionType?: string;
  /** After this many text chunks, send nothing more and keep the stream open (a stalled model). */
  stallAfterChunks?: number;
  /** The stop reason (default end_turn, or tool_use). */
  stopReason?: string;
  /** Token counts reported (default 37 in, one per character of text out). */
  usage?: { inputTokens: number; outputTokens: number };
}

/** A request the fake received. */
export interface BedrockRequestRecord {
  /** The model id from the path (URL-decoded); for `rerank`, the model ARN from the body. */
  modelId: string;
  /** `converse`, `converse-stream`, `invoke` (embeddings) or `rerank` (the agent runtime's Rerank API). */
  operation: string;
  /** The request's `content-type` and `accept` headers (InvokeModel sends both). */
  headers?: { contentType?: string; accept?: string };
  /** The JSON body: messages, system, inferenceConfig, toolConfig. */
  body: Record<string, unknown>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The keys Titan Text Embeddings v2 accepts. */
const titanKeys = ['inputText', 'dimensions', 'normalize', 'embeddingTypes'];

/** A fixed vector for a text (the fakes' stand-in for an embedding): the same text, the same vector. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let seed = 0;
  for (const character of text) seed = (Math.imul(seed, 31) + (character.codePointAt(0) ?? 0)) >>> 0;
  return Array.from({ length: dimensions }, (_, index) => Math.sin(seed + index) / Math.sqrt(dimensions));
}

function frame(type: 'event' | 'exception', name: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = {
    ':message-type': { type: 'string', value: type },
    [type === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: name },
    ':content-type': { type: 'string', value: 'application/json' },
  };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

function usageOf(answer: BedrockScript, text: string) {
  const { inputTokens, outputTokens } = answer.usage ?? { inputTokens: 37, outputTokens: text.length };
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

const pause = (milliseconds?: number) =>
  milliseconds ? new Promise((resolve) => setTimeout(resolve, milliseconds)) : Promise.resolve();

/**
 * A loopback fake of the Bedrock runtime over HTTP/2 cleartext (the SDK's default transport): real JSON for
 * `POST /model/{id}/converse`, AWS event-stream frames for `/converse-stream`, JSON errors with
 * `x-amzn-errortype`. Scriptable per test; records every request.
 */
export class FakeBedrockServer {
  /** Every request received, in order. */
  readonly requests: BedrockRequestRecord[] = [];
  /** How many answers the client cancelled before the fake finished them (the model stopped early). */
  cancelled = 0;
  private readonly script: BedrockScript[] = [];
  /** Scripted failures of `invoke` (embeddings), used in order before embeddings are answered. */
  readonly embeddingFaults: BedrockScript[] = [];
  /** Scripted failures of `rerank`, used in order before reranks are answered. */
  readonly rerankFaults: BedrockScript[] = [];
  /**
   * The rerank model's scores: one per source text, higher is more relevant (default: how many of the query's
   * words the text holds).
   */
  rerankScores: (query: string, texts: string[]) => number[] = (query, texts) => {
    const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return texts.map((text) => words.filter((word) => text.toLowerCase().includes(word)).length);
  };
  /** The default responder: answers when the queue is empty (a function answers from the request body). */
  fallback: BedrockScript | ((body: Record<string, unknown>) => BedrockScript) = { chunks: ['ok'] };
  private server?: Http2Server;
  private readonly sessions = new Set<Http2Session>();

  /** Queue answers, used in order before the fallback. */
  enqueue(...answers: BedrockScript[]): void {
    this.script.push(...answers);
  }

  /** Start on 127.0.0.1; resolves with the endpoint URL. */
  async start(port = 0): Promise<string> {
    this.server = createServer();
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const path = String(headers[':path']);
        const answered =
          path === '/rerank'
            ? this.answerRerank(stream, Buffer.concat(chunks))
            : path.endsWith('/invoke')
              ? this.answerInvoke(stream, path, headers, Buffer.concat(chunks))
              : this.answer(stream, path, Buffer.concat(chunks));
        answered.catch(() => stream.close());
      });
      stream.on('error', () => {});
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stop, dropping open sessions (stalled answers included). */
  async stop(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** `/converse`: the same script as one JSON response (a scripted mid-stream failure is a 500). */
  private answerWhole(stream: ServerHttp2Stream, answer: BedrockScript): void {
    if (answer.failAfterChunks !== undefined) {
      stream.respond({
        ':status': 500,
        'content-type': 'application/json',
        'x-amzn-errortype': 'InternalServerException',
      });
      stream.end(JSON.stringify({ message: 'scripted failure' }));
      return;
    }
    const text = (answer.chunks ?? []).join('');
    const content = [...(text ? [{ text }] : []), ...(answer.toolUses ?? []).map((toolUse) => ({ toolUse }))];
    const stopReason = answer.stopReason ?? (answer.toolUses?.length ? 'tool_use' : 'end_turn');
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(
      JSON.stringify({
        output: { message: { role: 'assistant', content } },
        stopReason,
        usage: usageOf(answer, text),
        metrics: { latencyMs: 5 },
      }),
    );
  }

  /**
   * `POST /model/{id}/invoke` for the embedding models, in their own body shapes: Titan Text Embeddings v2
   * takes `{ inputText, dimensions, normalize }` and answers `{ embedding, inputTextTokenCount }`; Cohere
   * Embed v3 takes `{ texts, input_type, truncate }` (at most 96 texts) and answers
   * `{ id, texts, embeddings, response_type: 'embeddings_floats' }`. Vectors are `fakeEmbedding` of each text.
   */
  private async answerInvoke(
    stream: ServerHttp2Stream,
    path: string,
    headers: Record<string, unknown>,
    raw: Buffer,
  ): Promise<void> {
    const modelId = decodeURIComponent(path.split('/')[2] ?? '');
    const body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    this.requests.push({
      modelId,
      operation: 'invoke',
      body,
      headers: { contentType: headers['content-type'] as string, accept: headers.accept as string },
    });
    const fault = this.embeddingFaults.shift();
    const refuse = (status: number, errorType: string, message: string) => {
      stream.respond({
        ':status': status,
        'content-type': 'application/json',
        'x-amzn-errortype': errorType,
      });
      stream.end(JSON.stringify({ message }));
    };
    if (fault?.status) {
      refuse(fault.status, fault.errorType ?? 'InternalServerException', fault.errorMessage ?? 'scripted');
      return;
    }
    if (modelId.startsWith('amazon.titan-embed-text-v2')) {
      if (typeof body.inputText !== 'string' || Object.keys(body).some((key) => !titanKeys.includes(key))) {
        refuse(
          400,
          'ValidationException',
          'Malformed input request, please reformat your input and try again.',
        );
        return;
      }
      const dimensions = Number(body.dimensions ?? 1024);
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(
        JSON.stringify({
          embedding: fakeEmbedding(body.inputText, dimensions),
          inputTextTokenCount: body.inputText.split(/\s+/).length,
        }),
      );
      return;
    }
    if (modelId.startsWith('cohere.embed-')) {
      const texts = body.texts;
      if (!Array.isArray(texts) || texts.length > 96 || typeof body.input_type !== 'string') {
        refuse(
          400,
          'ValidationException',
          'Malformed input request: texts (at most 96) and input_type are required.',
        );
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(
        JSON.stringify({
          id: 'fake-embed-id',
          texts,
          embeddings: texts.map((text: string) => fakeEmbedding(text, 1024)),
          response_type: 'embeddings_floats',
        }),
      );
      return;
    }
    refuse(400, 'ValidationException', `The provided model identifier is invalid: ${modelId}`);
  }

  /**
   * `POST /rerank` of the Bedrock agent runtime (the same fake serves both endpoints): takes
   * `{ queries: [{ type: 'TEXT', textQuery: { text } }], sources: [{ type: 'INLINE', inlineDocumentSource:
   * { type: 'TEXT', textDocument: { text } } }], rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL',
   * bedrockRerankingConfiguration: { numberOfResults?, modelConfiguration: { modelArn } } } }` and answers
   * `{ results: [{ index, relevanceScore }] }`, most relevant first, `numberOfResults` of them (default all).
   */
  private async answerRerank(stream: ServerHttp2Stream, raw: Buffer): Promise<void> {
    const body = JSON.parse(raw.toString('utf8') || '{}') as {
      queries?: Array<{ type?: string; textQuery?: { text?: string } }>;
      sources?: Array<{
        type?: string;
        inlineDocumentSource?: { type?: string; textDocument?: { text?: string } };
      }>;
      rerankingConfiguration?: {
        type?: string;
        bedrockRerankingConfiguration?: {
          numberOfResults?: number;
          modelConfiguration?: { modelArn?: string };
        };
      };
    };
    const configuration = body.rerankingConfiguration?.bedrockRerankingConfiguration;
    const modelArn = configuration?.modelConfiguration?.modelArn ?? '';
    this.requests.push({ modelId: modelArn, operation: 'rerank', body: body as Record<string, unknown> });
    const refuse = (status: number, errorType: string, message: string) => {
      stream.respond({
        ':status': status,
        'content-type': 'application/json',
        'x-amzn-errortype': errorType,
      });
      stream.end(JSON.stringify({ message }));
    };
    const fault = this.rerankFaults.shift();
    await pause(fault?.delayMs);
    if (stream.destroyed || stream.closed) return;
    if (fault?.status) {
      refuse(fault.status, fault.errorType ?? 'InternalServerException', fault.errorMessage ?? 'scripted');
      return;
    }
    const query = body.queries?.[0];
    const sources = body.sources ?? [];
    const texts = sources.map((source) => source.inlineDocumentSource?.textDocument?.text);
    const wellFormed =
      body.queries?.length === 1 &&
      query?.type === 'TEXT' &&
      typeof query.textQuery?.text === 'string' &&
      sources.length > 0 &&
      sources.length <= 1000 &&
      sources.every((source) => source.type === 'INLINE' && source.inlineDocumentSource?.type === 'TEXT') &&
      texts.every((text) => typeof text === 'string') &&
      body.rerankingConfiguration?.type === 'BEDROCK_RERANKING_MODEL' &&
      (configuration?.numberOfResults === undefined ||
        (configuration.numberOfResults >= 1 && configuration.numberOfResults <= sources.length));
    if (!wellFormed) {
      refuse(400, 'ValidationException', 'Malformed rerank request.');
      return;
    }
    if (
      !/^arn:aws:bedrock:[a-z0-9-]+::foundation-model\/(cohere\.rerank-v3-5:0|amazon\.rerank-v1:0)$/.test(
        modelArn,
      )
    ) {
      refuse(400, 'ValidationException', `The provided model identifier is invalid: ${modelArn}`);
      return;
    }
    const scores = this.rerankScores(query.textQuery?.text as string, texts as string[]);
    const results = scores
      .map((relevanceScore, index) => ({ index, relevanceScore }))
      .sort((left, right) => right.relevanceScore - left.relevanceScore || left.index - right.index)
      .slice(0, configuration?.numberOfResults ?? sources.length);
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({ results }));
  }

  private async answer(stream: ServerHttp2Stream, path: string, raw: Buffer): Promise<void> {
    const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
    if (!match) {
      stream.respond({ ':status': 404, 'x-amzn-errortype': 'UnknownOperationException' });
      stream.end('{}');
      return;
    }
    const modelId = decodeURIComponent(match[1]);
    const body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    this.requests.push({ modelId, operation: match[2], body });
    const next = this.script.shift() ?? this.fallback;
    const answer = typeof next === 'function' ? next(body) : next;
    await pause(answer.delayMs);
    if (stream.destroyed || stream.closed) return;
    if (answer.status) {
      stream.respond({
        ':status': answer.status,
        'content-type': 'application/json',
        'x-amzn-errortype': answer.errorType ?? 'InternalServerException',
      });
      stream.end(
        JSON.stringify({ message: answer.errorMessage ?? `scripted ${answer.errorType ?? answer.status}` }),
      );
      return;
    }
    if (match[2] === 'converse') {
      this.answerWhole(stream, answer);
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    // The client's RST_STREAM (CANCEL) before the answer ended: the caller aborted or walked away.
    stream.on('aborted', () => {
      this.cancelled += 1;
    });
    const write = (bytes: Uint8Array) => stream.write(Buffer.from(bytes));
    write(frame('event', 'messageStart', { role: 'assistant' }));
    let index = 0;
    const text = answer.chunks ?? [];
    if (text.length > 0) {
      let sent = 0;
      for (const piece of text) {
        if (answer.stallAfterChunks !== undefined && sent >= answer.stallAfterChunks) return;
        if (stream.destroyed) return;
        if (answer.failAfterChunks !== undefined && sent >= answer.failAfterChunks) {
          await pause(20);
          write(
            frame('exception', answer.streamExceptionType ?? 'modelStreamErrorException', {
              message: 'scripted stream failure',
            }),
          );
          stream.end();
          return;
        }
        await pause(answer.chunkDelayMs);
        write(frame('event', 'contentBlockDelta', { contentBlockIndex: index, delta: { text: piece } }));
        sent += 1;
      }
      write(frame('event', 'contentBlockStop', { contentBlockIndex: index }));
      index += 1;
    }
    for (const toolUse of answer.toolUses ?? []) {
      write(
        frame('event', 'contentBlockStart', {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } },
        }),
      );
      const input = JSON.stringify(toolUse.input);
      const half = Math.floor(input.length / 2);
      write(
        frame('event', 'contentBlockDelta', {
          contentBlockIndex: index,
          delta: { toolUse: { input: input.slice(0, half) } },
        }),
      );
      write(
        frame('event', 'contentBlockDelta', {
          contentBlockIndex: index,
          delta: { toolUse: { input: input.slice(half) } },
        }),
      );
      write(frame('event', 'contentBlockStop', { contentBlockIndex: index }));
      index += 1;
    }
    const stopReason = answer.stopReason ?? (answer.toolUses?.length ? 'tool_use' : 'end_turn');
    write(frame('event', 'messageStop', { stopReason }));
    write(frame('event', 'metadata', { usage: usageOf(answer, text.join('')), metrics: { latencyMs: 5 } }));
    stream.end();
  }
}
