import type { ConversationTurn, StateStore } from '../../src/core/state-store';

const turn = (text: string, tokens: number, role: ConversationTurn['role'] = 'user'): ConversationTurn => ({
  role,
  text,
  tokens,
  at: '2026-11-28T10:00:00.000Z',
});

/** The behaviour every StateStore must have; run against Redis and memory. */
export function describeStateStoreContract(
  name: string,
  create: (prefix: string) => Promise<StateStore>,
): void {
  describe(`${name} store contract`, () => {
    let store: StateStore;
    let counter = 0;
    const stores: StateStore[] = [];
    const fresh = async (prefix?: string) => {
      const created = await create(prefix ?? `test-${process.pid}-${Date.now()}-${++counter}:`);
      stores.push(created);
      return created;
    };

    beforeEach(async () => {
      store = await fresh();
    });
    afterAll(async () => {
      await Promise.all(stores.map((each) => each.close()));
    });

    test('markSeen is true once, then false for the same key', async () => {
      expect(await store.markSeen('event:1', 60)).toBe(true);
      expect(await store.markSeen('event:1', 60)).toBe(false);
      expect(await store.markSeen('event:2', 60)).toBe(true);
    });

    test('unmarkSeen lets the key be claimed again', async () => {
      await store.markSeen('event:3', 60);
      await store.unmarkSeen('event:3');
      expect(await store.markSeen('event:3', 60)).toBe(true);
    });

    test('a seen key expires after its TTL', async () => {
      expect(await store.markSeen('event:short', 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.markSeen('event:short', 1)).toBe(true);
    });

    test('two prefixes share nothing', async () => {
      const other = await fresh();
      await store.markSeen('event:shared', 60);
      expect(await other.markSeen('event:shared', 60)).toBe(true);
      await store.setJson('record', { owner: 'a' });
      expect(await other.getJson('record')).toBeUndefined();
    });

    test('conversation memory keeps the newest turns within the turn limit', async () => {
      const limits = { maxTurns: 3, maxTokens: 1000, ttlSeconds: 60 };
      for (const text of ['one', 'two', 'three', 'four']) await store.appendTurn('c1', turn(text, 1), limits);
      expect((await store.turns('c1')).map((each) => each.text)).toEqual(['two', 'three', 'four']);
    });

    test('conversation memory drops the oldest turns past the token limit but keeps the newest', async () => {
      const limits = { maxTurns: 10, maxTokens: 100, ttlSeconds: 60 };
      await store.appendTurn('c2', turn('a', 40), limits);
      await store.appendTurn('c2', turn('b', 40), limits);
      await store.appendTurn('c2', turn('c', 40), limits);
      expect((await store.turns('c2')).map((each) => each.text)).toEqual(['b', 'c']);
      await store.appendTurn('c2', turn('huge', 500), limits);
      expect((await store.turns('c2')).map((each) => each.text)).toEqual(['huge']);
    });

    test('forgetting a person drops their turns and the answers to them, keeps the others and the expiry', async () => {
      const limits = { maxTurns: 10, maxTokens: 1000, ttlSeconds: 1 };
      const said = (text: string, userId: string) => ({ ...turn(text, 1, 'user'), userId });
      await store.appendTurn('c4', said('alice asks', 'U1'), limits);
      await store.appendTurn('c4', turn('answer to alice', 1, 'assistant'), limits);
      await store.appendTurn('c4', said('bob asks', 'U2'), limits);
      await store.appendTurn('c4', turn('answer to bob', 1, 'assistant'), limits);
      await store.appendTurn('c4', said('alice again', 'U1'), limits);
      await store.appendTurn('c4', turn('second answer to alice', 1, 'assistant'), limits);
      expect(await store.forgetTurns('c4', 'U1')).toBe(4);
      expect((await store.turns('c4')).map((each) => each.text)).toEqual(['bob asks', 'answer to bob']);
      expect(await store.forgetTurns('c4', 'U1')).toBe(0);
      expect(await store.forgetTurns('c4', 'U2')).toBe(2);
      expect(await store.turns('c4')).toEqual([]);
      await store.appendTurn('c5', said('still here', 'U2'), limits);
      await store.forgetTurns('c5', 'U1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.turns('c5')).toEqual([]);
    });

    test('conversation memory keeps roles and expires', async () => {
      const limits = { maxTurns: 10, maxTokens: 100, ttlSeconds: 1 };
      await store.appendTurn('c3', turn('question', 2, 'user'), limits);
      await store.appendTurn('c3', turn('answer', 2, 'assistant'), limits);
      expect((await store.turns('c3')).map((each) => each.role)).toEqual(['user', 'assistant']);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.turns('c3')).toEqual([]);
    });

    test('a lock is exclusive until released or expired', async () => {
      const first = await store.acquireLock('job', 500);
      expect(first).not.toBeNull();
      expect(await store.acquireLock('job', 500)).toBeNull();
      await first!.release();
      const second = await store.acquireLock('job', 200);
      expect(second).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await store.acquireLock('job', 200)).not.toBeNull();
    });

    test('releasing an expired lock does not release the next holder', async () => {
      const stale = await store.acquireLock('lease', 100);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const current = await store.acquireLock('lease', 5000);
      await stale!.release();
      expect(current).not.toBeNull();
      expect(await store.acquireLock('lease', 5000)).toBeNull();
    });

    test('JSON records round-trip, expire and delete', async () => {
      await store.setJson('todo:list', { items: [{ text: '准备周报', done: false }] });
      expect(await store.getJson('todo:list')).toEqual({ items: [{ text: '准备周报', done: false }] });
      await store.delete('todo:list');
      expect(await store.getJson('todo:list')).toBeUndefined();
      await store.setJson('short', 1, 1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.getJson('short')).toBeUndefined();
    });

    test('deleting a record removes its counters too', async () => {
      await store.incrementCounters('gone', { calls: 2 });
      await store.setJson('gone', { kept: false });
      await store.delete('gone');
      expect(await store.counters('gone')).toEqual({});
      expect(await store.getJson('gone')).toBeUndefined();
    });

    test('counters add up per field', async () => {
      await store.incrementCounters('usage:day', { inputTokens: 100, calls: 1 }, 60);
      const after = await store.incrementCounters(
        'usage:day',
        { inputTokens: 50, outputTokens: 7, calls: 1 },
        60,
      );
      expect(after).toEqual({ inputTokens: 150, outputTokens: 7, calls: 2 });
      expect(await store.counters('usage:day')).toEqual(after);
      expect(await store.counters('usage:none')).toEqual({});
    });

    test('a token bucket allows its capacity at once, then refills over time', async () => {
      const results = [];
      for (let index = 0; index < 4; index += 1) results.push(await store.takeToken('user:U1', 3, 10));
      expect(results).toEqual([true, true, true, false]);
      expect(await store.takeToken('user:U2', 3, 10)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await store.takeToken('user:U1', 3, 10)).toBe(true);
    });

    test('ping answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
