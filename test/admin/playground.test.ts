// Proves: the playground runs the real router and skills with the configured model against its own platform:
// a summary of the Chinese sample comes back rendered as a Slack message and as a Lark card, with citation
// links to the thread's messages on the run's page, its tokens and time to first token; the model got the
// fenced thread; nothing reached Slack although Slack is configured; the run is in the audit trail and its
// model call in the usage records and on the usage page.
import { createAuditLog } from '../../src/audit/audit-log';
import { readUsage, usageDay } from '../../src/llm/usage-recorder';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { ConsoleClient } from './console-client';
import { answerSummaries } from './fake-summary';

const password = 'playground password 1';

describe('playground', () => {
  const slack = new FakeSlackServer();
  const model = new FakeOpenAIServer();
  const prefix = `admin-playground-${process.pid}-${Date.now()}:`;
  let served: ServedDeskmate;
  let client: ConsoleClient;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    const modelUrl = await model.start();
    answerSummaries(model);
    served = await startServedDeskmate({
      ...slackEnvironment(slack),
      ADMIN_PASSWORD: password,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-zh-model',
      DAILY_TOKEN_BUDGET_PER_WORKSPACE: '50000',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
    });
    client = new ConsoleClient(served.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
  });
  afterAll(async () => {
    await served.deskmate.stop();
    await model.stop();
    await slack.stop();
  });

  test('a summary of the Chinese sample, as Slack and Lark show it, with working citation links', async () => {
    const token = await client.tokenOf('/admin/playground');
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'launch-zh',
      skill: 'summarize',
      request: '',
      model: 'configured',
    });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/admin\/playground\/runs\/[\w-]{16}$/);
    const page = await (await client.get(location)).text();

    // Both previews show the summary; each cites the thread's messages on this very page.
    const slackPreview =
      /<section class="preview" id="slack-[^"]+" data-preview="slack">([\s\S]*?)<\/section>/.exec(
        page,
      )?.[1] ?? '';
    const larkPreview =
      /<section class="preview" id="lark-[^"]+" data-preview="lark">([\s\S]*?)<\/section>/.exec(page)?.[1] ??
      '';
    for (const preview of [slackPreview, larkPreview]) {
      expect(preview).toContain('版本计划周四发布');
      expect(preview).toContain(`<a href="${served.baseUrl}${location}#message-4" rel="noreferrer">[4]</a>`);
      expect(preview).toContain(`${location}#message-8"`);
    }
    expect(slackPreview).toContain('<strong>决定</strong>');
    expect(larkPreview).toContain('<strong>决定</strong>');
    // The links land on the messages they cite.
    expect(page).toMatch(
      /<li id="message-4"><span class="author">王芳<\/span>[\s\S]*?决定：只有 iPad 闪退修复/,
    );
    expect(page).toMatch(/<dd id="run-outcome">answered <code>ok<\/code><\/dd>/);
    expect(page).toMatch(/<dd id="run-models">fake-zh-model<\/dd>/);
    expect(page).toMatch(/<dd id="run-tokens">321 \/ 54<\/dd>/);
    expect(page).toMatch(/<dd id="run-first-token">\d+(\.\d)? m?s<\/dd>/);

    // The model read the thread, fenced as untrusted data, and nothing was posted to Slack.
    const sent = JSON.stringify(model.requests.at(-1));
    expect(sent).toContain('<transcript>');
    expect(sent).toContain('iPadOS 17');
    for (const method of ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.startStream']) {
      expect(slack.callsTo(method)).toHaveLength(0);
    }

    // The run is audited and its model call counted, under the playground's workspace.
    const today = new Date();
    const records = await createAuditLog(served.deskmate.store).read(today, today);
    expect(records).toEqual([
      expect.objectContaining({
        platform: 'console',
        workspace: 'playground',
        skill: 'summarize',
        models: ['fake-zh-model'],
      }),
    ]);
    const usage = await readUsage(served.deskmate.store, 'console:playground', usageDay(today));
    expect(usage).toMatchObject({ calls: 1, inputTokens: 321, outputTokens: 54 });
    const usagePage = await (await client.get('/admin/usage')).text();
    const todayLabel = usageDay(today).slice(5);
    expect(usagePage).toMatch(
      new RegExp(
        `<rect class="bar series-a"[^>]*data-label="${todayLabel}" data-series="Model calls" data-value="1">`,
      ),
    );
    expect(usagePage).toContain('<code>console:playground</code>');
    // fake-zh-model has no price: the cost is unknown, said on the page (not only in a hover), with the fix.
    expect(usagePage).toContain('<p class="figure" id="total-cost">Unknown</p>');
    expect(usagePage).toContain(
      'No price for fake-zh-model: its tokens are left out of the cost. Set MODEL_PRICES',
    );
    expect(usagePage).toContain(
      '<p class="muted" id="unpriced-mark">* Some tokens are of a model with no price',
    );
    // A workspace row links to its records on the Audit page, under the same key.
    const from = usageDay(new Date(today.getTime() - 29 * 86_400_000));
    expect(usagePage).toContain(
      `<a href="/admin/audit?from=${from}&amp;to=${usageDay(today)}&amp;workspace=console%3Aplayground"`,
    );
    // Budgets: labelled columns, thousands separators, and what the counter counts.
    expect(usagePage).toMatch(
      /<table id="budgets"><thead><tr><th>Workspace<\/th><th>Today<\/th><th>Tokens today \/ daily budget<\/th>/,
    );
    expect(usagePage).toContain('375 of 50,000 tokens today (1%)');
    expect(usagePage).toContain(
      'counts a workspace’s tokens from the moment DAILY_TOKEN_BUDGET_PER_WORKSPACE was set',
    );
    // By skill, the model calls are counted too.
    const bySkill = await (await client.get('/admin/usage?by=skill')).text();
    expect(bySkill).toMatch(
      /<code>summarize<\/code><\/a><\/td><td class="number">1<\/td><td class="number">1<\/td><td class="number">321<\/td>/,
    );
    // In Chinese.
    const chinese = new ConsoleClient(served.baseUrl, 'zh-CN');
    expect((await chinese.signIn(password)).status).toBe(303);
    const zhUsage = await (await chinese.get('/admin/usage')).text();
    expect(zhUsage).toContain('<p class="figure" id="total-cost">未知</p>');
    expect(zhUsage).toContain('fake-zh-model 没有价格');
    expect(zhUsage).toContain('今日已用 375 / 50,000 token');
  });

  test('a reload of a run shows it again without running it; an unknown run is 404', async () => {
    const before = model.requests.length;
    const token = await client.tokenOf('/admin/playground');
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'launch-en',
      skill: 'todo',
      model: 'offline',
    });
    const location = posted.headers.get('location') ?? '';
    const first = await (await client.get(location)).text();
    const again = await (await client.get(location)).text();
    expect(again).toBe(first);
    expect(first).toMatch(/<dd id="run-skill">todo<\/dd>/);
    expect(model.requests.length).toBe(before);
    expect((await client.get('/admin/playground/runs/BBBBBBBBBBBBBBBB')).status).toBe(404);
  });

  test('a form error brings the form back exactly as sent, the error next to the paste box', async () => {
    const token = await client.tokenOf('/admin/playground');
    const response = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'pasted',
      pasted: '\n   \n',
      skill: 'draft',
      request: 'draft a very careful note I spent ten minutes writing',
      model: 'offline',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<option value="pasted" data-language="" selected>');
    expect(page).not.toMatch(/<option value="launch-(en|zh)"[^>]* selected>/);
    // The paste box is open (not hidden), keeps what was typed, is marked invalid and gets the focus.
    expect(page).toMatch(/<label for="pasted" id="pasted-label">/);
    expect(page).toMatch(
      /<textarea name="pasted" id="pasted" rows="8" aria-invalid="true" aria-describedby="pasted-error" autofocus [^>]*>\n {3}\n<\/textarea>\n<p class="error" id="pasted-error" role="alert">The pasted thread is empty/,
    );
    expect(page).toMatch(/<option value="draft" selected/);
    expect(page).toContain('value="draft a very careful note I spent ten minutes writing"');
    expect(page).toContain('<option value="offline" selected>');
  });

  test('"Run another" opens the form with the run\'s thread, skill, request and model', async () => {
    const token = await client.tokenOf('/admin/playground');
    const pasted = 'Ana: can we move the review?\nBo: Friday works';
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'pasted',
      pasted,
      skill: 'todo',
      request: "from this thread, only Bo's",
      model: 'offline',
    });
    const runPage = await (await client.get(posted.headers.get('location') ?? '')).text();
    const again = /<a class="button" id="run-again" href="([^"]+)">Run another<\/a>/.exec(runPage)?.[1] ?? '';
    expect(again).toMatch(/^\/admin\/playground\?from=[\w-]{16}$/);
    const form = await (await client.get(again)).text();
    expect(form).toContain('<option value="pasted" data-language="" selected>');
    expect(form).toContain(`>${pasted}</textarea>`);
    expect(form).toMatch(/<option value="todo" selected/);
    expect(form).toContain('value="from this thread, only Bo&#39;s"');
    expect(form).toContain('<option value="offline" selected>');

    // A sample's run: that sample chosen, the box closed and empty.
    const sample = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'launch-zh',
      skill: 'auto',
      request: '',
      model: 'offline',
    });
    const samplePage = await (await client.get(sample.headers.get('location') ?? '')).text();
    const sampleAgain = /id="run-again" href="([^"]+)"/.exec(samplePage)?.[1] ?? '';
    const sampleForm = await (await client.get(sampleAgain)).text();
    expect(sampleForm).toContain('<option value="launch-zh" data-language="zh" selected>');
    expect(sampleForm).toMatch(/<option value="auto"[^>]* selected>/);
    expect(sampleForm).toMatch(/<textarea name="pasted" id="pasted" rows="8" hidden [^>]*><\/textarea>/);
  });

  test('the offline summary of a sample finds its dates where the thread puts them (days after the run)', async () => {
    const token = await client.tokenOf('/admin/playground');
    const day = (offset: number) => {
      const date = new Date();
      date.setUTCDate(date.getUTCDate() + offset);
      return date;
    };
    for (const language of ['en', 'zh'] as const) {
      const posted = await client.post('/admin/playground', {
        _csrf: token,
        thread: `launch-${language}`,
        skill: 'summarize',
        request: '',
        model: 'offline',
      });
      const page = await (await client.get(posted.headers.get('location') ?? '')).text();
      const slack = /data-preview="slack">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
      const dates = slack.split('<br>').filter((line) => line.includes(' → '));
      expect(dates.length).toBeGreaterThanOrEqual(4);
      const format = (offset: number, options: Intl.DateTimeFormatOptions, locale = 'en-US') =>
        new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(day(offset));
      for (const offset of [2, 3, 6]) {
        const shown =
          language === 'en'
            ? `${format(offset, { weekday: 'short', month: 'short', day: 'numeric' })} (UTC)`
            : `${day(offset).getUTCMonth() + 1}月${day(offset).getUTCDate()}日${format(offset, { weekday: 'short' }, 'zh-CN')} (UTC)`;
        const written =
          language === 'en'
            ? `${format(offset, { weekday: 'long' })}, ${format(offset, { month: 'long' })} ${day(offset).getUTCDate()}`
            : `${day(offset).getUTCMonth() + 1}月${day(offset).getUTCDate()}日`;
        // The thread says the day, and the summary reads it as that very day.
        if (offset !== 6 || language === 'en') expect(dates.join('\n')).toContain(`${written} → ${shown}`);
      }
      // No date the thread writes out is read as another day.
      for (const line of dates) {
        const said = /(\d+)(?:日| →)/.exec(line)?.[1];
        const read = /→ [^(]*?(\d+)(?:日|\s*\()/.exec(line)?.[1];
        if (said && /December|月/.test(line.split('→')[0]))
          expect({ line, read }).toEqual({ line, read: said });
      }
    }
  });
});
