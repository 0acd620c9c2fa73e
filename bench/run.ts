/**
 * Benchmarks entry point (`npm run bench`). Each benchmark runs its comparison side by side in one run and
 * prints medians with min–max. Results are written to BENCHMARKS.md by hand from this output.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** Median, min and max of numbers. */
export function summarize(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Start the compiled-free entry (tsx) and measure time to /readyz and idle RSS. */
async function footprint(): Promise<{ readyMs: number; rssMb: number }> {
  const port = 39000 + Math.floor(Math.random() * 1000);
  const started = performance.now();
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DESKMATE_CONSOLE: 'off',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  let readyMs = Number.NaN;
  for (let tries = 0; tries < 400; tries += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) {
      readyMs = performance.now() - started;
      break;
    }
    await new Promise((done) => setTimeout(done, 10));
  }
  await new Promise((done) => setTimeout(done, 1000));
  const status = await import('node:fs/promises').then((fs) =>
    fs.readFile(`/proc/${child.pid}/status`, 'utf8'),
  );
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  return { readyMs, rssMb: rssKb / 1024 };
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const results = [];
  for (let run = 0; run < runs; run += 1) results.push(await footprint());
  const ready = summarize(results.map((result) => result.readyMs));
  const rss = summarize(results.map((result) => result.rssMb));
  console.log(
    `footprint (${runs} runs, tsx entry): start→ready median ${ready.median.toFixed(0)} ms (${ready.min.toFixed(0)}–${ready.max.toFixed(0)}), idle RSS median ${rss.median.toFixed(1)} MB (${rss.min.toFixed(1)}–${rss.max.toFixed(1)})`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
