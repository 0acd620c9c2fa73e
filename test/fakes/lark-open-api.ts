import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeLongConnection } from './lark-long-connection';
import { type FakeCard, FakeLarkState, type FakeMessage } from './lark-state';

/** A failure to answer instead of the real thing, a given number of times. */
export interface InjectedFailure {
  method?: string;
  path: RegExp;
  times: number;
  status: number;
  code: number;
  msg?: string;
  headers?: Record<string, string>;
}

/** A request the fake received (Authorization and secrets left out). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

type Handler = (request: {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
}) => unknown;

/** Options for the fake. */
export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  tenantKey?: string;
  /** The app's Encrypt Key, as set in the developer console. */
  encryptKey?: string;
  /** The app's Verification Token, as set in the developer console. */
  verificationToken?: string;
}

/**
 * A fake of Lark's open API and long-connection endpoint on 127.0.0.1, speaking the real wire format:
 * tokens, messages (create/reply/list/get/patch, `uuid` idempotency), CardKit (streaming cards with
 * strictly increasing `sequence`, 10 operations a second), chat members, tasks, calendar, contacts.
 */
export class FakeLarkServer {
  readonly appId: string;
  readonly appSecret: string;
  readonly encryptKey: string;
  readonly verificationToken: string;
  readonly state: FakeLarkState;
  readonly longConnection: FakeLongConnection;
  readonly requests: RecordedRequest[] = [];
  readonly failures: InjectedFailure[] = [];
  /** Called for every message the bot sends (the demo script prints them). */
  onBotMessage?: (message: FakeMessage) => void;
  url = '';
  private readonly server: Server;
  private readonly tokens = new Set<string>();
  private readonly routes: Array<{ method: string; pattern: RegExp; names: string[]; handler: Handler }> = [];

  constructor(options: FakeLarkOptions = {}) {
    this.appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
    this.appSecret = options.appSecret ?? 'fake-app-secret';
    this.encryptKey = options.encryptKey ?? 'fake-encrypt-key-0123456789';
    this.verificationToken = options.verificationToken ?? 'fake-verification-token';
    this.state = new FakeLarkState({
      botOpenId: options.botOpenId ?? 'ou_bot0000000000000000000000000000',
      tenantKey: options.tenantKey ?? 'tenant-fake',
      appId: this.appId,
    });
    this.state.onBotMessage = (message) => this.onBotMessage?.(message);
    this.longConnection = new FakeLongConnection({ appId: this.appId, appSecret: this.appSecret });
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('upgrade', (request, socket, head) => {
      if ((request.url ?? '').startsWith('/ws')) this.longConnection.upgrade(request, socket, head);
      else socket.destroy();
    });
    this.defineRoutes();
  }

