import type { AuditLog, AuditRecord } from '../audit/audit-log';
import { auditDays } from '../audit/audit-log';
import { type AuditFilter, auditFilterFields } from '../audit/export';
import { isErrorOutcome } from './overview-data';

/** The outcome filter value that keeps every error (not answers, refusals or limits). */
export const anyErrorOutcome = 'error';

/**
 * Whether a record matches the console's filter: a workspace as Usage names it (`console:playground`) or as the
 * record keeps it (`playground`); a requester as Usage names users (`slack:T1:U1`) or as kept (`U1`); outcome
 * `error` for any error; platform, skill and other outcomes exactly.
 */
export function matchesConsoleFilter(record: AuditRecord, filter: AuditFilter): boolean {
  const workspace = `${record.platform}:${record.workspace}`;
  const accepted: Record<(typeof auditFilterFields)[number], string[]> = {
    platform: [record.platform],
    workspace: [record.workspace, workspace],
    requester: [record.requester, `${workspace}:${record.requester}`],
    skill: [record.skill ?? ''],
    outcome: [record.outcome, ...(isErrorOutcome(record.outcome) ? [anyErrorOutcome] : [])],
  };
  return auditFilterFields.every((field) => {
    const wanted = filter[field];
    return !wanted || accepted[field].includes(wanted);
  });
}

/** One page of the audit trail, newest first, and how many records match in all. */
export interface AuditPageData {
  /** The page's records, newest first. */
  records: AuditRecord[];
  /** Records in the range that match the filter. */
  total: number;
  /** The page shown (asked for, or the last when asked past it). */
  page: number;
  /** Pages in all (at least one). */
  pages: number;
}

/** Newest first: the later time, then the larger job id. */
export function newestFirst(left: AuditRecord, right: AuditRecord): number {
  return right.at.localeCompare(left.at) || right.jobId.localeCompare(left.jobId);
}

/** What a page is asked of: a UTC day range (yyyy-mm-dd), a filter, the page and its size. */
export interface AuditPageQuery {
  /** First day. */
  from: string;
  /** Last day. */
  to: string;
  /** Exact values to match. */
  filter: AuditFilter;
  /** The page asked for (1 = newest). */
  page: number;
  /** Records per page. */
  pageSize: number;
}

/**
 * Find a page of the records of a day range that match a filter, newest first, a day at a time: without a
 * filter only the days the page shows are read (the others are counted from their index); with one, every day
 * is read but only the page is kept. So a 90-day range costs memory for one day, not for 90.
 */
export async function findAuditPage(audit: AuditLog, query: AuditPageQuery): Promise<AuditPageData> {
  const filtered = auditFilterFields.some((field) => query.filter[field]);
  const start = (query.page - 1) * query.pageSize;
  const end = start + query.pageSize;
  const days = auditDays(new Date(`${query.from}T00:00:00Z`), new Date(`${query.to}T00:00:00Z`)).reverse();
  const records: AuditRecord[] = [];
  let total = 0;
  for (const day of days) {
    const jobIds = await audit.jobIdsOf(day);
    if (jobIds.length === 0) continue;
    if (!filtered && (total + jobIds.length <= start || total >= end)) {
      total += jobIds.length;
      continue;
    }
    const matching = (await audit.readDay(day, jobIds))
      .filter((record) => matchesConsoleFilter(record, query.filter))
      .sort(newestFirst);
    records.push(...matching.slice(Math.max(0, start - total), Math.max(0, end - total)));
    total += matching.length;
  }
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  if (query.page > pages) return findAuditPage(audit, { ...query, page: pages });
  return { records, total, page: query.page, pages };
}
