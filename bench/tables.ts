/** How the benchmarks print their figures: median (min–max) of the runs, in Markdown tables. */

/** A figure over the runs. */
export type Stat = { median: number; min: number; max: number };

/** Median, min and max of numbers. */
export function summarize(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `median (min–max)` with `digits` decimals, or — when there is no figure. */
export function show(stat: Stat, digits = 0, unit = ''): string {
  if (Number.isNaN(stat.median)) return '—';
  return `${stat.median.toFixed(digits)}${unit} (${stat.min.toFixed(digits)}–${stat.max.toFixed(digits)})`;
}

/** A Markdown table. */
export function table(header: string[], lines: string[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const line of lines) console.log(`| ${line.join(' | ')} |`);
}
