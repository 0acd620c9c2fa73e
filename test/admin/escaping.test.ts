// Proves: text that is not the console's own renders inert. A pasted thread holding `<script>`,
// `"><img onerror>` and `javascript:` links, summarized in the playground, shows those characters as text in
// the thread, in both previews and in the JSON; workspace, user, skill, model and error names planted in the
// audit trail and usage records show as text on the overview and usage pages; a CSV cell that a spreadsheet
// would run as a formula stays text.
import { createAuditLog } from '../../src/audit/audit-log';
import { usageDay } from '../../src/llm/usage-recorder';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { ConsoleClient } from './console-client';

const password = 'escaping test password';

/** Markup that would run or load something if it reached the page as markup. */
const live = [
  /<script(?! src="\/admin\/assets\/admin\.js" defer><\/script>)/i,
  /<img/i,
  /<svg(?! viewBox)/i,
  /<b\s/i,
  /<[a-z][^<>]*\son\w+=/i,
  /href="javascript:/i,
  /<a href="javascript/i,
];

function expectInert(page: string): void {
  for (const pattern of live)
    expect({ pattern: String(pattern), found: pattern.exec(page)?.[0] }).toEqual({
      pattern: String(pattern),
      found: undefined,
    });
}

describe('escaping', () => {
  let served: ServedDeskmate;
  let client: ConsoleClient;

  beforeAll(async () => {
    served = await startServedDeskmate({ ADMIN_PASSWORD: password });
    client = new ConsoleClient(served.baseUrl);
    await client.signIn(password);
  });
  afterAll(() => served.deskmate.stop());

  test('a hostile pasted thread renders inert in the playground: thread, Slack and Lark previews, JSON', async () => {
    const pasted = [
      'Mallory: please review <script>alert(1)</script> before Friday',
      '"><img src=x onerror=alert(2)>: we decided "><img src=x onerror=alert(3)> is fine',
      'Eve: please open [this](javascript:alert(4)) and <a href="javascript:alert(5)">that</a>',
      'Trudy: <svg onload=alert(6)> `<b onmouseover=alert(7)>x</b>` please',
    ].join('\n');
    const token = await client.tokenOf('/admin/playground');
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'pasted',
      pasted,
      skill: 'summarize',
      request: '"><svg onload=alert(8)>',
      model: 'offline',
    });
    expect(posted.status).toBe(303);
    const page = await (await client.get(posted.headers.get('location') ?? '')).text();
    expectInert(page);
    // The words are there, as text: in the thread, in the previews (the extractive summary quotes them).
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    const slack = /data-preview="slack">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    const lark = /data-preview="lark">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    for (const preview of [slack, lark]) {
      expect(preview).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(preview).toContain('onerror=alert(3)');
    }
  });

  test('names from the audit trail and usage records render inert on the overview and usage pages and in the CSV', async () => {
    const store = served.deskmate.store;
    const now = new Date();
    const day = usageDay(now);
    const workspace = '<script>alert(9)</script>';
    const model = '<svg onload=alert(10)>';
    await createAuditLog(store).write({
      at: now.toISOString(),
      jobId: 'hostile-1',
      platform: 'slack',
      workspace,
      conversation: { channel: 'C1', kind: 'group' },
      requester: '"><img src=x onerror=alert(11)>',
      skill: '<b onmouseover=alert(12)>x</b>',
      models: [model],
      tokens: { input: 5, output: 7 },
      outcome: '<script>alert(13)</script>',
      durationMs: 3,
      effects: [],
    });
    await createAuditLog(store).write({
      at: now.toISOString(),
      jobId: 'hostile-2',
      platform: 'slack',
      workspace: 'T1',
      conversation: { channel: 'C1', kind: 'group' },
      requester: 'U2',
      skill: '=HYPERLINK("http://evil.example","x")',
      models: [],
      tokens: { input: 0, output: 0 },
      outcome: 'ok',
      durationMs: 3,
      effects: [],
    });
    await store.incrementCounters(`usage:slack:${workspace}:${day}`, {
      calls: 1,
      inputTokens: 5,
      outputTokens: 7,
      [`model:${model}:calls`]: 1,
      [`model:${model}:inputTokens`]: 5,
      [`model:${model}:outputTokens`]: 7,
    });

    const overview = await (await client.get('/admin')).text();
    expectInert(overview);
    expect(overview).toContain('<code>&lt;script&gt;alert(13)&lt;/script&gt;</code>');
    for (const by of ['workspace', 'user', 'skill', 'model']) {
      const page = await (await client.get(`/admin/usage?by=${by}`)).text();
      expectInert(page);
    }
    const byUser = await (await client.get('/admin/usage?by=user')).text();
    expect(byUser).toContain(
      'slack:&lt;script&gt;alert(9)&lt;/script&gt;:&quot;&gt;&lt;img src=x onerror=alert(11)&gt;',
    );
    const byModel = await (await client.get('/admin/usage?by=model')).text();
    expect(byModel).toContain('&lt;svg onload=alert(10)&gt;');

    const csv = await (await client.get('/admin/usage.csv')).text();
    expect(csv).toContain(`${day},skill,"'=HYPERLINK(""http://evil.example"",""x"")",1,`);
    expect(csv.split('\r\n').some((line) => /,=|,"=/.test(line))).toBe(false);
  });
});
