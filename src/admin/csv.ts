import type { UsageRow } from './usage-data';

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell that a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'` so it stays text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Usage rows as CSV: one line per day, breakdown and key, with a header. */
export function usageCsv(rows: readonly UsageRow[]): string {
  const header = [
    'day',
    'breakdown',
    'key',
    'requests',
    'model_calls',
    'input_tokens',
    'output_tokens',
    'estimated_cost_usd',
    'price_missing',
  ];
  const lines = rows.map((row) =>
    [
      row.day,
      row.dimension,
      row.key,
      row.requests,
      row.calls ?? '',
      row.inputTokens,
      row.outputTokens,
      Number(row.cost.toFixed(6)),
      row.unpriced ? 'yes' : '',
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
