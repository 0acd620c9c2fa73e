import type { ConversationRef } from '../../core/conversation';
import { DeskmateError } from '../../core/errors';
import type { Lock, StateStore } from '../../core/state-store';

/** One todo in Deskmate's list. */
export interface TodoItem {
  /** Its number, unique in the workspace (`todo done 12`). */
  number: number;
  /** What to do. */
  text: string;
  /** Platform user id of the owner, when known. */
  ownerId?: string;
  /** The owner's name as written, when there is no id (console, a name the model saw). */
  ownerName?: string;
  /** Due time (ISO 8601). */
  due?: string;
  /** Where it was created; reminders go there. */
  conversation: ConversationRef;
  /** Who created it. */
  createdBy: string;
  /** When (ISO 8601). */
  createdAt: string;
  /** When it was marked done. */
  doneAt?: string;
  /** Who marked it done. */
  doneBy?: string;
  /** The platform task it mirrors (Lark tasks). */
  task?: { id: string; url?: string };
}

/** A todo to add. */
export type NewTodo = Pick<TodoItem, 'text' | 'ownerId' | 'ownerName' | 'due' | 'conversation' | 'createdBy'>;

/** Done todos are kept this long by default, so `todo list all` and a late click still find them. */
const defaultDoneTtlSeconds = 30 * 24 * 60 * 60;
/** Idempotency records outlive any retry of the job that created the todo. */
const idempotencyTtlSeconds = 7 * 24 * 60 * 60;

/**
 * Deskmate's own todo list, in the state store (Redis in production): every todo has a number unique in
 * its workspace and is listed in its channel and under its owner.
 */
export class TodoStore {
  /** `doneTtlSeconds`: how long a done todo is kept (so `todo list all` and late clicks still find it). */
  constructor(
    private readonly store: StateStore,
    private readonly doneTtlSeconds = defaultDoneTtlSeconds,
  ) {}

  private base(conversation: Pick<ConversationRef, 'platform' | 'workspace'>): string {
    return `todo:${conversation.platform}:${conversation.workspace}`;
  }

  private async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lock: Lock | null = null;
    for (let tries = 0; tries < 50 && !lock; tries += 1) {
      lock = await this.store.acquireLock(key, 5000);
      if (!lock) await new Promise((resolve) => setTimeout(resolve, 20 + tries * 5));
    }
    if (!lock) throw new DeskmateError('unavailable', `todo list is busy (${key})`, { retryable: true });
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }

  private async addToIndex(key: string, number: number): Promise<void> {
    await this.withLock(key, async () => {
      const numbers = (await this.store.getJson<number[]>(key)) ?? [];
      if (!numbers.includes(number)) await this.store.setJson(key, [...numbers, number]);
    });
  }

  private channelIndex(conversation: ConversationRef): string {
    return `${this.base(conversation)}:channel:${conversation.channel}`;
  }

  private userIndex(conversation: Pick<ConversationRef, 'platform' | 'workspace'>, userId: string): string {
    return `${this.base(conversation)}:user:${userId}`;
  }

  /** Add a todo; the same idempotency key returns the todo it created first. */
  async add(todo: NewTodo, idempotencyKey: string, now: Date): Promise<{ item: TodoItem; created: boolean }> {
    const base = this.base(todo.conversation);
    const idempotencyRecord = `${base}:key:${idempotencyKey}`;
    return this.withLock(idempotencyRecord, async () => {
      const existingNumber = await this.store.getJson<number>(idempotencyRecord);
      if (existingNumber !== undefined) {
        const existing = await this.get(todo.conversation, existingNumber);
        if (existing) return { item: existing, created: false };
      }
      const { next } = await this.store.incrementCounters(`${base}:sequence`, { next: 1 });
      const item: TodoItem = { ...todo, number: next, createdAt: now.toISOString() };
      await this.store.setJson(`${base}:item:${item.number}`, item);
      await this.store.setJson(idempotencyRecord, item.number, idempotencyTtlSeconds);
      await this.addToIndex(this.channelIndex(todo.conversation), item.number);
      for (const userId of new Set([todo.ownerId ?? todo.createdBy])) {
        await this.addToIndex(this.userIndex(todo.conversation, userId), item.number);
      }
      return { item, created: true };
    });
  }

  /** One todo by number. */
  async get(
    conversation: Pick<ConversationRef, 'platform' | 'workspace'>,
    number: number,
  ): Promise<TodoItem | undefined> {
    return this.store.getJson<TodoItem>(`${this.base(conversation)}:item:${number}`);
  }

  /** Save changes to a todo (its task link, say). */
  async save(item: TodoItem): Promise<void> {
    await this.store.setJson(
      `${this.base(item.conversation)}:item:${item.number}`,
      item,
      item.doneAt ? this.doneTtlSeconds : undefined,
    );
  }

  /** Delete a todo and its place in the channel's and owner's lists. */
  async remove(item: TodoItem): Promise<void> {
    await this.store.delete(`${this.base(item.conversation)}:item:${item.number}`);
    const indexes = [
      this.channelIndex(item.conversation),
      this.userIndex(item.conversation, item.ownerId ?? item.createdBy),
    ];
    for (const index of indexes) {
      await this.withLock(index, async () => {
        const numbers = (await this.store.getJson<number[]>(index)) ?? [];
        await this.store.setJson(
          index,
          numbers.filter((number) => number !== item.number),
        );
      });
    }
  }

  /** Mark a todo done; returns it, or undefined when there is no such todo. */
  async markDone(
    conversation: Pick<ConversationRef, 'platform' | 'workspace'>,
    number: number,
    userId: string,
    now: Date,
  ): Promise<{ item: TodoItem; changed: boolean } | undefined> {
    const key = `${this.base(conversation)}:item:${number}`;
    return this.withLock(key, async () => {
      const item = await this.store.getJson<TodoItem>(key);
      if (!item) return undefined;
      if (item.doneAt) return { item, changed: false };
      const done: TodoItem = { ...item, doneAt: now.toISOString(), doneBy: userId };
      await this.store.setJson(key, done, this.doneTtlSeconds);
      return { item: done, changed: true };
    });
  }

  private async itemsOf(
    conversation: Pick<ConversationRef, 'platform' | 'workspace'>,
    indexKey: string,
  ): Promise<TodoItem[]> {
    const numbers = (await this.store.getJson<number[]>(indexKey)) ?? [];
    const items = await Promise.all(numbers.map((number) => this.get(conversation, number)));
    const present = items.filter((item): item is TodoItem => item !== undefined);
    if (present.length < numbers.length) {
      // Done todos expire; drop their numbers from the index.
      await this.withLock(indexKey, async () => {
        const current = (await this.store.getJson<number[]>(indexKey)) ?? [];
        const kept = new Set(present.map((item) => item.number));
        const missing = new Set(numbers.filter((number) => !kept.has(number)));
        await this.store.setJson(
          indexKey,
          current.filter((number) => !missing.has(number)),
        );
      });
    }
    return present;
  }

  /** The todos of a channel, oldest first. */
  channelItems(conversation: ConversationRef): Promise<TodoItem[]> {
    return this.itemsOf(conversation, this.channelIndex(conversation));
  }

  /** The todos a user owns (or created without an owner), oldest first. */
  userItems(
    conversation: Pick<ConversationRef, 'platform' | 'workspace'>,
    userId: string,
  ): Promise<TodoItem[]> {
    return this.itemsOf(conversation, this.userIndex(conversation, userId));
  }
}
