/**
 * Where the two cores go during a benchmark window (Linux `/proc`): each process's CPU time, and the whole
 * machine's, read before and after. Elsewhere every reading is NaN and the shares print as "—".
 */
import { readFileSync } from 'node:fs';

const ticksPerSecond = 100;

/** utime + stime (fields 14 and 15 of `/proc/<pid>/stat`), in seconds (NaN when it cannot be read). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces): field N is index N − 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds the whole machine spent busy (not idle or waiting for I/O), all cores (`/proc/stat`). */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq] = fields;
    return (user + nice + system + irq + softirq) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** The share of the machine the benchmark's processes did not use: other people's work on a shared machine. */
export const othersName = 'others on the machine';

/**
 * Start accounting for processes by name; `stop()` gives each one's share of one core over the window (%),
 * and what the rest of the machine used meanwhile (`others on the machine`).
 */
export function startCpuShares(processes: Record<string, number | undefined>): {
  stop(): Record<string, number>;
} {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const machineBefore = machineBusySeconds();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const shares: Record<string, number> = Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => [
          name,
          ((cpuSeconds(pid) - before[name]) / seconds) * 100,
        ]),
      );
      const ours = Object.values(shares).reduce((total, share) => total + share, 0);
      shares[othersName] = Math.max(0, ((machineBusySeconds() - machineBefore) / seconds) * 100 - ours);
      return shares;
    },
  };
}
