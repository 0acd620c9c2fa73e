// The Audit page over a long range, as a busy deployment has it: 30 days of 40 requests each in the real
// AuditLog over the memory store. What a person would notice: every page holds exactly the records the whole
// sorted list would put there (with and without a filter), a page past the end shows the last one, and
// opening page 1 of a month reads the records of the newest days only (the count of record reads stands in
// for the time and memory a month of records would cost).

import { findAuditPage, newestFirst } from '../../src/admin/audit-data';
import { type AuditRecord, createAuditLog } from '../../src/audit/audit-log';
import { matchesAuditFilter } from '../../src/audit/export';
import type { StateStore } from '../../src/core/state-store';
import { createMemoryStateStore } from '../../src/state/memory-state-store';

/** The memory store, counting the audit records read through it. */
function countingStore(): { store: StateStore; recordReads: () => number } {
  const inner = createMemoryStateStore();
  let reads = 0;
  const store: StateStore = {
    ...inner,
    getJson: async <T>(key: string) => {
      if (key.startsWith('audit:record:')) reads += 1;
      return inner.getJson<T>(key);
    },
  };
  return { store, recordReads: () => reads };
}

const days = 30;
const perDay = 40;

function dayName(index: number): string {
  return new Date(Date.UTC(2026, 10, 1 + index)).toISOString().slice(0, 10);
}

function record(day: number, number: number): AuditRecord {
  const minute = String(number).padStart(2, '0');
  return {
    at: `${dayName(day)}T10:${minute}:00.000Z`,
    jobId: `job-${day}-${number}`,
    platform: number % 2 === 0 ? 'slack' : 'lark',
    workspace: 'T1',
    conversation: { channel: 'C1', kind: 'group' },
    requester: `U${number % 10}`,
    models: [],
    tokens: { input: 0, output: 0 },
    outcome: number % 7 === 0 ? 'llm_unavailable' : 'ok',
    durationMs: 10,
    effects: [],
  };
}

describe('audit pages over a month of records', () => {
  const { store, recordReads } = countingStore();
  const audit = createAuditLog(store);
  const all: AuditRecord[] = [];
  const range = { from: dayName(0), to: dayName(days - 1), pageSize: 100 };

  beforeAll(async () => {
    for (let day = 0; day < days; day += 1) {
      for (let number = 0; number < perDay; number += 1) {
        const written = record(day, number);
        all.push(written);
        await audit.write(written);
      }
    }
    all.sort(newestFirst);
  });

  test('every page holds what the whole sorted list puts there; page 1 reads only the newest days', async () => {
    const before = recordReads();
    const first = await findAuditPage(audit, { ...range, filter: {}, page: 1 });
    expect(recordReads() - before).toBeLessThanOrEqual(3 * perDay);
    expect(first.total).toBe(days * perDay);
    expect(first.pages).toBe(12);
    expect(first.records).toEqual(all.slice(0, 100));
    expect(first.records[0].jobId).toBe(`job-${days - 1}-${perDay - 1}`);
    for (const page of [2, 7, 12]) {
      const found = await findAuditPage(audit, { ...range, filter: {}, page });
      expect(found.page).toBe(page);
      expect(found.records).toEqual(all.slice((page - 1) * 100, page * 100));
    }
  });

  test('with a filter: the same pages as filtering the whole list, and the right total', async () => {
    const filter = { platform: 'lark', outcome: 'ok' };
    const matching = all.filter((one) => matchesAuditFilter(one, filter));
    const first = await findAuditPage(audit, { ...range, filter, page: 1 });
    expect(first.total).toBe(matching.length);
    expect(first.pages).toBe(Math.ceil(matching.length / 100));
    expect(first.records).toEqual(matching.slice(0, 100));
    const last = await findAuditPage(audit, { ...range, filter, page: first.pages });
    expect(last.records).toEqual(matching.slice((first.pages - 1) * 100));
  });

  test('a page past the end shows the last page; an empty range shows one empty page', async () => {
    const past = await findAuditPage(audit, { ...range, filter: {}, page: 99 });
    expect(past.page).toBe(12);
    expect(past.records).toEqual(all.slice(1100));
    const empty = await findAuditPage(audit, {
      from: '2025-01-01',
      to: '2025-01-31',
      pageSize: 100,
      filter: {},
      page: 3,
    });
    expect(empty).toEqual({ records: [], total: 0, page: 1, pages: 1 });
  });
});
