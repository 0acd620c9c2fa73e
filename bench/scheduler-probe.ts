/**
 * Who had the cores during a traced fixed-rate run (`BENCH_LATENCY_TRACE`): every 5 ms, each thread's time on
 * a core and time waiting in the run queue for one (Linux `/proc/<pid>/task/<tid>/schedstat`), for the server
 * under test, Redis, the fakes and the load generator. It runs in its own process at niceness 19, so its reads
 * do not delay the load generator and take a core only when one is free; a late sample only widens the window
 * it covers.
 *
 * Usage (by latency-trace.ts): node dist/bench-build/bench/scheduler-probe.js <name>=<pid> … (or under tsx);
 * it says `sampling` once it samples; the message `stop` makes it answer with its samples and exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { statFields } from './cpu-shares';

/** One thread the probe saw. */
export interface ProbedThread {
  /** The process's name as given (`server`, `redis`, …). */
  process: string;
  /** The process's id. */
  processId: number;
  /** Its thread id; the process's main thread has the process's id. */
  threadId: number;
  /** Its niceness when first seen. */
  niceness: number;
}

/** The probe's readings: per sample, per thread (by index into `threads`), cumulative nanoseconds. */
export interface SchedulerSamples {
  threads: ProbedThread[];
  /** `[epoch ms, [thread index, on a core ns, waiting for a core ns], …]` per sample. */
  samples: Array<[number, Array<[number, number, number]>]>;
}

const intervalMs = 5;

function readNumbers(path: string): number[] | undefined {
  try {
    return readFileSync(path, 'utf8').trim().split(' ').map(Number);
  } catch {
    return undefined;
  }
}

/** A thread's niceness, field 19 of its stat line (NaN when it cannot be read). */
function niceOf(processId: number, threadId: number): number {
  return Number(statFields(`/proc/${processId}/task/${threadId}/stat`)?.[16] ?? Number.NaN);
}

function probe(processes: Array<{ name: string; pid: number }>): void {
  const threads: ProbedThread[] = [];
  const indexOf = new Map<string, number>();
  const samples: SchedulerSamples['samples'] = [];
  const sample = () => {
    const readings: Array<[number, number, number]> = [];
    for (const { name, pid } of processes) {
      let threadIds: string[];
      try {
        threadIds = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const threadId of threadIds) {
        const key = `${pid}/${threadId}`;
        const numbers = readNumbers(`/proc/${pid}/task/${threadId}/schedstat`);
        if (!numbers) continue;
        let index = indexOf.get(key);
        if (index === undefined) {
          index = threads.length;
          indexOf.set(key, index);
          threads.push({
            process: name,
            processId: pid,
            threadId: Number(threadId),
            niceness: niceOf(pid, Number(threadId)),
          });
        }
        readings.push([index, numbers[0], numbers[1]]);
      }
    }
    samples.push([performance.timeOrigin + performance.now(), readings]);
  };
  const timer = setInterval(sample, intervalMs);
  sample();
  process.send?.('sampling');
  // The bench ended without asking (it failed): stop with it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: string) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    sample();
    process.send?.({ threads, samples } satisfies SchedulerSamples, () => process.exit(0));
  });
}

if (require.main === module) {
  try {
    setPriority(19);
  } catch {
    // Not allowed here: it samples at normal priority.
  }
  probe(
    process.argv.slice(2).map((pair) => {
      const [name, pid] = pair.split('=');
      return { name, pid: Number(pid) };
    }),
  );
}
