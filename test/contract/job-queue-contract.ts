import type { ConversationRef } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { JobHandler, JobQueue } from '../../src/core/job-queue';
import { inboundMessage } from '../helpers/messages';
import { waitUntil } from '../helpers/wait';

/** What a contract run needs from a queue implementation. */
export interface QueueFactory {
  /** A queue on the shared backing (the same `space` means the same jobs, as two processes would see). */
  create(space: string, options?: { attempts?: number }): JobQueue;
  /** Whether queued jobs outlive the queue object (a restart). */
  durable: boolean;
}

const place = (channel: string, thread = 't1'): ConversationRef => ({
  platform: 'slack',
  workspace: 'T1',
  channel,
  thread,
  kind: 'group',
});

const message = (text: string, conversation: ConversationRef, ids: Partial<InboundMessage> = {}) =>
  inboundMessage(text, { conversation, ...ids });

/** A handler that records when each job ran, taking `ms` per job, failing when told to. */
function recorder(ms = 30, failFirst = new Set<string>()) {
  const runs: Array<{ text: string; start: number; end: number; attempt: number }> = [];
  const handler: JobHandler = async (job, attempt) => {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (failFirst.delete(job.text)) throw new Error(`first run of ${job.text} fails`);
    runs.push({ text: job.text, start, end: Date.now(), attempt: attempt.attemptsMade });
  };
  return { runs, handler };
}

/** The behaviour every job queue must have; run against the memory and the Redis queue. */
export function describeJobQueueContract(name: string, factory: QueueFactory): void {
  describe(`${name} job queue contract`, () => {
    let counter = 0;
    const queues: JobQueue[] = [];
    const fresh = (space: string, options?: { attempts?: number }) => {
      const queue = factory.create(space, options);
      queues.push(queue);
      return queue;
    };
    const newSpace = () => `queue-${process.pid}-${Date.now()}-${++counter}:`;
    afterEach(async () => {
      await Promise.all(queues.splice(0).map((queue) => queue.stop(100)));
    });

    test('a message runs once; the same event id again is a duplicate', async () => {
      const queue = fresh(newSpace());
      const { runs, handler } = recorder(1);
      await queue.start(handler);
      const first = message('hello', place('C1'));
      expect(await queue.enqueue(first)).toBe('accepted');
      expect(await queue.enqueue({ ...first })).toBe('duplicate');
      await queue.drain();
      expect(runs.map((run) => run.text)).toEqual(['hello']);
    });

    test('a new event id carrying a message already seen is a duplicate (app_mention and message of one post)', async () => {
      const queue = fresh(newSpace());
      const { runs, handler } = recorder(1);
      await queue.start(handler);
      const mention = message('hi', place('C1'), { eventId: 'Ev1', messageId: 'C1:1.0' });
      expect(await queue.enqueue(mention)).toBe('accepted');
      expect(await queue.enqueue({ ...mention, eventId: 'Ev2' })).toBe('duplicate');
      await queue.drain();
      expect(runs).toHaveLength(1);
    });

    test('one conversation runs one job at a time, in arrival order; others run alongside', async () => {
      const queue = fresh(newSpace());
      // Long enough that b1, enqueued after A's three jobs, starts while a1 still runs on a busy machine (with
      // 40 ms it started 12 ms after a1 ended at load average 10).
      const { runs, handler } = recorder(250);
      await queue.start(handler);
      for (const text of ['a1', 'a2', 'a3']) await queue.enqueue(message(text, place('CA')));
      await queue.enqueue(message('b1', place('CB')));
      await queue.drain();
      const ofA = runs.filter((run) => run.text.startsWith('a'));
      expect(ofA.map((run) => run.text)).toEqual(['a1', 'a2', 'a3']);
      for (let index = 1; index < ofA.length; index += 1) {
        expect(ofA[index].start).toBeGreaterThanOrEqual(ofA[index - 1].end);
      }
      const b1 = runs.find((run) => run.text === 'b1');
      expect(b1?.start).toBeLessThan(ofA[0].end);
    });

    test('a job that fails runs again, and its conversation’s next job waits for it', async () => {
      const queue = fresh(newSpace());
      const { runs, handler } = recorder(5, new Set(['first']));
      await queue.start(handler);
      await queue.enqueue(message('first', place('CF')));
      await queue.enqueue(message('second', place('CF')));
      await queue.drain();
      expect(runs.map((run) => [run.text, run.attempt])).toEqual([
        ['first', 2],
        ['second', 1],
      ]);
    });

    test('a job that always fails stops after its attempts, and the conversation goes on', async () => {
      const queue = fresh(newSpace(), { attempts: 2 });
      let tries = 0;
      const done: string[] = [];
      await queue.start(async (job) => {
        if (job.text === 'broken') {
          tries += 1;
          throw new Error('always');
        }
        done.push(job.text);
      });
      await queue.enqueue(message('broken', place('CX')));
      await queue.enqueue(message('after', place('CX')));
      await queue.drain();
      expect(tries).toBe(2);
      expect(done).toEqual(['after']);
      expect(await queue.depth()).toBe(0);
    });

    if (!factory.durable) return;

    test('messages accepted by a process that runs no jobs run once where jobs run (web and jobs roles)', async () => {
      const space = newSpace();
      const web = fresh(space);
      for (const text of ['x1', 'x2', 'y1']) {
        await web.enqueue(message(text, place(text.startsWith('x') ? 'CX' : 'CY')));
      }
      expect(await web.depth()).toBe(3);
      const jobs = fresh(space);
      const { runs, handler } = recorder(1);
      await jobs.start(handler);
      await jobs.drain();
      expect(runs.map((run) => run.text).sort()).toEqual(['x1', 'x2', 'y1']);
    });

    test('two processes running jobs keep each conversation in order, one job at a time', async () => {
      const space = newSpace();
      const first = fresh(space);
      const second = fresh(space);
      const { runs, handler } = recorder(25);
      await first.start(handler);
      await second.start(handler);
      const texts = Array.from({ length: 6 }, (_, index) => `m${index}`);
      for (const text of texts) await first.enqueue(message(text, place('CO')));
      for (const text of ['p1', 'p2']) await second.enqueue(message(text, place('CP')));
      await first.drain();
      const ordered = runs.filter((run) => run.text.startsWith('m'));
      expect(ordered.map((run) => run.text)).toEqual(texts);
      for (let index = 1; index < ordered.length; index += 1) {
        expect(ordered[index].start).toBeGreaterThanOrEqual(ordered[index - 1].end);
      }
    });

    test('a job still running when its process stops past the grace period runs again in the next one', async () => {
      const space = newSpace();
      const stopping = fresh(space);
      let release: () => void = () => {};
      let started = false;
      await stopping.start(async (_job, attempt) => {
        started = true;
        await new Promise<void>((resolve) => {
          release = resolve;
          attempt.signal.addEventListener('abort', () => resolve());
        });
      });
      await stopping.enqueue(message('long', place('CL')));
      await stopping.enqueue(message('next', place('CL')));
      await waitUntil(() => started, 'the long job to start');
      await stopping.stop(50);
      release();
      const next = fresh(space);
      const { runs, handler } = recorder(1);
      await next.start(handler);
      await next.drain();
      expect(runs.map((run) => [run.text, run.attempt])).toEqual([
        ['long', 2],
        ['next', 1],
      ]);
    });
  });
}