  /** Start listening on 127.0.0.1 (port 0: a free one); resolves with the base URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Close sockets and the server. */
  async stop(): Promise<void> {
    this.longConnection.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer the next `times` matching calls with an error (e.g. 429 with code 99991400). */
  fail(failure: InjectedFailure): void {
    this.failures.push(failure);
  }

  /** Invalidate every tenant_access_token handed out (as an App Secret reset does): calls get 99991663. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Requests to a path, in order. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  private route(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-z_]+)/g, (_match, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, pattern, names, handler });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
    } catch {
      return this.send(response, 400, { code: 9499, msg: 'bad json' });
    }
    const method = request.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams.entries());
    const recorded =
      url.pathname.includes('tenant_access_token') || url.pathname.includes('/callback/ws') ? {} : body;
    this.requests.push({ method, path: url.pathname, query, body: recorded });

    // Card and rich-text messages are refused over 30 KB of request body: HTTP 400, code 230025, "The length
    // of the message content reaches its limit. … 卡片及富文本消息请求体最大不能超过30KB" (error tables of
    // https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create, …/reply, …/patch).
    const bodyBytes = chunks.reduce((total, chunk) => total + chunk.length, 0);
    const isMessageSend = /^\/open-apis\/im\/v1\/messages(?:\/[^/]+(?:\/reply)?)?$/.test(url.pathname);
    const isCardOrPost = method === 'PATCH' || body.msg_type === 'interactive' || body.msg_type === 'post';
    if (isMessageSend && method !== 'GET' && isCardOrPost && bodyBytes > 30 * 1024) {
      return this.send(response, 400, {
        code: 230025,
        msg: 'The length of the message content reaches its limit.',
      });
    }
    const failure = this.failures.find(
      (item) => item.times > 0 && item.path.test(url.pathname) && (!item.method || item.method === method),
    );
    if (failure) {
      failure.times -= 1;
      return this.send(
        response,
        failure.status,
        { code: failure.code, msg: failure.msg ?? 'injected' },
        failure.headers,
      );
    }
    if (url.pathname === '/callback/ws/endpoint' && method === 'POST') {
      return this.send(response, 200, this.longConnection.handshake(body, this.url));
    }
    if (url.pathname === '/open-apis/auth/v3/tenant_access_token/internal' && method === 'POST') {
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret) {
        return this.send(response, 200, { code: 10014, msg: 'app secret invalid' });
      }
      const token = `t-${randomBytes(12).toString('hex')}`;
      this.tokens.add(token);
      return this.send(response, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.tokens.has(token)) {
      return this.send(response, 400, { code: 99991663, msg: 'Invalid access token for authorization.' });
    }
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname);
    if (resource && method === 'GET') {
      return this.serveResource(
        response,
        decodeURIComponent(resource[1]),
        decodeURIComponent(resource[2]),
        query,
      );
    }
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(
        route.names.map((name, index) => [name, decodeURIComponent(match[index + 1])]),
      );
      try {
        const result = route.handler({ method, path: url.pathname, params, query, body });
        if (result && typeof result === 'object' && 'httpStatus' in result) {
          const { httpStatus, ...rest } = result as { httpStatus: number };
          return this.send(response, httpStatus, rest);
        }
        // Lark answers business errors with HTTP 400 and {code, msg}: see the error tables of e.g.
        // https://open.larksuite.com/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply
        // (400 | 230011 | The message is recalled) and .../reference/im-v1/pin/create.
        if (result && typeof result === 'object' && 'code' in result)
          return this.send(response, (result as { code: unknown }).code === 0 ? 200 : 400, result);
        if (result && typeof result === 'object' && 'bot' in result) return this.send(response, 200, result);
        return this.send(response, 200, { code: 0, msg: 'success', data: result ?? {} });
      } catch (error) {
        return this.send(response, 400, {
          code: 230001,
          msg: `invalid request: ${(error as Error).message}`,
        });
      }
    }
    return this.send(response, 404, { code: 404, msg: `no fake for ${method} ${url.pathname}` });
  }

  /**
   * `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file`: the file of a message in a chat
   * the bot is in, as bytes (Lark's answer is the file itself); errors as JSON with Lark's codes.
   */
  private serveResource(
    response: ServerResponse,
    messageId: string,
    fileKey: string,
    query: Record<string, string>,
  ): void {
    const message = this.state.messages.get(messageId);
    const chat = message ? this.state.chats.get(message.chatId) : undefined;
    if (!message || !chat?.members.includes(this.state.botOpenId)) {
      this.send(response, 400, { code: 234003, msg: 'File not in msg.' });
      return;
    }
    const content = JSON.parse(message.content) as { file_key?: string };
    const bytes = this.state.fileBytes.get(fileKey);
    if (content.file_key !== fileKey || !bytes || !['file', 'image', 'media'].includes(query.type ?? '')) {
      this.send(response, 400, { code: 234003, msg: 'File not in msg.' });
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      'content-disposition': `attachment; filename="${fileKey}"`,
    });
    response.end(bytes);
  }

