// Proves, in a real browser (Debian's chromium driven by playwright-core): signing in, every page opening with
// its content, the console's script running under its CSP (no violation, no page error), a playground summary
// of the Chinese sample against the fake model rendered as Slack and Lark would show it with citation links
// that land on the cited message, the usage chart showing the call just made, the CSV export, masked secrets,
// the audit page (its filter and JSON-lines download), the Chinese pages, the knowledge page over a real LanceDB index (English and Chinese, Forget clicked), and
// signing out. Screenshots of every page go to artifacts/admin-screenshots/ (git-ignored)
// for review; the assertions are on content, never on pixels.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createAuditLog } from '../../src/audit/audit-log';
import { usageDay } from '../../src/llm/usage-recorder';
import { feedbackTotalsKey } from '../../src/skills/knowledge/feedback';
import { FakeOpenAIServer } from '../fakes/openai-server';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { answerSummaries } from './fake-summary';
import { startKnowledgeConsole, startKnowledgeFixture } from './knowledge-console';

jest.setTimeout(180_000);

const chromiumPath = '/usr/bin/chromium';
const password = 'browser test password';
const screenshots = join(__dirname, '..', '..', 'artifacts', 'admin-screenshots');

/** A fresh chromium profile: headless, no GPU, no background traffic, its own empty user data directory. */
async function openBrowser(locale: string): Promise<{ context: BrowserContext; profile: string }> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: apt-get install -y chromium fonts-noto-cjk (.ci/run installs them)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'deskmate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    locale,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  return { context, profile };
}

/** Every console message of level error and every uncaught page error (a CSP violation is one). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** What a narrow window shows of a page: how wide the page is, and each navigation link's box. */
interface NarrowLayout {
  pageWidth: number;
  links: Array<{ text: string; left: number; right: number; height: number; lineHeight: number }>;
}

const measureLayout = `(() => {
  const links = [...document.querySelectorAll('.top nav a, .top .sign-out button')].map((element) => {
    const box = element.getBoundingClientRect();
    return { text: element.textContent, left: box.left, right: box.right, height: box.height,
      lineHeight: parseFloat(getComputedStyle(element).lineHeight) || parseFloat(getComputedStyle(element).fontSize) * 1.4 };
  });
  return { pageWidth: document.documentElement.scrollWidth, links };
})()`;

/**
 * Every page at a phone's width (390 px): the page never scrolls sideways (wide tables and charts scroll in
 * their own box), and every navigation link and Sign out is on screen on one line (no word broken into a
 * column of characters). Screenshots as `<name>-narrow-<language>.png`.
 */
