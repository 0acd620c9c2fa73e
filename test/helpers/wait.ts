/**
 * Poll until a condition holds (connections, detached calls and workers happen in their own time). The poll
 * timer is unref'ed: a wait left behind by a test that timed out does not keep the jest worker alive.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10).unref());
  }
}
