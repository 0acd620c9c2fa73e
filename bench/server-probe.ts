/**
 * What a server under test measures about itself, answered over IPC to the benchmark: its event-loop delay,
 * the time each request spends inside it, its CPU time and (with BENCH_LATENCY_TRACE) each request and
 * garbage collection on the epoch clock. Deskmate runs unchanged with this preloaded
 * (`node --require dist/bench-build/bench/server-probe.js dist/bench-build/src/main.js`); the bare servers
 * import it. It does nothing in a process started without an IPC channel.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { epochNow } from './load';

/** What the server measured since the last reset. */
export interface ServerStats {
  type: 'stats';
  loopDelayP99Ms: number;
  /** p99 of request headers read → response handed to the socket (ms). */
  insideServerP99Ms: number;
  /** With BENCH_LATENCY_TRACE: `[start, ms inside the server]` per request, on the epoch clock. */
  insideServerTrace?: Array<[number, number]>;
  /** With BENCH_LATENCY_TRACE: `[start, ms]` per garbage collection of the main thread. */
  collectionTrace?: Array<[number, number]>;
}

function startProbe(): void {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // Time inside the server: from the request's headers being read to the response handed to the socket.
  // What the load generator sees on top waited in socket buffers for the process to get a core.
  const insideServer = createHistogram();
  const requestStarted = new WeakMap<object, bigint>();
  const tracing = Boolean(process.env.BENCH_LATENCY_TRACE);
  let insideServerTrace: Array<[number, number]> = [];
  let collectionTrace: Array<[number, number]> = [];
  subscribe('http.server.request.start', (message) => {
    requestStarted.set((message as { response: object }).response, process.hrtime.bigint());
  });
  subscribe('http.server.response.finish', (message) => {
    const started = requestStarted.get((message as { response: object }).response);
    if (started === undefined) return;
    const nanoseconds = Number(process.hrtime.bigint() - started) || 1;
    insideServer.record(nanoseconds);
    if (tracing) insideServerTrace.push([epochNow() - nanoseconds / 1e6, nanoseconds / 1e6]);
  });
  if (tracing) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        collectionTrace.push([performance.timeOrigin + entry.startTime, entry.duration]);
      }
    }).observe({ entryTypes: ['gc'] });
  }
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'reset') {
      loopDelay.reset();
      insideServer.reset();
      insideServerTrace = [];
      collectionTrace = [];
      process.send?.({ type: 'reset-done' });
    } else if (message.type === 'pause') {
      // Between the segments of a run, while another server is measured, idle turns are not counted.
      loopDelay.disable();
      process.send?.({ type: 'paused' });
    } else if (message.type === 'resume') {
      loopDelay.enable();
      process.send?.({ type: 'resumed' });
    } else if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ type: 'cpu', cpuMicros: usage.user + usage.system });
    } else if (message.type === 'stats') {
      const stats: ServerStats = {
        type: 'stats',
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        insideServerP99Ms: insideServer.percentile(99) / 1e6,
        ...(tracing ? { insideServerTrace, collectionTrace } : {}),
      };
      process.send?.(stats);
    }
  });
}

if (process.send) startProbe();
