import type { ConversationRef } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { JobHandler, JobQueue } from '../../src/core/job-queue';
import { inboundMessage } from '../helpers/messages';
import { waitUntil } from '../helpers/wait';

/** What a contract run needs from a queue implementation. */
export interface QueueFactory<Job = InboundMessage> {
  /** A queue on the shared backing (the same `space` means the same jobs, as two processes would see). */
  create(space: string, options?: { attempts?: number }): JobQueue<Job>;
  /** Whether queued jobs outlive the queue object (a restart). */
  durable: boolean;
  /** Test jobs of the queue's kind (chat messages when left out). */
  jobs?: TestJobs<Job>;
}

/** How the suite makes jobs of a queue's kind. */
export interface TestJobs<Job> {
  /** A new job named `text` whose ordering key is `place` (a copy of it is the same job). */
  make(text: string, place: string): Job;
  /** The name a job was made with. */
  textOf(job: Job): string;
  /** Another delivery of the job under a new id that must still dedupe (messages only). */
  redelivered?(text: string, place: string): [Job, Job];
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

/** Chat messages, the queue's first kind. */
const messageJobs: TestJobs<InboundMessage> = {
  make: (text, channel) => message(text, place(channel)),
  textOf: (job) => job.text,
  redelivered(text, channel) {
    const mention = message(text, place(channel), { eventId: 'Ev1', messageId: 'C1:1.0' });
    return [mention, { ...mention, eventId: 'Ev2' }];
  },
};

/** The behaviour every job queue must have; run against the memory and the Redis queue, for each kind of job. */
export function describeJobQueueContract<Job = InboundMessage>(
  name: string,
  factory: QueueFactory<Job>,
): void {
  const jobs = factory.jobs ?? (messageJobs as unknown as TestJobs<Job>);
  const textOf = (job: Job) => jobs.textOf(job);
  /** A handler that records when each job ran, taking `ms` per job, failing when told to. */
  function recorder(ms = 30, failFirst = new Set<string>()) {
    const runs: Array<{ text: string; start: number; end: number; attempt: number; last?: boolean }> = [];
    const handler: JobHandler<Job> = async (job, attempt) => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (failFirst.delete(textOf(job))) throw new Error(`first run of ${textOf(job)} fails`);
      runs.push({
        text: textOf(job),
        start,
        end: Date.now(),
        attempt: attempt.attemptsMade,
        last: attempt.lastAttempt,
      });
    };
    return { runs, handler };
  }

  describe(`${name} job queue contract`, () => {
    let counter = 0;
    const queues: JobQueue<Job>[] = [];
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
      const first = jobs.make('hello', 'C1');
      expect(await queue.enqueue(first)).toBe('accepted');
      expect(await queue.enqueue({ ...first })).toBe('duplicate');
      await queue.drain();
      expect(runs.map((run) => run.text)).toEqual(['hello']);
    });

    const { redelivered } = jobs;
    if (redelivered) {
      test('a new event id carrying a message already seen is a duplicate (app_mention and message of one post)', async () => {
        const queue = fresh(newSpace());
        const { runs, handler } = recorder(1);
        await queue.start(handler);
        const [mention, again] = redelivered('hi', 'C1');
        expect(await queue.enqueue(mention)).toBe('accepted');
        expect(await queue.enqueue(again)).toBe('duplicate');
        await queue.drain();
        expect(runs).toHaveLength(1);
      });
    }

    test('one conversation runs one job at a time, in arrival order; others run alongside', async () => {
      const queue = fresh(newSpace());
      // Long enough that b1, enqueued after A's three jobs, starts while a1 still runs on a busy machine (with
      // 40 ms it started 12 ms after a1 ended at load average 10).
      const { runs, handler } = recorder(250);
      await queue.start(handler);
      for (const text of ['a1', 'a2', 'a3']) await queue.enqueue(jobs.make(text, 'CA'));
      await queue.enqueue(jobs.make('b1', 'CB'));
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
      await queue.enqueue(jobs.make('first', 'CF'));
      await queue.enqueue(jobs.make('second', 'CF'));
      await queue.drain();
      expect(runs.map((run) => [run.text, run.attempt, run.last])).toEqual([
        ['first', 2, false],
        ['second', 1, false],
      ]);
    });

    test('a job that always fails stops after its attempts, and the conversation goes on', async () => {
      const queue = fresh(newSpace(), { attempts: 2 });
      const tries: Array<boolean | undefined> = [];
      const done: string[] = [];
      await queue.start(async (job, attempt) => {
        if (textOf(job) === 'broken') {
          tries.push(attempt.lastAttempt);
          throw new Error('always');
        }
        done.push(textOf(job));
      });
      await queue.enqueue(jobs.make('broken', 'CX'));
      await queue.enqueue(jobs.make('after', 'CX'));
      await queue.drain();
      // The second run is known to be the last, so a job can record its failure before the queue gives up.
      expect(tries).toEqual([false, true]);
      expect(done).toEqual(['after']);
      expect(await queue.depth()).toBe(0);
    });

    if (!factory.durable) return;

    test('messages accepted by a process that runs no jobs run once where jobs run (web and jobs roles)', async () => {
      const space = newSpace();
      const web = fresh(space);
      for (const text of ['x1', 'x2', 'y1']) {
        await web.enqueue(jobs.make(text, text.startsWith('x') ? 'CX' : 'CY'));
      }
      expect(await web.depth()).toBe(3);
      const worker = fresh(space);
      const { runs, handler } = recorder(1);
      await worker.start(handler);
      await worker.drain();
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
      for (const text of texts) await first.enqueue(jobs.make(text, 'CO'));
      for (const text of ['p1', 'p2']) await second.enqueue(jobs.make(text, 'CP'));
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
      await stopping.enqueue(jobs.make('long', 'CL'));
      await stopping.enqueue(jobs.make('next', 'CL'));
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
