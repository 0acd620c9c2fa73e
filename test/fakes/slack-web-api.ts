import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { defineSlackMethods } from './slack-methods';
import { FakeSocketMode } from './slack-socket-mode';
import { FakeSlackError, type FakeSlackFile, type FakeSlackMessage, FakeSlackState } from './slack-state';

/** A failure to answer instead of the real thing, a given number of times. */
export interface InjectedSlackFailure {
  method: string;
  times: number;
  /** HTTP status (429 sends `Retry-After`; 5xx an error page). Default 200 with `ok: false`. */
  status?: number;
  /** Slack's `error` for `ok: false` answers. */
  error?: string;
  /** Seconds for `Retry-After` (429). */
  retryAfter?: number;
}

/** A Web API call the fake received (token left out). */
export interface RecordedSlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** A download of a shared file Deskmate made from the fake's file host. */
export interface FileDownload {
  fileId: string;
  /** Whether it carried the bot token. */
  authorized: boolean;
}

/** A POST Deskmate made to a `response_url`. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  /** Set when the fake refused it (the URL was used up): the HTTP status it answered. */
  refused?: number;
}

/**
 * What a `response_url` belongs to: a slash command (typed in a channel by a user) or a click on a message
 * (an interaction, which knows the message it came from).
 */
export type ResponseUrlOrigin =
  | { kind: 'command'; channel: string; user: string }
  | { kind: 'interaction'; channel: string; user: string; messageTs: string };

/**
 * Slack accepts at most 5 posts to one `response_url`, within 30 minutes ("Handling user interaction →
 * message responses", https://api.slack.com/interactivity/handling#message_responses; also
 * https://www.sapotacorp.vn/blog/slack-slash-commands). What Slack answers past that is not documented;
 * the fake answers HTTP 404 `used_url`, a refusal Deskmate must not retry.
 */
export const responseUrlMaxUses = 5;

/** A Web API method of the fake: arguments in, result fields out (or a thrown `FakeSlackError`). */
export type SlackMethod = (args: Record<string, unknown>) => Record<string, unknown>;

/** Fixed credentials (the demo keeps them stable across runs); random when left out. */
export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
}

const jsonFields = new Set(['blocks', 'attachments', 'prompts', 'files', 'chunks', 'metadata']);

/**
 * A fake of Slack's Web API, Socket Mode endpoint and `response_url`s on 127.0.0.1, speaking the real wire
 * format: form-encoded (or JSON) POSTs to `/api/<method>` with `Authorization: Bearer`, `{ok, …}` answers,
 * cursor pagination, 429 with `Retry-After`, streaming messages, file uploads to an upload URL.
 */
