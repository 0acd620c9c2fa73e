/**
 * Where the two cores go during a benchmark window (Linux `/proc`): CPU seconds of whole processes, or of one
 * thread of a process, read before and after. Elsewhere every reading is NaN and the shares print as "—".
 */
import { readFileSync } from 'node:fs';

const ticksPerSecond = 100;

/**
 * The fields of a `/proc/.../stat` file after the command name (which may hold spaces), so the line's field
 * N is index N − 3; undefined when it cannot be read.
 */
export function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15) of a `/proc/.../stat` file, in seconds (NaN when it cannot be read). */
function statSeconds(path: string): number {
  const fields = statFields(path);
  return fields ? (Number(fields[11]) + Number(fields[12])) / ticksPerSecond : Number.NaN;
}

/** What to account for: a name and the process (and, optionally, only its main thread). */
export interface CpuSubject {
  name: string;
  pid: number | undefined;
  /** Only the process's main thread (`main`), or everything but it (`others`). */
  threads?: 'main' | 'others';
}

function cpuSeconds(subject: CpuSubject): number {
  if (!subject.pid) return Number.NaN;
  const whole = statSeconds(`/proc/${subject.pid}/stat`);
  if (!subject.threads) return whole;
  const main = statSeconds(`/proc/${subject.pid}/task/${subject.pid}/stat`);
  return subject.threads === 'main' ? main : whole - main;
}

/** Start accounting; `stop()` gives each subject's share of one core over the window, in percent. */
export function startCpuShares(subjects: CpuSubject[]): { stop(): Record<string, number> } {
  const started = performance.now();
  const before = subjects.map(cpuSeconds);
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const shares: Record<string, number> = {};
      subjects.forEach((subject, index) => {
        shares[subject.name] = ((cpuSeconds(subject) - before[index]) / seconds) * 100;
      });
      return shares;
    },
  };
}

/** The processes of an ack run. */
export interface AckRunProcesses {
  server: number | undefined;
  redis: number | undefined;
  fakes: number | undefined;
  loadGenerator: number | undefined;
}

/** Who uses the cores during an ack run: the server's acknowledging thread, the rest of it, and the others. */
export function ackRunSubjects(processes: AckRunProcesses): CpuSubject[] {
  return [
    { name: 'acknowledging thread', pid: processes.server, threads: 'main' },
    {
      name: 'rest of the server (job thread, V8 and libuv helpers)',
      pid: processes.server,
      threads: 'others',
    },
    { name: 'Redis', pid: processes.redis },
    { name: 'fakes and fake model', pid: processes.fakes },
    { name: 'load generator', pid: processes.loadGenerator },
  ];
}