  private send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const payload = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(payload);
  }

  private defineRoutes(): void {
    const state = this.state;
    this.route('GET', '/open-apis/bot/v3/info', () => ({
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: 'Deskmate',
        avatar_url: '',
        ip_white_list: [],
        open_id: state.botOpenId,
      },
    }));
    this.route('POST', '/open-apis/im/v1/messages', ({ query, body }) =>
      state.sendMessage({
        receiveIdType: query.receive_id_type,
        receiveId: String(body.receive_id),
        msgType: String(body.msg_type),
        content: String(body.content),
        uuid: body.uuid as string | undefined,
      }),
    );
    this.route('POST', '/open-apis/im/v1/messages/:message_id/reply', ({ params, body }) =>
      state.replyMessage(params.message_id, {
        msgType: String(body.msg_type),
        content: String(body.content),
        inThread: body.reply_in_thread === true,
        uuid: body.uuid as string | undefined,
      }),
    );
    this.route('GET', '/open-apis/im/v1/messages', ({ query }) => state.listMessages(query));
    this.route('GET', '/open-apis/im/v1/messages/:message_id', ({ params }) => {
      const message = state.messages.get(params.message_id);
      if (!message) return { code: 230011, msg: 'message not found' };
      // On a forwarded chat record (`merge_forward`) Lark answers with the record first, then every message in
      // it, nested records' messages included, each with `upper_message_id` naming the record it is in.
      // Source: larksuite/node-sdk channel/channel.ts (fetchSubMessages) and the response recorded in
      // channel/normalize/__tests__/merge-forward.test.ts; test/fixtures/lark/message-get-merge-forward.json.
      const within = (recordId: string): FakeMessage[] =>
        [...state.messages.values()]
          .filter((item) => item.upperMessageId === recordId)
          .flatMap((item) => [item, ...(item.msgType === 'merge_forward' ? within(item.messageId) : [])]);
      const forwarded = message.msgType === 'merge_forward' ? within(message.messageId) : [];
      return { items: [message, ...forwarded].map((item) => state.toItem(item)) };
    });
    this.route('PATCH', '/open-apis/im/v1/messages/:message_id', ({ params, body }) =>
      state.patchMessage(params.message_id, String(body.content)),
    );
    this.route('POST', '/open-apis/cardkit/v1/cards', ({ body }) => state.createCard(String(body.data)));
    this.route(
      'PUT',
      '/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content',
      ({ params, body }) =>
        state.cardOperation(params.card_id, Number(body.sequence), (card: FakeCard) => {
          if (!card.json.config?.streaming_mode) throw new Error('card is not in streaming mode');
          card.setElementContent(params.element_id, String(body.content));
        }),
    );
    this.route('PATCH', '/open-apis/cardkit/v1/cards/:card_id/settings', ({ params, body }) =>
      state.cardOperation(params.card_id, Number(body.sequence), (card: FakeCard) => {
        const settings = JSON.parse(String(body.settings)) as { config?: Record<string, unknown> };
        card.json.config = { ...card.json.config, ...settings.config };
      }),
    );
    this.route('PUT', '/open-apis/cardkit/v1/cards/:card_id', ({ params, body }) =>
      state.cardOperation(params.card_id, Number(body.sequence), (card: FakeCard) => {
        card.json = JSON.parse(String((body.card as { data: string }).data));
      }),
    );
    this.route('GET', '/open-apis/im/v1/chats/:chat_id', ({ params }) => {
      const chat = state.chats.get(params.chat_id);
      if (!chat?.members.includes(state.botOpenId)) {
        return { code: 232011, msg: 'the operator is not in the chat' };
      }
      return {
        chat_mode: chat.type,
        chat_type: chat.isPublic ? 'public' : 'private',
        external: Boolean(chat.isExternal),
        name: chat.chatId,
      };
    });
    this.route('GET', '/open-apis/im/v1/chats/:chat_id/members', ({ params, query }) =>
      state.chatMembers(params.chat_id, Number(query.page_size ?? 20), query.page_token),
    );
    this.route('GET', '/open-apis/im/v1/chats/:chat_id/members/is_in_chat', ({ params }) => ({
      is_in_chat: state.chats.get(params.chat_id)?.members.includes(state.botOpenId) ?? false,
    }));
    this.route('GET', '/open-apis/contact/v3/users/:user_id', ({ params }) => {
      const user = state.users.get(params.user_id);
      // 41050 "no user authority" for people outside the app's contact range (contact v3 user get, error codes:
      // https://open.feishu.cn/document/server-docs/contact-v3/user/get); the chat member list still names them.
      return user && !user.outsideContactRange
        ? { user: { open_id: user.openId, name: user.name, time_zone: user.timezone } }
        : { code: 41050, msg: 'no user authority error' };
    });
    this.route('GET', '/open-apis/wiki/v2/spaces/get_node', ({ query }) => {
      const node = state.wikiNodes.get(query.token ?? '');
      if (!node) return { code: 131005, msg: 'not found' };
      return {
        node: {
          space_id: '7034502641455497244',
          node_token: node.nodeToken,
          obj_token: node.objToken,
          obj_type: node.objType,
          parent_node_token: '',
          node_type: 'origin',
          origin_node_token: node.nodeToken,
          origin_space_id: '7034502641455497244',
          has_child: false,
          title: node.title,
          obj_create_time: '1700000000',
          obj_edit_time: '1700000000',
          node_create_time: '1700000000',
          creator: 'ou_owner',
          owner: 'ou_owner',
        },
      };
    });
    this.route('GET', '/open-apis/drive/v2/permissions/:token/public', ({ params, query }) => {
      const doc = state.docOf(params.token, query.type ?? '');
      if (!doc) return { code: 1063005, msg: 'resource deleted or not exist' };
      return {
        permission_public: {
          external_access_entity: 'closed',
          security_entity: 'anyone_can_view',
          comment_entity: 'anyone_can_view',
          share_entity: 'anyone',
          manage_collaborator_entity: 'collaborator_can_view',
          link_share_entity: doc.linkShare,
          copy_entity: 'anyone_can_view',
          lock_switch: false,
        },
      };
    });
    this.route('GET', '/open-apis/drive/v1/permissions/:token/members', ({ params, query }) => {
      const doc = state.docOf(params.token, query.type ?? '');
      if (!doc) return { code: 1063005, msg: 'resource deleted or not exist' };
      return { items: doc.members.map((member) => ({ type: 'user', ...member })) };
    });
    this.route('GET', '/open-apis/docx/v1/documents/:document_id/blocks', ({ params, query }) => {
      const doc = state.docs.get(params.document_id);
      if (!doc) return { code: 1770002, msg: 'not found' };
      const pageSize = Math.min(Number(query.page_size ?? 500), 500);
      const offset = Number(query.page_token ?? 0);
      const hasMore = offset + pageSize < doc.blocks.length;
      return {
        items: doc.blocks.slice(offset, offset + pageSize),
        has_more: hasMore,
        ...(hasMore ? { page_token: String(offset + pageSize) } : {}),
      };
    });
    this.route('POST', '/open-apis/task/v2/tasks', ({ body }) => state.createTask(body));
    this.route('PATCH', '/open-apis/task/v2/tasks/:task_guid', ({ params, body }) =>
      state.patchTask(params.task_guid, body),
    );
    this.route('POST', '/open-apis/calendar/v4/calendars/primary', () => ({
      calendars: [
        {
          calendar: { calendar_id: state.botCalendarId, type: 'primary', role: 'owner' },
          user_id: state.botOpenId,
        },
      ],
    }));
    this.route('POST', '/open-apis/calendar/v4/freebusy/batch', ({ body }) => ({
      freebusy_lists: (body.user_ids as string[]).map((userId) => ({
        user_id: userId,
        freebusy_items: state.busyOf(userId, String(body.time_min), String(body.time_max)),
      })),
    }));
    this.route('POST', '/open-apis/calendar/v4/freebusy/list', ({ body }) => ({
      freebusy_list: state.busyOf(String(body.user_id), String(body.time_min), String(body.time_max)),
    }));
    this.route('POST', '/open-apis/calendar/v4/calendars/:calendar_id/events', ({ params, query, body }) =>
      state.createEvent(params.calendar_id, query.idempotency_key, body),
    );
    this.route(
      'POST',
      '/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id/attendees',
      ({ params, body }) => state.addAttendees(params.event_id, body.attendees as Array<{ user_id: string }>),
    );
  }
}