export class FakeSlackServer {
  readonly state = new FakeSlackState();
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly socketMode: FakeSocketMode;
  readonly calls: RecordedSlackCall[] = [];
  readonly failures: InjectedSlackFailure[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  /** Downloads of shared files, in order. */
  readonly fileDownloads: FileDownload[] = [];
  /** Methods answered with `unknown_method`, as on a workspace without them. */
  readonly missingMethods = new Set<string>();
  /** Largest page `conversations.*` return, whatever `limit` asks (small values force pagination). */
  maxPageSize = 1000;
  /** Called for each response_url post (the demo prints them). */
  onResponseUrlPost?: (post: ResponseUrlPost) => void;
  url = '';
  private readonly server: Server;
  private readonly methods = new Map<string, SlackMethod>();
  private readonly uploads = new Map<string, { filename: string; content?: string }>();
  private readonly responseUrls = new Map<string, { origin?: ResponseUrlOrigin; uses: number }>();

  constructor(options: FakeSlackOptions = {}) {
    this.botToken = options.botToken ?? `xoxb-${randomBytes(6).toString('hex')}-fake`;
    this.appToken = options.appToken ?? `xapp-1-${randomBytes(5).toString('hex').toUpperCase()}-fake`;
    this.signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
    this.socketMode = new FakeSocketMode(this.state.appId);
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('upgrade', (request, socket, head) => {
      if ((request.url ?? '').startsWith('/socket-mode')) this.socketMode.upgrade(request, socket, head);
      else socket.destroy();
    });
    defineSlackMethods(this, (name, method) => this.methods.set(name, method));
  }

  /** The Web API base URL to give the adapter (`SLACK_API_URL`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Start listening on 127.0.0.1 (port 0: a free one); resolves with the base URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Close sockets and the server. */
  async stop(): Promise<void> {
    this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer the next `times` calls of a method with an error. */
  fail(failure: InjectedSlackFailure): void {
    this.failures.push(failure);
  }

  /** Calls of a method, in order. */
  callsTo(method: string): RecordedSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /**
   * A new `response_url` on this fake. With an origin, its posts show up as messages: `in_channel` posts
   * publicly; an ephemeral post is a new message visible to the user, except that `replace_original` on an
   * interaction's URL replaces the message clicked. On a slash command's URL `replace_original` has nothing
   * to replace and Slack posts a new message (slackapi/bolt-python#1268 "it just posts it as a new
   * message"; slackapi/bolt-js#2287).
   */
  newResponseUrl(origin?: ResponseUrlOrigin): string {
    const id = randomBytes(6).toString('hex');
    this.responseUrls.set(id, { origin, uses: 0 });
    return `${this.url}/response/${id}`;
  }

  /** Show a response_url post as Slack would; the HTTP status to answer. */
  private respondThrough(id: string, body: Record<string, unknown>): number {
    const entry = this.responseUrls.get(id);
    if (!entry) return 404;
    entry.uses += 1;
    if (entry.uses > responseUrlMaxUses) return 404;
    const origin = entry.origin;
    if (!origin) return 200;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as FakeSlackMessage['blocks']) : undefined;
    if (body.replace_original === true && origin.kind === 'interaction') {
      const original = this.state.message(origin.channel, origin.messageTs);
      if (!original) return 404;
      original.text = text;
      original.blocks = blocks;
      original.updates += 1;
      return 200;
    }
    this.state.botPosts({
      channel: origin.channel,
      text,
      blocks,
      ...(body.response_type === 'in_channel' ? {} : { visibleTo: origin.user }),
    });
    return 200;
  }

  /** Where the next file upload goes (`files.getUploadURLExternal`). */
  newUpload(filename: string): { fileId: string; uploadUrl: string } {
    const fileId = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    this.uploads.set(fileId, { filename });
    return { fileId, uploadUrl: `${this.url}/upload/${fileId}` };
  }

  /** The content uploaded for a file id. */
  uploadedContent(fileId: string): { filename: string; content?: string } | undefined {
    return this.uploads.get(fileId);
  }

  /** A shared file as Slack describes it in events and history (`files` items), served by this fake. */
  fileObject(file: FakeSlackFile): Record<string, unknown> {
    const name = encodeURIComponent(file.name);
    const hosted = `${this.url}/files-pri/${this.state.teamId}-${file.id}`;
    return {
      id: file.id,
      created: Math.floor(Date.now() / 1000),
      timestamp: Math.floor(Date.now() / 1000),
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.filetype,
      pretty_type: file.filetype.toUpperCase(),
      user: file.user,
      user_team: this.state.teamId,
      editable: false,
      ...(file.hideSize ? {} : { size: file.bytes.length }),
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: true,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${hosted}/${name}`,
      url_private_download: file.downloadUrl ?? `${hosted}/download/${name}`,
      permalink: `${this.state.workspaceUrl}files/${file.user}/${file.id}/${name}`,
      permalink_public: `https://slack-files.com/${this.state.teamId}-${file.id}-0f9e8d7c6b`,
      has_rich_preview: false,
      file_access: 'visible',
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/files-pri/') && request.method === 'GET') {
      request.resume();
      return this.serveFile(url.pathname, String(request.headers.authorization ?? ''), response);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const contentType = String(request.headers['content-type'] ?? '');

    if (url.pathname.startsWith('/response/') && request.method === 'POST') {
      const post: ResponseUrlPost = {
        id: url.pathname.slice('/response/'.length),
        body: JSON.parse(raw.toString('utf8') || '{}'),
      };
      const status = this.respondThrough(post.id, post.body);
      if (status !== 200) post.refused = status;
      this.responseUrlPosts.push(post);
      this.onResponseUrlPost?.(post);
      if (status !== 200) return this.send(response, status, 'used_url', 'text/plain');
      return this.send(response, 200, 'ok', 'text/plain');
    }
    if (url.pathname.startsWith('/upload/') && request.method === 'POST') {
      const upload = this.uploads.get(url.pathname.slice('/upload/'.length));
      if (!upload) return this.send(response, 404, 'no such upload', 'text/plain');
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const part = [...form.values()][0];
      upload.content = typeof part === 'string' ? part : await (part as Blob).text();
      return this.send(response, 200, `OK - ${raw.length}`, 'text/plain');
    }
    if (!url.pathname.startsWith('/api/') || request.method !== 'POST') {
      return this.send(response, 404, JSON.stringify({ ok: false, error: 'unknown_method' }));
    }
    const method = url.pathname.slice('/api/'.length);
    let args: Record<string, unknown>;
    try {
      args = this.parseArgs(raw, contentType);
    } catch {
      return this.send(response, 200, JSON.stringify({ ok: false, error: 'invalid_form_data' }));
    }
    const token =
      String(request.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
    delete args.token;
    this.calls.push({ method, args });

    const failure = this.failures.find((item) => item.times > 0 && item.method === method);
    if (failure) {
      failure.times -= 1;
      if (failure.status === 429) {
        response.setHeader('retry-after', String(failure.retryAfter ?? 1));
        return this.send(response, 429, JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      if (failure.status && failure.status >= 500)
        return this.send(response, failure.status, 'upstream error', 'text/html');
      return this.send(
        response,
        200,
        JSON.stringify({ ok: false, error: failure.error ?? 'internal_error' }),
      );
    }
    const expectedToken = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== expectedToken) {
      return this.send(
        response,
        200,
        JSON.stringify({ ok: false, error: token ? 'invalid_auth' : 'not_authed' }),
      );
    }
    const handler = this.missingMethods.has(method) ? undefined : this.methods.get(method);
    if (!handler) return this.send(response, 200, JSON.stringify({ ok: false, error: 'unknown_method' }));
    try {
      const result = handler(args);
      return this.send(response, 200, JSON.stringify({ ok: true, ...result }));
    } catch (error) {
      if (error instanceof FakeSlackError) {
        return this.send(response, 200, JSON.stringify({ ok: false, error: error.error, ...error.extra }));
      }
      return this.send(
        response,
        200,
        JSON.stringify({ ok: false, error: 'fatal_error', detail: String(error) }),
      );
    }
  }

  /** `GET /files-pri/<team>-<file id>/…`: the file's bytes, only with the bot token (as Slack's file host). */
  private serveFile(path: string, authorization: string, response: ServerResponse): void {
    const match = /^\/files-pri\/T[A-Z0-9]+-(F[A-Z0-9]+)\//.exec(path);
    const file = match ? this.state.sharedFiles.get(match[1]) : undefined;
    const authorized = authorization === `Bearer ${this.botToken}`;
    if (file) this.fileDownloads.push({ fileId: file.id, authorized });
    if (!file || !authorized) {
      this.send(response, file ? 403 : 404, file ? 'forbidden' : 'not found', 'text/plain');
      return;
    }
    if (file.redirectTo) {
      response.writeHead(302, { location: file.redirectTo, 'content-length': 0 });
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': file.mimetype,
      ...(file.hideSize ? {} : { 'content-length': file.bytes.length }),
      'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
    });
    if (!file.hideSize) {
      response.end(file.bytes);
      return;
    }
    // In 1 KB chunks, so a reader that stops at its limit stops partway.
    for (let offset = 0; offset < file.bytes.length; offset += 1024) {
      response.write(file.bytes.subarray(offset, offset + 1024));
    }
    response.end();
  }

  private parseArgs(raw: Buffer, contentType: string): Record<string, unknown> {
    const text = raw.toString('utf8');
    if (contentType.startsWith('application/json'))
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const form = parseQuery(text) as Record<string, string>;
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(form)) {
      args[key] = jsonFields.has(key) && typeof value === 'string' ? JSON.parse(value) : value;
    }
    return args;
  }

  private send(
    response: ServerResponse,
    status: number,
    body: string,
    type = 'application/json; charset=utf-8',
  ): void {
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }
}
