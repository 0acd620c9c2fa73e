// Proves: /metrics never reports a made-up queue depth: while the queue cannot be read (Redis away) the gauge is
// NaN, which no "depth > N" alert or dashboard mistakes for an empty queue; once it answers, the real depth.
import { createMetrics } from '../../src/observability/metrics';

test('the queue depth is NaN while the queue cannot be read, the real depth once it can', async () => {
  let reachable = false;
  const metrics = createMetrics(async () => {
    if (!reachable) throw new Error('Redis is not reachable');
    return 7;
  });
  // prom-client writes `Nan`; Prometheus reads NaN in any case (Go's ParseFloat).
  expect(await metrics.registry.metrics()).toMatch(/^deskmate_queue_depth nan$/im);
  reachable = true;
  expect(await metrics.registry.metrics()).toMatch(/^deskmate_queue_depth 7$/m);
});
