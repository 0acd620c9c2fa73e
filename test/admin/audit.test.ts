// Proves, on the memory store and on Redis, with records written through the real AuditLog: the Audit page
// lists the requests of the chosen UTC day range (today by default) newest first with every field, errors
// visibly marked; its filters (platform, workspace, requester, skill, outcome) narrow the list and are
// echoed escaped; it pages 100 at a time; a bad or reversed date is answered with a message (400, not a
// 500) and a range longer than AUDIT_RETENTION_DAYS is clamped with a note; the JSON-lines download of a
// range and filter equals what `npm run audit` prints for the same (on Redis: the real exporter run); the
// page and the download need a signed-in session; a Chinese browser gets it in Chinese.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type AuditRecord, createAuditLog } from '../../src/audit/audit-log';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { ConsoleClient } from './console-client';

const password = 'audit page test password';
const repositoryRoot = join(__dirname, '..', '..');

/** The UTC day `offset` days from today. */
function day(offset: number): string {
  return new Date(Date.now() + offset * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

function record(overrides: Partial<AuditRecord> & { at: string; jobId: string }): AuditRecord {
  return {
    platform: 'slack',
    workspace: 'T1',
    conversation: { channel: 'C1', kind: 'group' },
    requester: 'U1',
    models: [],
    tokens: { input: 0, output: 0 },
    outcome: 'ok',
    durationMs: 10,
    effects: [],
    ...overrides,
  };
}

const summary = record({
  at: `${day(0)}T00:01:00.000Z`,
  jobId: 'job-summary',
  workspace: 'T1',
  conversation: { channel: 'C1', thread: '1733.0001', kind: 'group' },
  requester: 'U1',
  skill: 'summarize',
  routedBy: 'command_word',
  models: ['model-a', 'model-b'],
  tokens: { input: 1234, output: 56 },
  durationMs: 2400,
  effects: [{ action: 'created', kind: 'todo', id: '#7' }],
});
const failed = record({
  at: `${day(0)}T00:02:00.000Z`,
  jobId: 'job-failed',
  platform: 'lark',
  workspace: 'tenant-a',
  conversation: { channel: 'oc_chat', kind: 'dm' },
  requester: 'ou_bob',
  skill: 'chat',
  routedBy: 'model',
  models: ['model-a'],
  tokens: { input: 10, output: 0 },
  outcome: 'model_timeout',
  durationMs: 30_000,
  effects: [{ action: 'closed', kind: 'task', id: 't-9' }],
});
const yesterday = record({
  at: `${day(-1)}T12:00:00.000Z`,
  jobId: 'job-yesterday',
  workspace: 'T2',
  requester: 'U2',
  skill: 'todo',
  effects: [{ action: 'deleted', kind: 'calendar_event', id: 'ev-1' }],
});
/** 105 requests on one day, a minute apart: two pages. */
const busyDay = day(-5);
const busy = Array.from({ length: 105 }, (_, index) =>
  record({
    at: `${busyDay}T${String(Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00.000Z`,
    jobId: `busy-${String(index).padStart(3, '0')}`,
    workspace: 'T-busy',
    skill: 'chat',
  }),
);

/** The rows of the audit table, by job id, in page order. */
function rowsOf(page: string): string[] {
  return [...page.matchAll(/<tr data-job="([^"]+)"/g)].map((match) => match[1]);
}

describe.each([
  ['memory store', false],
  ['Redis', true],
])('the Audit page on the %s', (_name, redis) => {
  const prefix = `admin-audit-${process.pid}-${Date.now()}-${redis ? 'r' : 'm'}:`;
  let served: ServedDeskmate;
  let client: ConsoleClient;

  beforeAll(async () => {
    served = await startServedDeskmate({
      ADMIN_PASSWORD: password,
      AUDIT_RETENTION_DAYS: '30',
      ...(redis ? { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix } : {}),
    });
    const audit = createAuditLog(served.deskmate.store, 30);
    for (const each of [summary, failed, yesterday, ...busy]) await audit.write(each);
    client = new ConsoleClient(served.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
  });
  afterAll(() => served.deskmate.stop());

  test('today by default: every field of each request, newest first, errors marked, no message text line', async () => {
    const response = await client.get('/admin/audit');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<a href="/admin/audit" aria-current="page">Audit</a>');
    expect(page).toContain('Records hold no message text and are kept 30 days (AUDIT_RETENTION_DAYS).');
    expect(rowsOf(page)).toEqual(['job-failed', 'job-summary']);
    expect(page).toContain(`2 requests from ${day(0)} to ${day(0)}, newest first.`);
    const summaryRow = /<tr data-job="job-summary">.*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(summaryRow).toBe(
      `<tr data-job="job-summary"><td>${day(0)} 00:01:00</td><td>Slack</td><td><code>slack:T1</code></td>` +
        '<td><code>C1</code> · thread <code>1733.0001</code> · group</td><td><code>U1</code></td>' +
        '<td>summarize<br><span class="muted">routed by a command word</span></td>' +
        '<td><code>model-a</code><br><code>model-b</code></td><td class="number">1,234 / 56</td>' +
        '<td><span class="good">answered <code>ok</code></span></td><td class="number">2.4 s</td>' +
        '<td>created todo <code>#7</code></td></tr>',
    );
    const failedRow = /<tr data-job="job-failed"[^>]*>.*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(failedRow).toContain('<tr data-job="job-failed" class="failed">');
    expect(failedRow).toContain(
      '<td>Lark / Feishu</td><td><code>lark:tenant-a</code></td><td><code>oc_chat</code> · direct</td>',
    );
    expect(failedRow).toContain('<span class="bad">✗ error: <code>model_timeout</code></span>');
    expect(failedRow).toContain('<td class="number">30.0 s</td><td>closed task <code>t-9</code></td>');
    expect(page).toContain(`href="/admin/audit.jsonl?from=${day(0)}&amp;to=${day(0)}"`);
  });

  test('a day range and each filter narrow the list; filter values come back escaped', async () => {
    const range = `from=${day(-1)}&to=${day(0)}`;
    expect(rowsOf(await (await client.get(`/admin/audit?${range}`)).text())).toEqual([
      'job-failed',
      'job-summary',
      'job-yesterday',
    ]);
    const cases: Array<[string, string[]]> = [
      ['platform=lark', ['job-failed']],
      ['workspace=T2', ['job-yesterday']],
      ['requester=U1', ['job-summary']],
      ['requester=U2&skill=todo', ['job-yesterday']],
      ['requester=U2&skill=chat', []],
      ['outcome=model_timeout', ['job-failed']],
      ['outcome=ok&platform=slack', ['job-summary', 'job-yesterday']],
      ['skill=nothing-like-this', []],
      // The workspace and user keys Usage shows find the same requests; `error` finds every error.
      ['workspace=lark%3Atenant-a', ['job-failed']],
      ['requester=slack%3AT2%3AU2', ['job-yesterday']],
      ['outcome=error', ['job-failed']],
    ];
    for (const [filter, expected] of cases) {
      const page = await (await client.get(`/admin/audit?${range}&${filter}`)).text();
      expect({ filter, rows: rowsOf(page) }).toEqual({ filter, rows: expected });
    }
    const hostile = await (
      await client.get(`/admin/audit?${range}&workspace=${encodeURIComponent('"><script>alert(1)</script>')}`)
    ).text();
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(hostile).toContain('No request in this range matches.');
    // A filter that matches nothing offers to clear the filters, keeping the range; it finds the records again.
    const clear =
      /<a id="audit-clear-filters" href="([^"]+)">Clear the filters<\/a>/.exec(hostile)?.[1] ?? '';
    expect(clear.replace(/&amp;/g, '&')).toBe(`/admin/audit?${range}`);
    expect(rowsOf(await (await client.get(clear.replace(/&amp;/g, '&'))).text())).toHaveLength(3);
  });

  test('platform, skill and outcome are picked from lists, with “any error”; the pick is kept', async () => {
    const page = await (await client.get('/admin/audit?outcome=error&skill=summarize')).text();
    expect(page).toContain(
      '<select name="platform"><option value="">any</option><option value="slack">Slack</option><option value="lark">Lark / Feishu</option><option value="console">Console</option></select>',
    );
    expect(page).toMatch(
      /<select name="skill"><option value="">any<\/option>.*<option value="summarize" selected>summarize<\/option>/,
    );
    expect(page).toContain('<option value="error" selected>any error</option>');
    expect(page).toContain('<option value="unavailable">model or service unavailable (unavailable)</option>');
  });

  test('pages of 100, newest first, with links that keep the range and filter', async () => {
    const first = await (await client.get(`/admin/audit?from=${busyDay}&to=${busyDay}&skill=chat`)).text();
    expect(first).toContain(`105 requests from ${busyDay} to ${busyDay}, newest first.`);
    const firstRows = rowsOf(first);
    expect(firstRows).toHaveLength(100);
    expect(firstRows[0]).toBe('busy-104');
    expect(firstRows[99]).toBe('busy-005');
    expect(first).toContain('Page 1 of 2');
    const next = /<a href="([^"]+)" rel="next">/.exec(first)?.[1].replace(/&amp;/g, '&') ?? '';
    expect(next).toBe(`/admin/audit?from=${busyDay}&to=${busyDay}&skill=chat&page=2`);
    const second = await (await client.get(next)).text();
    expect(rowsOf(second)).toEqual(['busy-004', 'busy-003', 'busy-002', 'busy-001', 'busy-000']);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('rel="prev"');
    expect(second).not.toContain('rel="next"');
  });

  test('a bad or reversed date gets a message, not a 500; a range over the retention is clamped with a note', async () => {
    for (const [query, message] of [
      ['from=2026-13-45', 'From “2026-13-45” is not a date. Write it as yyyy-mm-dd, e.g. 2026-12-01.'],
      ['from=2026-02-30', 'From “2026-02-30” is not a date.'],
      ['to=last%20week', 'To “last week” is not a date.'],
      [`from=${day(0)}&to=${day(-1)}`, 'The “from” day is after the “to” day.'],
    ]) {
      const response = await client.get(`/admin/audit?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const page = await response.text();
      expect(page).toContain(message);
      expect(rowsOf(page)).toEqual([]);
      expect((await client.get(`/admin/audit.jsonl?${query}`)).status).toBe(400);
    }
    const clamped = await (await client.get(`/admin/audit?from=2000-01-01&to=${day(0)}`)).text();
    expect(clamped).toContain(`Records are kept 30 days: the range starts at ${day(-29)} instead.`);
    expect(clamped).toContain(`108 requests from ${day(-29)} to ${day(0)}, newest first.`);
  });

  test('the JSON-lines download is what npm run audit prints for the same range and filter', async () => {
    const queries: Array<[string, string[]]> = [
      [`from=${day(-6)}&to=${day(0)}`, []],
      [
        `from=${day(-1)}&to=${day(0)}&platform=slack&requester=U1`,
        ['--platform', 'slack', '--requester', 'U1'],
      ],
      [`from=${day(0)}&to=${day(0)}&outcome=model_timeout`, ['--outcome', 'model_timeout']],
    ];
    for (const [query, flags] of queries) {
      const response = await client.get(`/admin/audit.jsonl?${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="deskmate-audit-/);
      const downloaded = await response.text();
      const parameters = new URLSearchParams(query);
      const since = parameters.get('from') ?? '';
      const until = parameters.get('to') ?? '';
      if (redis) {
        const exported = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'src/audit/export.ts', '--since', since, '--until', until, ...flags],
          {
            cwd: repositoryRoot,
            env: { PATH: process.env.PATH ?? '', REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix },
            encoding: 'utf8',
            timeout: 20_000,
          },
        );
        expect(exported.stderr).toBe('');
        expect(exported.status).toBe(0);
        expect(downloaded).toBe(exported.stdout);
      }
      // On either store: the records written, oldest first, one JSON object a line.
      const wanted = [...busy, yesterday, summary, failed].filter(
        (each) =>
          each.at.slice(0, 10) >= since &&
          each.at.slice(0, 10) <= until &&
          ['platform', 'workspace', 'requester', 'skill', 'outcome'].every((field) => {
            const value = parameters.get(field);
            return !value || (each as unknown as Record<string, unknown>)[field] === value;
          }),
      );
      expect(downloaded).toBe(wanted.map((each) => `${JSON.stringify(each)}\n`).join(''));
    }
  });

  test('without a session: the page and the download send the browser to sign in, and back after', async () => {
    const stranger = new ConsoleClient(served.baseUrl);
    const page = await stranger.get('/admin/audit');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent('/admin/audit')}`);
    const asked = `/admin/audit.jsonl?from=${day(0)}&to=${day(0)}`;
    const download = await stranger.get(asked);
    expect(download.status).toBe(303);
    expect(download.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent(asked)}`);
    expect(await download.text()).not.toContain('job-summary');
  });

  test('a Chinese browser gets the page in Chinese', async () => {
    const chinese = new ConsoleClient(served.baseUrl, 'zh-CN,zh;q=0.9');
    expect((await chinese.signIn(password)).status).toBe(303);
    const page = await (await chinese.get('/admin/audit')).text();
    expect(page).toContain('<h1>审计</h1>');
    expect(page).toContain('<a href="/admin/audit" aria-current="page">审计</a>');
    expect(page).toContain('记录不含任何消息内容，保留 30 天（AUDIT_RETENTION_DAYS）。');
    expect(page).toContain(`${day(0)} 至 ${day(0)} 共 2 个请求，最新的在前。`);
    expect(page).toContain('<span class="bad">✗ 错误: <code>model_timeout</code></span>');
    // Codes in words, the code beside them.
    expect(page).toContain('<span class="muted">路由方式 命令词</span>');
    expect(page).toContain('<span class="good">已回答 <code>ok</code></span>');
    expect(page).toContain('<option value="error">任何错误</option>');
    expect(page).toContain('<td>创建 待办 <code>#7</code></td>');
    expect(page).toContain('<code>oc_chat</code> · 私聊');
    const bad = await chinese.get('/admin/audit?from=nope');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('开始日期“nope”不是日期。请写成 yyyy-mm-dd');
  });
});