async function expectNarrowLayout(page: Page, paths: string[], language: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 900 });
  for (const path of paths) {
    await page.goto(path);
    const layout = (await page.evaluate(measureLayout)) as NarrowLayout;
    const name =
      new URL(page.url()).pathname
        .split('/')
        .slice(2, 4)
        .join('-')
        .replace('playground-runs', 'playground-run') || 'overview';
    await page.screenshot({ path: join(screenshots, `${name}-narrow-${language}.png`), fullPage: true });
    expect({ path, pageWidth: layout.pageWidth }).toEqual({ path, pageWidth: 390 });
    expect(layout.links).toHaveLength(7);
    for (const link of layout.links) {
      expect({ path, link: link.text, onScreen: link.left >= 0 && link.right <= 390 }).toEqual({
        path,
        link: link.text,
        onScreen: true,
      });
      expect({ path, link: link.text, oneLine: link.height < link.lineHeight * 2 }).toEqual({
        path,
        link: link.text,
        oneLine: true,
      });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const everyPage = (base: string) =>
  ['', '/usage', '/playground', '/knowledge', '/audit', '/settings'].map((path) => `${base}/admin${path}`);

describe('web console in a real browser', () => {
  const model = new FakeOpenAIServer();
  const dataDirectory = mkdtempSync(join(tmpdir(), 'deskmate-browser-data-'));
  let served: ServedDeskmate;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const modelUrl = await model.start();
    answerSummaries(model);
    served = await startServedDeskmate({
      ADMIN_PASSWORD: password,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'fake-zh-model',
      OPENAI_API_KEY: 'sk-browser-test-secret',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `admin-browser-${process.pid}-${Date.now()}:`,
      DAILY_TOKEN_BUDGET_PER_WORKSPACE: '5000',
      MODEL_PRICES: 'fake-zh-model=3/15',
      // The knowledge index opens here when the knowledge page is first shown (no KNOWLEDGE_DIR: it is empty).
      DATA_DIR: dataDirectory,
    });
  });
  afterAll(async () => {
    await served?.deskmate.stop();
    await model.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  test('sign in, every page, a playground summary of the Chinese sample, the usage it made, sign out', async () => {
    const { context, profile } = await openBrowser('en-US');
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems = watchProblems(page);
      const base = served.baseUrl;

      // Signing in: the console sends the browser to the sign-in page first.
      await page.goto(`${base}/admin`);
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      await page.screenshot({ path: join(screenshots, 'login.png') });
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type="submit"]')]);

      // Overview: the store, the model, the queue, this process.
      expect(await page.textContent('h1')).toBe('Overview');
      expect(await page.textContent('main')).toContain('Redis: answering');
      expect(await page.textContent('main')).toContain('fake-zh-model');
      expect(await page.textContent('#queue-depth')).toMatch(/^\d+ jobs? waiting or running$/);
      expect(await page.textContent('#processes')).toContain('all');
      await page.screenshot({ path: join(screenshots, 'overview-before.png'), fullPage: true });

      // Playground: the script fills the request hint in the sample's language, then the summary runs.
      await page.goto(`${base}/admin/playground`);
      // A pasted thread of blank lines: the form comes back as sent, the paste box open, focused, its error beside it.
      await page.selectOption('#thread', 'pasted');
      await page.fill('#pasted', '   \n   ');
      await page.selectOption('#skill', 'draft');
      await page.fill('#request', 'draft a very careful note I spent ten minutes writing');
      await Promise.all([
        page.waitForLoadState('load'),
        page.waitForResponse(/\/admin\/playground$/),
        page.click('#run'),
      ]);
      await page.waitForSelector('#pasted-error');
      expect(await page.isVisible('#pasted')).toBe(true);
      expect(await page.evaluate('document.activeElement.id')).toBe('pasted');
      expect(await page.inputValue('#skill')).toBe('draft');
      expect(await page.inputValue('#request')).toBe('draft a very careful note I spent ten minutes writing');
      expect(await page.textContent('#pasted-error')).toContain('The pasted thread is empty');
      await page.screenshot({ path: join(screenshots, 'playground-error.png'), fullPage: true });
      // Its 400 is the one problem the browser reports; nothing else (no CSP violation).
      expect(problems.splice(0)).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);
      await page.goto(`${base}/admin/playground`);
      await page.selectOption('#thread', 'launch-zh');
      await page.selectOption('#skill', 'chat');
      expect(await page.getAttribute('#request', 'placeholder')).toBe('发布还有哪些风险？');
      expect(await page.isHidden('#pasted')).toBe(true);
      await page.selectOption('#skill', 'summarize');
      await Promise.all([page.waitForURL(/\/admin\/playground\/runs\/[\w-]{16}$/), page.click('#run')]);
      const runPage = page.url();
      const slack = page.locator('[data-preview="slack"]').first();
      const lark = page.locator('[data-preview="lark"]').first();
      expect(await slack.textContent()).toContain('版本计划周四发布');
      expect(await lark.textContent()).toContain('版本计划周四发布');
      expect(await slack.locator('a[href*="#message-"]').count()).toBeGreaterThanOrEqual(4);
      expect(await lark.locator('a[href*="#message-"]').count()).toBeGreaterThanOrEqual(4);
      expect(await page.textContent('#run-tokens')).toBe('321 / 54');
      expect(await page.textContent('#run-first-token')).toMatch(/\d/);
      await page.screenshot({ path: join(screenshots, 'playground.png'), fullPage: true });
      // A citation link opens the message it cites.
      await slack.locator('a[href$="#message-4"]').first().click();
      await page.waitForURL(/#message-4$/);
      const target = await page.evaluate(() => {
        const element = (
          globalThis as unknown as {
            document: { querySelector(selector: string): { id: string; textContent: string } | null };
          }
        ).document.querySelector(':target');
        return element ? { id: element.id, text: element.textContent } : undefined;
      });
      expect(target?.id).toBe('message-4');
      expect(target?.text).toContain('决定：只有 iPad 闪退修复');

      // Usage: today's bar of the calls chart holds the call just made; the CSV has it too.
      await page.goto(`${base}/admin/usage`);
      const today = usageDay(new Date());
      const bar = page.locator(`#calls-chart rect[data-label="${today.slice(5)}"]`);
      expect(await bar.getAttribute('data-value')).toBe('1');
      expect(await page.textContent('#breakdown')).toContain('console:playground');
      expect(await page.textContent('#budgets')).toContain('375 of 5,000 tokens today');
      // 321 tokens in at $3 and 54 out at $15 per million: $0.0018.
      expect(await page.textContent('#breakdown')).toContain('$0.0018');
      expect(await page.textContent('#prices')).toContain('MODEL_PRICES');
      await page.screenshot({ path: join(screenshots, 'usage.png'), fullPage: true });
      // The breakdown picker: an arrow key moves through the choices without reloading the page (focus stays);
      // the button, named in words, shows the choice; a choice made with the mouse shows at once.
      await page.focus('select[name="by"]');
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(300);
      expect(new URL(page.url()).search).toBe('');
      expect(await page.evaluate('document.activeElement.name')).toBe('by');
      expect(await page.getByRole('button', { name: 'Show', exact: true }).count()).toBe(1);
      await page.selectOption('select[name="by"]', 'model');
      await Promise.all([page.waitForURL(/by=model/), page.click('form[data-auto-submit] button')]);
      expect(await page.textContent('#breakdown')).toContain('fake-zh-model');
      await page.dispatchEvent('select[name="by"]', 'pointerdown');
      await page.selectOption('select[name="by"]', 'skill');
      await page.waitForURL(/by=skill/);
      await page.goto(`${base}/admin/usage?by=model`);
      expect(await page.textContent('#breakdown')).toContain('fake-zh-model');
      const csv = await context.request.get(`${base}/admin/usage.csv`);
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain(`${today},workspace,console:playground,1,1,321,54`);

      // Settings: values shown, secrets never.
      await page.goto(`${base}/admin/settings`);
      expect(await page.textContent('tr[data-variable="OPENAI_MODEL"]')).toContain('fake-zh-model');
      expect(await page.textContent('tr[data-variable="OPENAI_API_KEY"]')).toContain('set (hidden)');
      const settingsHtml = await page.content();
      expect(settingsHtml).not.toContain('sk-browser-test-secret');
      expect(settingsHtml).not.toContain(password);
      await page.screenshot({ path: join(screenshots, 'settings.png'), fullPage: true });

      // This deployment's knowledge base is empty and has no folder: the page says how to fill it.
      await page.goto(`${base}/admin/knowledge`);
      expect(await page.textContent('#knowledge-sources')).toBe('0');
      expect(await page.textContent('#knowledge-empty')).toContain('set KNOWLEDGE_DIR');
      await page.screenshot({ path: join(screenshots, 'knowledge-empty.png') });

      // The overview counts the playground's job (the README's screenshot is this one).
      await page.goto(`${base}/admin`);
      expect(await page.textContent('#last-hour')).toBe('Last hour: 1 job, 0 errors.');
      expect(await page.getAttribute('#activity-chart polyline[data-series="Jobs"]', 'data-total')).toBe('1');
      expect(await page.textContent('#activity-chart .axis-note')).toBe('Times in UTC');
      await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });

      // Audit: today's requests, the playground's among them; a failed one (written here) is marked.
      await createAuditLog(served.deskmate.store).write({
        at: new Date().toISOString(),
        jobId: 'browser-failed-1',
        platform: 'lark',
        workspace: 'tenant-browser',
        conversation: { channel: 'oc_browser', thread: 'om_thread', kind: 'group' },
        requester: 'ou_browser',
        skill: 'todo',
        routedBy: 'command_word',
        models: [],
        tokens: { input: 0, output: 0 },
        outcome: 'platform_error',
        durationMs: 1200,
        effects: [{ action: 'created', kind: 'task', id: 'task-42' }],
      });
      await page.click('nav a[href="/admin/audit"]');
      await page.waitForURL(`${base}/admin/audit`);
      expect(await page.textContent('h1')).toBe('Audit');
      expect(await page.textContent('#audit-intro')).toContain('Records hold no message text');
      const playgroundRow = page.locator('#audit-records tbody tr', { hasText: 'summarize' });
      expect(await playgroundRow.textContent()).toMatch(
        /^[\d-]+ [\d:]+Consoleconsole:playground.*summarize.*fake-zh-model321 \/ 54answered ok/,
      );
      expect(await page.textContent('tr[data-job="browser-failed-1"]')).toContain(
        '✗ error: chat platform error platform_error',
      );
      await page.screenshot({ path: join(screenshots, 'audit.png'), fullPage: true });
      await page.selectOption('#audit-form select[name="platform"]', 'lark');
      await Promise.all([page.waitForURL(/platform=lark/), page.click('#audit-form button[type="submit"]')]);
      expect(await page.locator('#audit-records tbody tr').count()).toBe(1);
      const jsonl = await context.request.get(`${base}${await page.getAttribute('#audit-download', 'href')}`);
      expect(jsonl.status()).toBe(200);
      expect(JSON.parse((await jsonl.text()).trim()).jobId).toBe('browser-failed-1');

      // The audit page with a long record fits a laptop's width: its table scrolls in its own box if need be.
      await page.goto(`${base}/admin/audit`);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(1280);

      // A phone's width: every page (and the run page with its previews) fits, the navigation all on screen.
      await expectNarrowLayout(page, [...everyPage(base), runPage], 'en');

      // Signing out ends the session: the console sends the browser back to the sign-in page.
      await Promise.all([page.waitForURL(`${base}/admin/login`), page.click('.sign-out button')]);
      await page.goto(`${base}/admin/usage`);
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('the knowledge page with sources in a real LanceDB index, in English and Chinese; Forget in the browser', async () => {
    const fixture = await startKnowledgeFixture();
    await fixture.store.incrementCounters(feedbackTotalsKey, {
      'up:slack:T1:file:F1': 3,
      'down:slack:T1:file:F1': 1,
    });
    const knowledge = await startKnowledgeConsole(
      password,
      { index: fixture.index, canForget: true, folderConfigured: true },
      fixture.store,
    );
    try {
      for (const locale of ['zh-CN', 'en-US']) {
        const { context, profile } = await openBrowser(locale);
        try {
          const page = context.pages()[0] ?? (await context.newPage());
          const problems = watchProblems(page);
          await page.goto(`${knowledge.baseUrl}/admin/login`);
          await page.fill('input[name="password"]', password);
          await Promise.all([
            page.waitForURL(`${knowledge.baseUrl}/admin`),
            page.click('button[type="submit"]'),
          ]);
          await page.goto(`${knowledge.baseUrl}/admin/knowledge`);
          const english = locale === 'en-US';
          expect(await page.textContent('h1')).toBe(english ? 'Knowledge' : '知识库');
          expect(await page.textContent('#knowledge-sources')).toBe('4');
          expect(await page.textContent('#knowledge-search')).toBe(english ? 'keyword only' : '仅关键词');
          expect(await page.textContent('#knowledge-feedback')).toBe(
            english ? '3 helpful · 1 not helpful' : '3 有帮助 · 1 没帮助',
          );
          expect(await page.textContent('tr[data-source="lark:L1:doc:D1"]')).toContain(
            english ? 'only Lark user ou_bob' : '仅飞书用户 ou_bob',
          );
          expect(await page.getAttribute('tr[data-source="slack:T1:file:F1"] a', 'href')).toBe(
            'https://files.example/F1',
          );
          await page.screenshot({
            path: join(screenshots, english ? 'knowledge.png' : 'knowledge-zh.png'),
            fullPage: true,
          });
          if (english) {
            // Forget in the browser (last, after the Chinese page): the button asks first, then the confirming form
            // posts with its token and the page comes back without the source.
            await Promise.all([
              page.waitForURL(`${knowledge.baseUrl}/admin/knowledge/forget?source=slack%3AT1%3Afile%3AF1`),
              page.click('tr[data-source="slack:T1:file:F1"] button'),
            ]);
            expect(await page.textContent('#knowledge-forget-confirm')).toContain('Forget “travel.md”?');
            await page.screenshot({
              path: join(screenshots, 'knowledge-forget-confirm.png'),
              fullPage: true,
            });
            await Promise.all([
              page.waitForURL(/\/admin\/knowledge\?forgot=[\w-]{22}$/),
              page.click('#knowledge-forget-confirm button'),
            ]);
            expect(await page.textContent('#knowledge-notice')).toContain('“travel.md” was forgotten');
            expect(await page.textContent('#knowledge-sources')).toBe('3');
            expect(await page.$('tr[data-source="slack:T1:file:F1"]')).toBeNull();
            // Back goes to the question, a page of its own: no "Confirm form resubmission"; the source is gone.
            await page.goBack();
            expect(new URL(page.url()).pathname).toBe('/admin/knowledge');
            expect(new URL(page.url()).searchParams.get('done')).toBe('gone');
            await page.screenshot({ path: join(screenshots, 'knowledge-forgotten.png'), fullPage: true });
          }
          expect(problems).toEqual([]);
        } finally {
          await context.close();
          rmSync(profile, { recursive: true, force: true });
        }
      }
    } finally {
      await knowledge.stop();
      await fixture.stop();
    }
  });

  test('a browser that prefers Chinese gets the console in Chinese', async () => {
    const { context, profile } = await openBrowser('zh-CN');
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems = watchProblems(page);
      await page.goto(`${served.baseUrl}/admin/login`);
      expect(await page.textContent('h1')).toBe('登录');
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForURL(`${served.baseUrl}/admin`), page.click('button[type="submit"]')]);
      expect(await page.textContent('h1')).toBe('概览');
      expect(await page.textContent('nav')).toContain('用量');
      expect(await page.textContent('#activity-chart .axis-note')).toBe('时间为 UTC');
      await page.screenshot({ path: join(screenshots, 'overview-zh.png'), fullPage: true });
      await page.goto(`${served.baseUrl}/admin/playground`);
      expect(await page.textContent('h1')).toBe('试用');
      await page.screenshot({ path: join(screenshots, 'playground-zh.png'), fullPage: true });
      await page.goto(`${served.baseUrl}/admin/audit`);
      expect(await page.textContent('h1')).toBe('审计');
      expect(await page.textContent('#audit-intro')).toContain('记录不含任何消息内容');
      await page.screenshot({ path: join(screenshots, 'audit-zh.png'), fullPage: true });
      await expectNarrowLayout(page, everyPage(served.baseUrl), 'zh');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
