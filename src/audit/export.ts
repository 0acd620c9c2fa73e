/**
 * Print the audit trail as JSON lines: `npm run audit -- --since 2026-12-01 [--until 2026-12-05]` (UTC
 * dates; `--since` defaults to seven days ago, `--until` to today), optionally only the records of
 * `--platform`, `--workspace`, `--requester`, `--skill` or `--outcome` (exact values). Reads the Redis the
 * deployment uses (REDIS_URL and REDIS_KEY_PREFIX from the environment or .env). The web console's Audit page
 * downloads the same lines through `auditJsonLines` and `matchesAuditFilter`.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { parseConfig, readEnvironment } from '../config';
import { createRedisStateStore } from '../state/redis-state-store';
import { type AuditLog, type AuditRecord, auditDays, createAuditLog } from './audit-log';

/** The fields the audit trail can be narrowed by (exact values; an absent field matches every record). */
export const auditFilterFields = ['platform', 'workspace', 'requester', 'skill', 'outcome'] as const;

/** Which records to keep: each field given must equal the record's. */
export type AuditFilter = Partial<Record<(typeof auditFilterFields)[number], string>>;

/** Whether a record matches every field of the filter. */
export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  return auditFilterFields.every((field) => {
    const wanted = filter[field];
    return wanted === undefined || wanted === '' || record[field] === wanted;
  });
}

/** Records as JSON lines, one record a line, in the order given: the export's one format. */
export function auditJsonLines(records: readonly AuditRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/**
 * Write the records of the UTC days from `since` to `until` that match a filter as JSON lines, oldest first,
 * a day at a time (waiting for each write): a long range never sits in memory whole. `matches` reads the filter
 * (exact values unless the caller, as the console does, reads it otherwise).
 */
export async function writeAuditLines(
  audit: AuditLog,
  since: Date,
  until: Date,
  filter: AuditFilter,
  write: (lines: string) => Promise<void>,
  matches: (record: AuditRecord, filter: AuditFilter) => boolean = matchesAuditFilter,
): Promise<void> {
  for (const day of auditDays(since, until)) {
    const records = (await audit.readDay(day)).filter((record) => matches(record, filter));
    if (records.length > 0) await write(auditJsonLines(records));
  }
}

/** A `yyyy-mm-dd` argument as a UTC date, or a message saying what to write instead. */
function dateArgument(name: string, value: string | undefined, fallback: Date): Date | string {
  if (value === undefined) return fallback;
  const date = new Date(`${value}T00:00:00Z`);
  // A day the month does not have (2026-02-30) is refused, not rolled over into the next month.
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    !date.toISOString().startsWith(value)
  ) {
    return `--${name} ${value} is not a date. Fix: write it as yyyy-mm-dd, e.g. --${name} 2026-12-01.`;
  }
  return date;
}

/** What `--help` and a wrong option print. */
export const auditUsage = `Usage: npm run audit -- [--since yyyy-mm-dd] [--until yyyy-mm-dd] [--platform P] [--workspace W] [--requester R] [--skill S] [--outcome O]
Prints the audit records of those UTC days (default: the last 7) as JSON lines; each filter keeps the records with exactly that value.
`;

/** Run the export; resolves with the process exit code. */
export async function exportAudit(argv: string[], output: NodeJS.WritableStream): Promise<number> {
  // Strict: an option it does not know (`--user`) is refused, never ignored into an export of every record.
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean' },
        since: { type: 'string' },
        until: { type: 'string' },
        ...Object.fromEntries(auditFilterFields.map((field) => [field, { type: 'string' as const }])),
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${auditUsage}`);
    return 2;
  }
  if (values.help) {
    output.write(auditUsage);
    return 0;
  }
  const option = (name: string) => values[name] as string | undefined;
  const today = new Date();
  const since = dateArgument('since', option('since'), new Date(today.getTime() - 7 * 24 * 60 * 60 * 1000));
  const until = dateArgument('until', option('until'), today);
  const problems = [since, until].filter((value): value is string => typeof value === 'string');
  if (since instanceof Date && until instanceof Date && since.getTime() > until.getTime() + 86_399_999) {
    problems.push(`--since ${option('since')} is after --until: no day is in that range. Fix: swap them.`);
  }
  const parsed = parseConfig(readEnvironment());
  if (!parsed.ok)
    problems.push(...parsed.problems.map((problem) => `${problem.variable}: ${problem.message}`));
  else if (!parsed.config.redisUrl) {
    problems.push(
      'REDIS_URL is not set: the audit trail is kept in Redis. Fix: set REDIS_URL to the Redis Deskmate uses.',
    );
  }
  if (problems.length > 0 || !parsed.ok || !parsed.config.redisUrl) {
    process.stderr.write(`${problems.join('\n')}\n`);
    return 2;
  }
  const store = createRedisStateStore({ url: parsed.config.redisUrl, prefix: parsed.config.redisKeyPrefix });
  try {
    await store.ping();
    const filter: AuditFilter = {};
    for (const field of auditFilterFields) {
      const value = option(field);
      if (value !== undefined) filter[field] = value;
    }
    await writeAuditLines(createAuditLog(store), since as Date, until as Date, filter, async (lines) => {
      if (!output.write(lines)) await once(output, 'drain');
    });
    return 0;
  } catch (error) {
    process.stderr.write(
      `Cannot read the audit trail from Redis: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  exportAudit(process.argv.slice(2), process.stdout).then((code) => process.exit(code));
}
