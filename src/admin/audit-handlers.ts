import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { type AuditFilter, auditFilterFields, writeAuditLines } from '../audit/export';
import { createSkills } from '../skills';
import type { AdminServices, SignedInRequest } from './admin-context';
import { findAuditPage, matchesConsoleFilter } from './audit-data';
import type { AuditWords } from './audit-wording';
import { sendSignedInPage } from './page-handlers';
import { auditPage } from './pages/audit-page';
import { securityHeaders, sendText } from './respond';

/** Requests a page of the audit trail shows. */
export const auditPageSize = 100;

/** What the audit page's query asks for, checked: the day range, the filter, the page. */
export interface AuditQuery {
  /** First day (yyyy-mm-dd, UTC), after clamping to the retention. */
  from: string;
  /** Last day (yyyy-mm-dd, UTC). */
  to: string;
  /** The day range as asked (shown back in the form). */
  asked: { from: string; to: string };
  /** Exact values to match. */
  filter: AuditFilter;
  /** The page asked for (1 = newest). */
  page: number;
  /** Why the query cannot be answered (a bad date, a reversed range); empty when it can. */
  problems: string[];
  /** What was changed in it (a range longer than the retention). */
  notes: string[];
}

let skills: string[] | undefined;

/** The names of Deskmate's skills (the Audit page's skill choices). */
function skillNames(): string[] {
  skills ??= createSkills().map((skill) => skill.name);
  return skills;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** A `yyyy-mm-dd` that names a real day (not 2026-02-30). */
function isDay(value: string): boolean {
  if (!dayPattern.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Read the audit page's query: `from`, `to` (default today, UTC), the filter fields and `page`. */
export function readAuditQuery(
  query: URLSearchParams,
  words: AuditWords,
  retentionDays: number,
  now: Date,
): AuditQuery {
  const today = now.toISOString().slice(0, 10);
  const asked = { from: query.get('from')?.trim() || today, to: query.get('to')?.trim() || today };
  const problems: string[] = [];
  const notes: string[] = [];
  if (!isDay(asked.from)) problems.push(words.badDate(words.from, asked.from));
  if (!isDay(asked.to)) problems.push(words.badDate(words.to, asked.to));
  let from = asked.from;
  const to = asked.to;
  if (problems.length === 0 && from > to) problems.push(words.reversed);
  if (problems.length === 0) {
    const earliest = addDays(to, -(retentionDays - 1));
    if (from < earliest) {
      from = earliest;
      notes.push(words.clamped(retentionDays, from));
    }
  }
  const filter: AuditFilter = {};
  for (const field of auditFilterFields) {
    const value = query.get(field)?.trim();
    if (value) filter[field] = value;
  }
  const page = Number.parseInt(query.get('page') ?? '1', 10);
  return {
    from,
    to,
    asked,
    filter,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    problems,
    notes,
  };
}

function queryOf(services: AdminServices, context: SignedInRequest): AuditQuery {
  return readAuditQuery(
    context.query,
    context.words.audit,
    services.options.config.auditRetentionDays,
    new Date(),
  );
}

/** `GET /admin/audit`: the requests of a day range, newest first, filtered, a page at a time. */
export async function audit(services: AdminServices, context: SignedInRequest): Promise<void> {
  const text = context.words.audit;
  const query = queryOf(services, context);
  const retentionDays = services.options.config.auditRetentionDays;
  if (query.problems.length > 0) {
    const body = auditPage({ query, retentionDays, skills: skillNames() }, context.words);
    sendSignedInPage(services, context, 'audit', text.title, body, 400);
    return;
  }
  const found = await findAuditPage(services.audit, { ...query, pageSize: auditPageSize });
  const body = auditPage({ query, retentionDays, skills: skillNames(), ...found }, context.words);
  sendSignedInPage(services, context, 'audit', text.title, body);
}

/** `GET /admin/audit.jsonl`: the same range and filter as JSON lines, exactly as `npm run audit` prints them. */
export async function auditDownload(services: AdminServices, context: SignedInRequest): Promise<void> {
  const query = queryOf(services, context);
  if (query.problems.length > 0) return sendText(context.response, 400, query.problems.join('\n'));
  const response = context.response;
  // The head goes with the first lines: a store that fails before them still gets a 500, not a short file.
  const since = new Date(`${query.from}T00:00:00Z`);
  const until = new Date(`${query.to}T00:00:00Z`);
  const write = async (lines: string) => {
    if (!response.headersSent) writeDownloadHead(response, query);
    if (!response.write(lines)) await once(response, 'drain');
  };
  await writeAuditLines(services.audit, since, until, query.filter, write, matchesConsoleFilter);
  if (!response.headersSent) writeDownloadHead(response, query);
  response.end();
}

function writeDownloadHead(response: ServerResponse, query: AuditQuery): void {
  response.writeHead(200, {
    ...securityHeaders,
    'cache-control': 'no-store',
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="deskmate-audit-${query.from}-${query.to}.jsonl"`,
  });
}
