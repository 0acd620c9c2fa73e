/** Split items into consecutive chunks whose measured size stays under the budget (an oversized item goes alone). */
export function chunkUnderBudget<T>(
  items: readonly T[],
  budget: number,
  measure: (item: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = measure(item);
    if (current.length > 0 && size + itemSize > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
