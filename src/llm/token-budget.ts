/** A run of consecutive items that fits a token budget (or one item that alone exceeds it). */
interface TokenChunk<T> {
  /** The items, in their original order. */
  items: T[];
  /** The measured size of the items together. */
  tokens: number;
  /** True for a single item larger than the budget: the caller must cut it or let it overflow knowingly. */
  oversized: boolean;
}

/**
 * Split items into consecutive chunks whose measured size stays within the budget, keeping order.
 * An item larger than the budget goes in a chunk of its own, flagged `oversized`.
 * `measure` is usually `estimateTokens` (src/llm/token-estimator) over what will be sent for the item.
 */
function chunkByTokenBudget<T>(
  items: readonly T[],
  budget: number,
  measure: (item: T) => number,
): TokenChunk<T>[] {
  if (!(budget > 0)) throw new RangeError(`token budget must be positive, got ${budget}`);
  const chunks: TokenChunk<T>[] = [];
  let current: TokenChunk<T> | undefined;
  for (const item of items) {
    const size = measure(item);
    if (size > budget) {
      if (current) chunks.push(current);
      current = undefined;
      chunks.push({ items: [item], tokens: size, oversized: true });
      continue;
    }
    if (current && current.tokens + size > budget) {
      chunks.push(current);
      current = undefined;
    }
    current ??= { items: [], tokens: 0, oversized: false };
    current.items.push(item);
    current.tokens += size;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** The items of `chunkByTokenBudget`, without the sizes. */
export function chunkUnderBudget<T>(
  items: readonly T[],
  budget: number,
  measure: (item: T) => number,
): T[][] {
  return chunkByTokenBudget(items, budget, measure).map((chunk) => chunk.items);
}
