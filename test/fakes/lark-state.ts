import { randomBytes } from 'node:crypto';
import { type CardJson, cardText, FakeCard } from './lark-cards';

export { cardText, FakeCard } from './lark-cards';

/** A person in the fake tenant. */
export interface FakeUser {
  openId: string;
  name: string;
  timezone?: string;
  /** Outside the app's contact range (通讯录权限范围) or external: the contact directory answers 41050 for them. */
  outsideContactRange?: boolean;
}

/** A chat: a group, or a person's direct chat with the bot. */
export interface FakeChat {
  chatId: string;
  type: 'group' | 'p2p';
  members: string[];
  /** A public group (`chat_type: public`): anyone in the tenant may find and read it. */
  isPublic?: boolean;
  /** An external group, with people of other organizations (`external: true`). */
  isExternal?: boolean;
}

/** A stored message. */
export interface FakeMessage {
  messageId: string;
  chatId: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  msgType: string;
  content: string;
  senderId: string;
  senderType: 'user' | 'app';
  createTime: number;
  deleted?: boolean;
  mentions?: Array<{ key: string; id: string; name: string }>;
  patches: number;
  /** A forwarded message: the forwarded chat record (`merge_forward`) it is in. */
  upperMessageId?: string;
}

/** A block of a fake Lark Doc, in the API's shape (`block_type` and the field holding its text). */
export type FakeDocBlock = { block_id: string; parent_id: string; block_type: number } & Record<
  string,
  unknown
>;

/** A Lark Doc (docx) in the fake tenant: its blocks, its link sharing and its members. */
export interface FakeDoc {
  token: string;
  title: string;
  blocks: FakeDocBlock[];
  /** `link_share_entity`: `tenant_readable` lets everyone in the tenant read it; `closed` only its members. */
  linkShare: string;
  /** Members (`openid` people, `openchat` group chats). */
  members: Array<{ member_type: string; member_id: string; perm: string; type?: string }>;
}

/** A Wiki node that holds a document. */
export interface FakeWikiNode {
  nodeToken: string;
  objToken: string;
  objType: string;
  title: string;
}

