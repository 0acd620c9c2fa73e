import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** An HTTP response whose body is read as UTF-8 text, chunk by chunk. */
export interface TextResponse {
  /** The status code. */
  status: number;
  /** A response header (lower-case name), the first value when repeated. */
  header(name: string): string | undefined;
  /** The body as it arrives, decoded (a character split across chunks is kept whole). */
  body: AsyncIterable<string>;
  /** The whole body. */
  text(): Promise<string>;
}

// Connections are kept open between calls, as fetch does; a model call is one request at a time per socket.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

function wrap(response: IncomingMessage): TextResponse {
  response.setEncoding('utf8');
  return {
    status: response.statusCode ?? 0,
    header(name) {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    body: response,
    async text() {
      let text = '';
      for await (const chunk of response) text += chunk;
      return text;
    },
  };
}

/**
 * POST a body and resolve with the response once its headers arrive. Node's `http`/`https` rather than
 * fetch: a streamed answer is read as a Node stream, without the web-stream layers fetch puts on every
 * chunk (the job side spent about a third of its time in them with 200 answers streaming). Aborting the
 * signal ends the request and the body with an `AbortError`.
 */
export function postForText(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<TextResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') {
    return Promise.reject(new Error(`unsupported protocol ${target.protocol} in ${target.origin}`));
  }
  const send = secure ? httpsRequest : httpRequest;
  return new Promise<TextResponse>((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: 'POST',
        agent: secure ? httpsAgent : httpAgent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
      },
      (response) => resolve(wrap(response)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
