/** Wait for a promise at most `limit` milliseconds, ignoring its failure (bounded shutdown steps). */
export async function withinMilliseconds(
  promise: Promise<unknown> | undefined,
  limit: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    (promise ?? Promise.resolve()).catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, limit);
    }),
  ]);
  clearTimeout(timer);
}
