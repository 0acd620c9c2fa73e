const digits: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/**
 * A small number written in Arabic or Chinese numerals ("3", "两", "十五", "二十", "一个半" → 1.5, "半" →
 * 0.5); NaN when it is not one.
 */
export function readNumber(text: string): number {
  const trimmed = text.replace(/个/g, '').trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === '半') return 0.5;
  if (trimmed.endsWith('半')) return readNumber(trimmed.slice(0, -1)) + 0.5;
  const tens = trimmed.indexOf('十');
  if (tens >= 0) {
    const high = tens === 0 ? 1 : digits[trimmed.slice(0, tens)];
    const rest = trimmed.slice(tens + 1);
    const low = rest === '' ? 0 : digits[rest];
    return high === undefined || low === undefined ? Number.NaN : high * 10 + low;
  }
  return digits[trimmed] ?? Number.NaN;
}
