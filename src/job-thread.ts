import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from './config';
import type { Logger } from './core/logger';
import type { MetricsSnapshot } from './observability/metrics';

/** Messages from the job thread. */
export type JobThreadMessage =
  | { type: 'ready' }
  | { type: 'metrics'; id: number; snapshot: MetricsSnapshot }
  | { type: 'stopped' };

/** Messages to the job thread. */
export type JobThreadCommand = { type: 'metrics'; id: number } | { type: 'stop'; graceMs: number };

/** The job thread as the main thread sees it. */
export interface JobThread {
  /** Resolves once the thread takes jobs (rejects when it could not start). */
  ready: Promise<void>;
  /** Whether the thread is running now (it is started again after a crash). */
  running(): boolean;
  /** The thread's metrics, for `/metrics` (empty while it is down). */
  metrics(): Promise<MetricsSnapshot[]>;
  /** Let running jobs finish within the grace period, then end the thread. */
  stop(graceMs: number): Promise<void>;
}

const defaultRestartDelayMs = 1000;
const metricsTimeoutMs = 2000;

/** The entry file (next to this one unless given), and how Node runs it (TypeScript needs tsx there too). */
function threadEntry(entryFile?: string): { file: string; execArgv?: string[] } {
  const file = entryFile ?? join(__dirname, `job-thread-entry${extname(__filename)}`);
  const extension = extname(file);
  if (extension !== '.ts') return { file };
  return { file, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/**
 * Run jobs in a worker thread of this process: the main thread only acknowledges events and enqueues them,
 * so a burst of streaming summaries never delays an acknowledgement. The queue between the two is Redis
 * (BullMQ). A thread that dies is started again after a second; its jobs are taken over as stalled.
 */
export function startJobThread(
  config: Config,
  logger: Logger,
  options: {
    /** Another entry speaking the same messages (tests). */
    entryFile?: string;
    /** How long after a crash the thread is started again (default 1 s). */
    restartDelayMs?: number;
  } = {},
): JobThread {
  const entry = threadEntry(options.entryFile);
  const restartDelayMs = options.restartDelayMs ?? defaultRestartDelayMs;
  let worker: Worker | undefined;
  let stopping = false;
  let nextRequestId = 1;
  const pending = new Map<number, (snapshot: MetricsSnapshot) => void>();
  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let everReady = false;
  let stopped: (() => void) | undefined;

  const spawn = () => {
    const thread = new Worker(entry.file, {
      workerData: { config },
      ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    });
    worker = thread;
    thread.on('message', (message: JobThreadMessage) => {
      if (message.type === 'ready') {
        everReady = true;
        logger.info({ threadId: thread.threadId }, 'job thread ready');
        resolveReady();
      } else if (message.type === 'metrics') {
        pending.get(message.id)?.(message.snapshot);
        pending.delete(message.id);
      } else if (message.type === 'stopped') {
        stopped?.();
      }
    });
    thread.on('error', (error) =>
      logger.error({ err: error, threadId: thread.threadId }, 'job thread failed'),
    );
    thread.on('exit', (code) => {
      worker = undefined;
      for (const answer of pending.values()) answer([]);
      pending.clear();
      stopped?.();
      if (stopping) return;
      if (!everReady) {
        rejectReady(new Error(`the job thread exited with code ${code} before it was ready`));
        return;
      }
      logger.error({ code, restartInMs: restartDelayMs }, 'job thread exited; starting it again');
      setTimeout(() => {
        if (!stopping) spawn();
      }, restartDelayMs).unref();
    });
  };
  spawn();

  return {
    ready,
    running: () => worker !== undefined,
    async metrics() {
      const thread = worker;
      if (!thread) return [];
      const id = nextRequestId;
      nextRequestId += 1;
      const snapshot = await new Promise<MetricsSnapshot>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve([]);
        }, metricsTimeoutMs);
        pending.set(id, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
        thread.postMessage({ type: 'metrics', id } satisfies JobThreadCommand);
      });
      return snapshot.length > 0 ? [snapshot] : [];
    },
    async stop(graceMs) {
      stopping = true;
      const thread = worker;
      if (!thread) return;
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      thread.postMessage({ type: 'stop', graceMs } satisfies JobThreadCommand);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise((resolve) => {
          // The thread bounds its own stop by the grace period; this is the backstop.
          timer = setTimeout(resolve, graceMs + 5000);
        }),
      ]);
      clearTimeout(timer);
      await thread.terminate();
    },
  };
}
