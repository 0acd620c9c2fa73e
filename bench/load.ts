/**
 * A small HTTP load generator for the ack benchmarks: pre-built (already signed) requests, sent over
 * keep-alive connections either as fast as the server answers or at a fixed rate. Latency is measured from
 * when each request was due, so a slow server cannot hide its queueing (no coordinated omission).
 */
import { Agent, request } from 'node:http';

/** Milliseconds since the epoch, to a fraction of a millisecond; comparable across processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** One request to send. */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What a load run measured. */
export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  /** Requests answered per second. */
  throughput: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** The value below which `fraction` of the values fall (NaN when there are none). */
export function percentileOf(values: number[], fraction: number): number {
  return percentile(
    [...values].sort((left, right) => left - right),
    fraction,
  );
}

function send(agent: Agent, baseUrl: string, prepared: PreparedRequest): Promise<number> {
  return new Promise((resolve) => {
    const call = request(
      `${baseUrl}${prepared.path}`,
      {
        method: 'POST',
        agent,
        headers: { ...prepared.headers, 'content-length': String(Buffer.byteLength(prepared.body)) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    call.on('error', () => resolve(0));
    // A request the server never answers counts as failed instead of stalling the run.
    call.setTimeout(10_000, () => call.destroy(new Error('timed out')));
    call.end(prepared.body);
  });
}

/** A run's figures from each request's latency and status, and its length. */
export function summarizeRun(latencies: number[], statuses: number[], elapsedMs: number): LoadResult {
  const sorted = [...latencies].sort((left, right) => left - right);
  const ok = statuses.filter((status) => status >= 200 && status < 300).length;
  return {
    sent: statuses.length,
    ok,
    failed: statuses.length - ok,
    throughput: (statuses.length / elapsedMs) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Send every request as fast as the server answers, `connections` at a time. */
export async function saturate(
  baseUrl: string,
  requests: PreparedRequest[],
  connections: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < requests.length) {
      const prepared = requests[next];
      next += 1;
      const sentAt = performance.now();
      statuses.push(await send(agent, baseUrl, prepared));
      latencies.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const elapsed = performance.now() - started;
  agent.destroy();
  return summarizeRun(latencies, statuses, elapsed);
}

/** Open `connections` keep-alive connections in the agent's pool before the clock starts (`GET /healthz`). */
async function openConnections(agent: Agent, baseUrl: string, connections: number): Promise<void> {
  await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<void>((done) => {
          const call = request(`${baseUrl}/healthz`, { agent }, (response) => {
            response.resume();
            response.on('end', () => done());
          });
          call.on('error', () => done());
          call.end();
        }),
    ),
  );
}

/** A fixed-rate run's figures and each request's latency in order of answer. */
export interface FixedRateResult extends LoadResult {
  /** `[milliseconds from the start until the request was due, latency in milliseconds]`, in answer order. */
  timeline: Array<[number, number]>;
  /** When the run started, in milliseconds since the epoch (`performance.timeOrigin` + `performance.now()`). */
  startedAt: number;
}

/**
 * Send the requests at a fixed rate (requests per second), whatever the server's speed, over a fixed pool of
 * keep-alive connections opened before the clock starts (as autocannon and wrk2 do). A request due while every
 * connection is busy waits for one, and that wait counts: latency runs from when the request was due.
 */
export async function fixedRate(
  baseUrl: string,
  requests: PreparedRequest[],
  ratePerSecond: number,
  connections: number,
): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  await openConnections(agent, baseUrl, connections);
  const statuses: number[] = [];
  const timeline: Array<[number, number]> = [];
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let index = 0; index < requests.length; index += 1) {
    const dueAt = started + (index * 1000) / ratePerSecond;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // A request sent up to a millisecond early (timer granularity) counts from when it was sent.
    const from = Math.min(dueAt, performance.now());
    inFlight.push(
      send(agent, baseUrl, requests[index]).then((status) => {
        statuses.push(status);
        timeline.push([from - started, performance.now() - from]);
      }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = performance.now() - started;
  agent.destroy();
  return {
    ...summarizeRun(
      timeline.map(([, latency]) => latency),
      statuses,
      elapsed,
    ),
    timeline,
    startedAt: performance.timeOrigin + started,
  };
}
