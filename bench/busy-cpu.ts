/**
 * What the job side of one `all` process costs while 200 summaries stream (`npx tsx bench/busy-cpu.ts`):
 * the server's CPU time over a window of the streaming, per answer-second and per model token, with no acks
 * sent meanwhile (BENCH_BUSY_ACKS=1 sends the ack benchmark's 1,000 events/s during a second window).
 * With BENCH_CPU_PROFILE=<dir> the server writes a V8 CPU profile; the windows are printed on the monotonic
 * clock the profile uses, for `bench/profile-breakdown.ts`.
 */

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startRedisServer } from '../test/helpers/redis-server';
import { slackRequests } from './ack-requests';
import { cpuSeconds } from './cpu-shares';
import { fixedRate, percentileOf, saturate } from './load';
import { buildForBenchmarks, deskmateSettings, startDeskmateServer, startFakePlatforms } from './processes';

const windowSeconds = Number(process.env.BENCH_BUSY_WINDOW_SECONDS ?? 15);
const sleep = (milliseconds: number) => new Promise<void>((done) => setTimeout(done, milliseconds));
/** Microseconds on the monotonic clock (the clock of V8's CPU profiles). */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** CPU seconds of each thread of a process, by thread name (`/proc/<pid>/task`). */
function threadSeconds(pid: number | undefined): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim().replace(/\d+$/, '#');
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const key = task === String(pid) ? 'main' : name;
      seconds.set(`${key} user`, (seconds.get(`${key} user`) ?? 0) + Number(fields[11]) / 100);
      seconds.set(`${key} system`, (seconds.get(`${key} system`) ?? 0) + Number(fields[12]) / 100);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return seconds;
}

async function main(): Promise<void> {
  buildForBenchmarks();
  const redis = await startRedisServer();
  const fakes = await startFakePlatforms();
  const server = await startDeskmateServer({
    ...deskmateSettings('slack', fakes),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `busy-${Date.now()}:`,
    DESKMATE_ROLE: 'all',
    WORKER_CONCURRENCY: '200',
  });
  try {
    const path = '/slack/events';
    // Warm up the ack path (JIT, connections) as the ack benchmark does; the help jobs are answered first.
    await saturate(server.baseUrl, slackRequests(fakes, path, 500), 8);
    await sleep(3000);
    await saturate(server.baseUrl, slackRequests(fakes, path, 200, fakes.summaryRoots), 8);
    const deadline = Date.now() + 180_000;
    while ((await fakes.model()).answers < 200) {
      if (Date.now() > deadline) throw new Error('the summaries did not all stream');
      await sleep(50);
    }
    await sleep(2000);
    const measure = async (label: string, during: () => Promise<void>) => {
      const modelBefore = await fakes.model();
      const cpuBefore = cpuSeconds(server.pid);
      const threadsBefore = threadSeconds(server.pid);
      const startedMicros = monotonicMicros();
      const started = performance.now();
      await during();
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      const endedMicros = monotonicMicros();
      const threads = [...threadSeconds(server.pid)]
        .map(([name, after]) => [name, ((after - (threadsBefore.get(name) ?? 0)) / seconds) * 100] as const)
        .filter(([, share]) => share >= 0.5)
        .map(([name, share]) => `${name} ${share.toFixed(1)}%`);
      const modelAfter = await fakes.model();
      const answers = Math.min(modelBefore.answers, modelAfter.answers);
      const tokens = modelAfter.tokens - modelBefore.tokens;
      console.log(
        `${label}: ${seconds.toFixed(1)} s, server ${((cpu / seconds) * 100).toFixed(1)}% of a core, ` +
          `${((cpu * 1000) / (answers * seconds)).toFixed(3)} ms CPU per answer-second, ` +
          `${((cpu * 1e6) / tokens).toFixed(1)} µs per token (${answers} answers, ${(tokens / seconds).toFixed(0)} tokens/s), ` +
          `window ${startedMicros} ${endedMicros}\n  threads: ${threads.join(', ')}`,
      );
    };
    // BENCH_PERF=<file> records the server with Linux `perf` over each window (BENCH_PERF_MAP=1 names its
    // JavaScript frames): <file> without acks, <file>.acks with them.
    const recorded = async (output: string | undefined, during: () => Promise<void>) => {
      const perf = output
        ? spawn('perf', ['record', '-F', '997', '-g', '-o', output, '-p', String(server.pid)], {
            stdio: 'ignore',
          })
        : undefined;
      await during();
      if (perf) {
        const exited = new Promise((done) => perf.once('exit', done));
        perf.kill('SIGINT');
        await exited;
      }
    };
    const output = process.env.BENCH_PERF;
    await measure('streaming, no acks', () => recorded(output, () => sleep(windowSeconds * 1000)));
    if (process.env.BENCH_BUSY_ACKS) {
      await measure('streaming, 1,000 acks/s', () =>
        recorded(output && `${output}.acks`, async () => {
          const result = await fixedRate(server.baseUrl, slackRequests(fakes, path, 3000), 1000, 64);
          const latencies = result.timeline.map(([, latency]) => latency);
          console.log(
            `acks: p50 ${percentileOf(latencies, 0.5).toFixed(2)} ms, p99 ${percentileOf(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
          );
        }),
      );
    }
  } finally {
    await server.stop();
    await fakes.stop();
    await redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
