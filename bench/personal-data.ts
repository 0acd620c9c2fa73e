/**
 * Personal data masking on the project's corpus (test/fixtures/personal-data): how many planted items are
 * found, how many findings on messages without personal data (false positives), and the cost per message.
 *
 *   npm run bench -- personal-data (or: npx tsx bench/personal-data.ts)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPersonalData } from '../src/privacy/personal-data';

const corpus = join(__dirname, '..', 'test', 'fixtures', 'personal-data');
const planted = JSON.parse(readFileSync(join(corpus, 'planted.json'), 'utf8')) as Array<{
  text: string;
  items: Array<[string, string]>;
}>;
const clean = JSON.parse(readFileSync(join(corpus, 'clean.json'), 'utf8')) as string[];

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

/** What the personal-data benchmark measured. */
export interface PersonalDataFigures {
  plantedMessages: number;
  plantedItems: number;
  found: number;
  cleanMessages: number;
  falsePositives: string[];
  /** µs per message over the whole corpus: each of 7 runs of 200 passes. */
  microsPerMessage: number[];
}

/** Find the planted items, count the false positives, and time the search over the corpus. */
export function personalDataFigures(): PersonalDataFigures {
  const items = planted.flatMap((entry) => entry.items.map((item) => ({ text: entry.text, item })));
  const found = items.filter(({ text, item }) =>
    findPersonalData(text).some((finding) => finding.kind === item[0] && finding.value === item[1]),
  );
  const falsePositives = clean.flatMap((text) =>
    findPersonalData(text).map((finding) => `${finding.kind} "${finding.value}"`),
  );
  // Microseconds per message over the whole corpus, 7 runs of 200 passes.
  const messages = [...planted.map((entry) => entry.text), ...clean];
  const runs: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 200; pass += 1) for (const text of messages) findPersonalData(text);
    runs.push(Number(process.hrtime.bigint() - started) / 1000 / (200 * messages.length));
  }
  return {
    plantedMessages: planted.length,
    plantedItems: items.length,
    found: found.length,
    cleanMessages: clean.length,
    falsePositives,
    microsPerMessage: runs,
  };
}

if (require.main === module) {
  const figures = personalDataFigures();
  const runs = figures.microsPerMessage;
  process.stdout.write(
    `${[
      `planted items found: ${figures.found} of ${figures.plantedItems} (${figures.plantedMessages} messages, English and Chinese)`,
      `false positives: ${figures.falsePositives.length} in ${figures.cleanMessages} messages without personal data${figures.falsePositives.length ? `: ${figures.falsePositives.join(', ')}` : ''}`,
      `cost: ${median(runs).toFixed(1)} µs per message (median of 7 runs, min ${Math.min(...runs).toFixed(1)}, max ${Math.max(...runs).toFixed(1)})`,
    ].join('\n')}\n`,
  );
}
