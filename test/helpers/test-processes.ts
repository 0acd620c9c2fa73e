import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The processes the tests start (redis-server, Deskmate) are recorded by PID in the file named by
 * DESKMATE_TEST_PID_FILE, one `<pid> <start time>` a line, so whatever a crashed test leaves behind can be
 * stopped by PID (by the global teardown, or by .ci/run) and nothing else is ever killed by name. The start
 * time (field 22 of /proc/<pid>/stat) tells a recorded process from a later one that reused its PID.
 */
export const testPidFileVariable = 'DESKMATE_TEST_PID_FILE';

/** The start time of a process in clock ticks since boot (Linux), or undefined when it is gone or unknown. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .at(22 - 3);
  } catch {
    return undefined;
  }
}

/** Record a process the tests started (no-op without DESKMATE_TEST_PID_FILE). */
export function recordTestProcess(pid: number | undefined): void {
  const file = process.env[testPidFileVariable];
  if (!file || !pid) return;
  appendFileSync(file, `${pid} ${startTimeOf(pid) ?? '-'}\n`);
}

/** Kill (SIGKILL) every recorded process that is still the one recorded; returns their PIDs. */
export function stopRecordedProcesses(file: string): number[] {
  if (!existsSync(file)) return [];
  const stopped: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pidText, recordedStart] = line.trim().split(' ');
    const pid = Number(pidText);
    if (!pid || !recordedStart || recordedStart === '-' || startTimeOf(pid) !== recordedStart) continue;
    try {
      process.kill(pid, 'SIGKILL');
      stopped.push(pid);
    } catch {
      // Gone in the meantime.
    }
  }
  return stopped;
}