const id = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** The blocks of a Doc written as `# Heading` and paragraph lines (a page block first, with the title). */
export function docBlocks(title: string, lines: string[]): FakeDocBlock[] {
  const text = (content: string) => ({
    elements: [{ text_run: { content, text_element_style: {} } }],
    style: {},
  });
  const pageId = id('doxcn');
  const blocks: FakeDocBlock[] = [
    { block_id: pageId, parent_id: '', block_type: 1, page: text(title), children: [] },
  ];
  for (const line of lines) {
    const heading = /^(#{1,9}) (.*)$/.exec(line);
    const level = heading ? heading[1].length : 0;
    const field = heading ? `heading${level}` : 'text';
    blocks.push({
      block_id: id('doxcn'),
      parent_id: pageId,
      block_type: heading ? level + 2 : 2,
      [field]: text(heading ? heading[2] : line),
    });
  }
  return blocks;
}

/** The fake tenant's data and the rules Lark applies to it. */
export class FakeLarkState {
  readonly botOpenId: string;
  readonly tenantKey: string;
  readonly botCalendarId = 'feishu.cn_bot@group.calendar.feishu.cn';
  readonly users = new Map<string, FakeUser>();
  readonly chats = new Map<string, FakeChat>();
  readonly messages = new Map<string, FakeMessage>();
  readonly cards = new Map<string, FakeCard>();
  readonly tasks = new Map<string, Record<string, unknown>>();
  readonly events = new Map<string, Record<string, unknown>>();
  readonly attendees = new Map<string, string[]>();
  readonly busy = new Map<string, Array<{ start_time: string; end_time: string }>>();
  /** Docs by token. */
  readonly docs = new Map<string, FakeDoc>();
  /** Wiki nodes by node token. */
  readonly wikiNodes = new Map<string, FakeWikiNode>();
  /** The bytes of files sent in messages, by file key. */
  readonly fileBytes = new Map<string, Buffer>();
  /** Card operations refused for going over 10 a second. */
  rateLimitedCardOperations = 0;
  onBotMessage?: (message: FakeMessage) => void;
  /** Called when a bot message changes after it was sent (patched, or its card entity updated). */
  onBotMessageChanged?: (
    message: FakeMessage,
    change: 'patched' | 'streamed' | 'closed' | 'replaced',
  ) => void;
  /** The message each send `uuid` posted, and when. */
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private lastTime = 0;
  /** How far the fake's clock is ahead of the real one (tests move it with `advanceClock`). */
  private clockOffsetMs = 0;

  /** The app's id: Lark names an app's messages by it (`sender.id_type: app_id`), not by the bot's open_id. */
  readonly appId: string;

  constructor(options: { botOpenId: string; tenantKey: string; appId?: string }) {
    this.botOpenId = options.botOpenId;
    this.appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
    this.tenantKey = options.tenantKey;
  }

  /** A strictly increasing millisecond time for new messages. */
  private time(): number {
    this.lastTime = Math.max(Date.now() + this.clockOffsetMs, this.lastTime + 1);
    return this.lastTime;
  }

  /** Move the fake's clock forward (message times, the `uuid` window). */
  advanceClock(milliseconds: number): void {
    this.clockOffsetMs += milliseconds;
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.openId, user);
    return user;
  }

  addChat(chat: Omit<FakeChat, 'members'> & { members?: string[] }): FakeChat {
    const stored = { ...chat, members: [...new Set([...(chat.members ?? []), this.botOpenId])] };
    this.chats.set(chat.chatId, stored);
    return stored;
  }

  /** The person's direct chat with the bot (created on first use). */
  directChat(userId: string): FakeChat {
    const existing = [...this.chats.values()].find(
      (chat) => chat.type === 'p2p' && chat.members.includes(userId),
    );
    return existing ?? this.addChat({ chatId: id('oc_p2p'), type: 'p2p', members: [userId] });
  }

  /** Store a message a person writes; returns it (the event is built from it). */
  userSays(input: {
    chatId: string;
    userId: string;
    msgType?: string;
    content: string;
    mentions?: FakeMessage['mentions'];
    parentId?: string;
    inThread?: boolean;
    createTime?: number;
  }): FakeMessage {
    const parent = input.parentId ? this.messages.get(input.parentId) : undefined;
    const message: FakeMessage = {
      messageId: id('om_'),
      chatId: input.chatId,
      msgType: input.msgType ?? 'text',
      content: input.content,
      senderId: input.userId,
      senderType: 'user',
      createTime: input.createTime ?? this.time(),
      mentions: input.mentions,
      patches: 0,
      ...(parent ? this.threadPlace(parent, input.inThread === true) : {}),
    };
    this.messages.set(message.messageId, message);
    return message;
  }

  /** Someone sends a file (a `file` message): its bytes are served through the message resources API. */
  userSendsFile(input: {
    chatId: string;
    userId: string;
    name: string;
    bytes: Buffer;
    parentId?: string;
    inThread?: boolean;
  }): FakeMessage {
    const fileKey = `file_v3_${randomBytes(10).toString('hex')}`;
    this.fileBytes.set(fileKey, input.bytes);
    return this.userSays({
      chatId: input.chatId,
      userId: input.userId,
      msgType: 'file',
      content: JSON.stringify({ file_key: fileKey, file_name: input.name }),
      parentId: input.parentId,
      inThread: input.inThread,
    });
  }

  /** Add a Doc (and, with `wikiNode`, a Wiki node holding it). */
  addDoc(doc: FakeDoc, wikiNode?: string): FakeDoc {
    this.docs.set(doc.token, doc);
    if (wikiNode) {
      this.wikiNodes.set(wikiNode, {
        nodeToken: wikiNode,
        objToken: doc.token,
        objType: 'docx',
        title: doc.title,
      });
    }
    return doc;
  }

  /** The Doc a permission or content request names (a Wiki node token names its Doc). */
  docOf(token: string, type: string): FakeDoc | undefined {
    if (type === 'wiki') {
      const node = this.wikiNodes.get(token);
      return node ? this.docs.get(node.objToken) : undefined;
    }
    return this.docs.get(token);
  }

  private threadPlace(
    parent: FakeMessage,
    inThread: boolean,
  ): Pick<FakeMessage, 'rootId' | 'parentId' | 'threadId'> {
    let rootId = parent.rootId ?? parent.messageId;
    let threadId = parent.threadId ?? this.messages.get(rootId)?.threadId;
    if (inThread && !threadId) {
      // A thread opened on a message outside any thread starts at that message, even when it quotes another.
      rootId = parent.messageId;
      threadId = id('omt_');
      parent.threadId = threadId;
    }
    // A quote reply points at the message it quotes (root_id: the chain's first message); in a thread every
    // message replies to the thread's root, so root_id and parent_id are both the root, and thread_id is set
    // (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro, root_id 与 parent_id).
    if (threadId) return { rootId, parentId: rootId, threadId };
    return { rootId, parentId: parent.messageId };
  }

  private checkContent(msgType: string, content: string): void {
    if (!['text', 'post', 'interactive'].includes(msgType))
      throw new Error(`unsupported msg_type ${msgType}`);
    const parsed = JSON.parse(content) as { type?: string; data?: { card_id?: string }; schema?: string };
    if (msgType !== 'interactive') return;
    if (parsed.type === 'card') {
      const card = this.cards.get(parsed.data?.card_id ?? '');
      if (!card) throw new Error('card entity not found');
      if (card.sent) throw new Error('a card entity can be sent once');
      card.sent = true;
    } else if (parsed.schema !== '2.0') {
      throw new Error('card must be JSON 2.0');
    }
  }

  private botMessage(chatId: string, msgType: string, content: string, uuid: string | undefined, place = {}) {
    // Lark sends at most one message per uuid within an hour ("持有相同 uuid 的请求，在 1 小时内至多成功发送
    // 一条消息", `uuid` in the message create and reply docs); after that the same uuid posts again.
    const sent = uuid ? this.uuids.get(uuid) : undefined;
    if (sent && Date.now() + this.clockOffsetMs - sent.at < 60 * 60 * 1000)
      return this.toItem(this.messages.get(sent.messageId) as FakeMessage);
    this.checkContent(msgType, content);
    const message: FakeMessage = {
      messageId: id('om_'),
      chatId,
      msgType,
      content,
      senderId: this.botOpenId,
      senderType: 'app',
      createTime: this.time(),
      patches: 0,
      ...place,
    };
    this.messages.set(message.messageId, message);
    if (uuid) this.uuids.set(uuid, { messageId: message.messageId, at: message.createTime });
    this.onBotMessage?.(message);
    return this.toItem(message);
  }

  sendMessage(input: {
    receiveIdType: string;
    receiveId: string;
    msgType: string;
    content: string;
    uuid?: string;
  }) {
    let chatId = input.receiveId;
    if (input.receiveIdType === 'open_id') chatId = this.directChat(input.receiveId).chatId;
    else if (input.receiveIdType !== 'chat_id') throw new Error(`receive_id_type ${input.receiveIdType}`);
    if (!this.chats.get(chatId)?.members.includes(this.botOpenId))
      return { code: 230002, msg: 'Bot is not in the chat' };
    return this.botMessage(chatId, input.msgType, input.content, input.uuid);
  }

  replyMessage(
    parentId: string,
    input: { msgType: string; content: string; inThread: boolean; uuid?: string },
  ) {
    const parent = this.messages.get(parentId);
    if (!parent || parent.deleted) return { code: 230011, msg: 'The message was withdrawn.' };
    return this.botMessage(
      parent.chatId,
      input.msgType,
      input.content,
      input.uuid,
      this.threadPlace(parent, input.inThread),
    );
  }

  patchMessage(messageId: string, content: string) {
    const message = this.messages.get(messageId);
    if (!message) return { code: 230011, msg: 'message not found' };
    if (message.senderId !== this.botOpenId || message.msgType !== 'interactive') {
      return { code: 230001, msg: 'only cards the bot sent can be patched' };
    }
    this.checkContent('interactive', content);
    message.content = content;
    message.patches += 1;
    this.onBotMessageChanged?.(message, 'patched');
    return {};
  }

  /** The API shape of a message (`im.v1.message.list` / `get` items). */
  toItem(message: FakeMessage) {
    return {
      message_id: message.messageId,
      ...(message.rootId ? { root_id: message.rootId } : {}),
      ...(message.parentId ? { parent_id: message.parentId } : {}),
      ...(message.threadId ? { thread_id: message.threadId } : {}),
      ...(message.upperMessageId ? { upper_message_id: message.upperMessageId } : {}),
      msg_type: message.msgType,
      create_time: String(message.createTime),
      update_time: String(message.createTime),
      deleted: message.deleted === true,
      updated: message.patches > 0,
      chat_id: message.chatId,
      sender: {
        id:
          message.senderType === 'app' && message.senderId === this.botOpenId ? this.appId : message.senderId,
        id_type: message.senderType === 'app' ? 'app_id' : 'open_id',
        sender_type: message.senderType,
        tenant_key: this.tenantKey,
      },
      body: { content: message.content },
      mentions: (message.mentions ?? []).map((mention) => ({
        ...mention,
        id_type: 'open_id',
        tenant_key: this.tenantKey,
      })),
    };
  }

  listMessages(query: Record<string, string>) {
    const pageSize = Number(query.page_size ?? 20);
    if (pageSize > 50) return { code: 230001, msg: 'page_size must be at most 50' };
    const start = query.start_time ? Number(query.start_time) * 1000 : -Infinity;
    const end = query.end_time ? Number(query.end_time) * 1000 : Infinity;
    let selected = [...this.messages.values()].filter((message) => {
      if (query.container_id_type === 'thread') return message.threadId === query.container_id;
      // Replies inside threads are not part of a chat's listing, nor the messages of a forwarded record.
      const isThreadReply = message.threadId !== undefined && message.rootId !== undefined;
      return (
        message.chatId === query.container_id &&
        !isThreadReply &&
        message.upperMessageId === undefined &&
        message.createTime >= start &&
        message.createTime <= end
      );
    });
    selected.sort((left, right) => left.createTime - right.createTime);
    if (query.sort_type === 'ByCreateTimeDesc') selected = selected.reverse();
    const offset = Number(query.page_token ?? 0);
    const page = selected.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < selected.length;
    return {
      has_more: hasMore,
      ...(hasMore ? { page_token: String(offset + pageSize) } : {}),
      items: page.map((message) => this.toItem(message)),
    };
  }

  chatMembers(chatId: string, pageSize: number, pageToken: string | undefined) {
    const chat = this.chats.get(chatId);
    if (!chat) return { code: 232011, msg: 'chat not found or bot not in chat' };
    const people = chat.members.filter((member) => member !== this.botOpenId);
    const offset = Number(pageToken ?? 0);
    const hasMore = offset + pageSize < people.length;
    return {
      items: people.slice(offset, offset + pageSize).map((member) => ({
        member_id: member,
        member_id_type: 'open_id',
        name: this.users.get(member)?.name ?? member,
        tenant_key: this.tenantKey,
      })),
      has_more: hasMore,
      ...(hasMore ? { page_token: String(offset + pageSize) } : {}),
      member_total: people.length,
    };
  }

  createCard(data: string) {
    const json = JSON.parse(data) as CardJson;
    if (json.schema !== '2.0') throw new Error('CardKit takes JSON 2.0 cards');
    const card = new FakeCard(id('7'), json);
    this.cards.set(card.cardId, card);
    return { card_id: card.cardId };
  }

  /** Times of the app's CardKit operations in the last second. */
  private appCardOperationTimes: number[] = [];
  /** CardKit operations refused for the app-wide limit. */
  rateLimitedAppCardOperations = 0;

  /** One CardKit operation: sequence strictly increasing, at most 10 a second per card. */
  cardOperation(cardId: string, sequence: number, apply: (card: FakeCard) => void) {
    const card = this.cards.get(cardId);
    if (!card) return { code: 300301, msg: 'card not found' };
    const now = Date.now();
    if (card.operationTimes.filter((time) => now - time < 1000).length >= 10) {
      this.rateLimitedCardOperations += 1;
      return { httpStatus: 429, code: 99991400, msg: 'request trigger frequency limit' };
    }
    // And at most 50 a second for the whole app, whatever the card (CardKit pages, 接口频率限制 50 次/秒).
    this.appCardOperationTimes = this.appCardOperationTimes.filter((time) => now - time < 1000);
    if (this.appCardOperationTimes.length >= 50) {
      this.rateLimitedAppCardOperations += 1;
      return { httpStatus: 429, code: 99991400, msg: 'request trigger frequency limit' };
    }
    this.appCardOperationTimes.push(now);
    if (!Number.isInteger(sequence) || sequence <= card.sequence) {
      return { code: 300317, msg: `sequence ${sequence} is not greater than ${card.sequence}` };
    }
    const streamingBefore = card.json.config?.streaming_mode === true;
    apply(card);
    card.sequence = sequence;
    card.operationTimes.push(now);
    const message = [...this.messages.values()].find((item) => this.cardOf(item) === card);
    if (message) {
      const streamingAfter = card.json.config?.streaming_mode === true;
      const change = streamingBefore && !streamingAfter ? 'closed' : streamingAfter ? 'streamed' : 'replaced';
      this.onBotMessageChanged?.(message, change);
    }
    return {};
  }

  createTask(body: Record<string, unknown>) {
    const token = String(body.client_token ?? id('task'));
    const existing = this.tasks.get(token);
    if (existing) return { task: existing };
    if (!body.summary) throw new Error('summary is required');
    const guid = id('task-');
    const task = { ...body, guid, url: `https://applink.feishu.cn/client/todo/detail?guid=${guid}` };
    this.tasks.set(token, task);
    return { task };
  }

  patchTask(guid: string, body: Record<string, unknown>) {
    const task = [...this.tasks.values()].find((each) => each.guid === guid);
    if (!task) return { code: 1470404, msg: 'task not found' };
    const fields = (body.update_fields as string[] | undefined) ?? [];
    const changes = (body.task as Record<string, unknown> | undefined) ?? {};
    for (const field of fields) task[field] = changes[field];
    return { task };
  }

  createEvent(calendarId: string, key: string | undefined, body: Record<string, unknown>) {
    if (calendarId !== this.botCalendarId) return { code: 190002, msg: 'calendar not found' };
    const existing = key ? this.events.get(key) : undefined;
    if (existing) return { event: existing };
    const start = Number((body.start_time as { timestamp: string }).timestamp);
    const end = Number((body.end_time as { timestamp: string }).timestamp);
    if (!(end > start)) throw new Error('end_time must be after start_time');
    const eventId = `${id('')}_0`;
    const event = {
      ...body,
      event_id: eventId,
      app_link: `https://applink.feishu.cn/client/calendar/event/detail?eventId=${eventId}`,
    };
    this.events.set(key ?? eventId, event);
    return { event };
  }

  addAttendees(eventId: string, attendees: Array<{ user_id: string }>) {
    const list = this.attendees.get(eventId) ?? [];
    for (const attendee of attendees) if (!list.includes(attendee.user_id)) list.push(attendee.user_id);
    this.attendees.set(eventId, list);
    return { attendees: list.map((userId) => ({ type: 'user', user_id: userId })) };
  }

  busyOf(userId: string, timeMin: string, timeMax: string) {
    const min = Date.parse(timeMin);
    const max = Date.parse(timeMax);
    return (this.busy.get(userId) ?? []).filter(
      (item) => Date.parse(item.end_time) > min && Date.parse(item.start_time) < max,
    );
  }

  /** Messages the bot sent, oldest first. */
  botMessages(): FakeMessage[] {
    return [...this.messages.values()].filter((message) => message.senderType === 'app');
  }

  /** The text a person sees for a message now (card entities as currently streamed). */
  visibleText(message: FakeMessage): string {
    const parsed = JSON.parse(message.content) as {
      text?: string;
      type?: string;
      data?: { card_id?: string };
    };
    if (message.msgType === 'text') return parsed.text ?? '';
    if (parsed.type === 'card') return cardText(this.cards.get(parsed.data?.card_id ?? '')?.json);
    return cardText(parsed);
  }

  /** The card entity behind a message, when it was sent as one. */
  cardOf(message: FakeMessage): FakeCard | undefined {
    const parsed = JSON.parse(message.content) as { type?: string; data?: { card_id?: string } };
    return parsed.type === 'card' ? this.cards.get(parsed.data?.card_id ?? '') : undefined;
  }

  /** The callback values of the buttons on a message's card, in order. */
  buttonsOf(message: FakeMessage): Array<Record<string, unknown>> {
    const card = this.cardOf(message)?.json ?? JSON.parse(message.content);
    const values: Array<Record<string, unknown>> = [];
    const visit = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const record = node as Record<string, unknown>;
      if (record.tag === 'button') {
        const behavior = (record.behaviors as Array<{ value: Record<string, unknown> }>)[0];
        values.push(behavior.value);
      }
      Object.values(record).forEach(visit);
    };
    visit(card);
    return values;
  }
}
