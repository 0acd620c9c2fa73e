// Proves: no /admin route answers without a session (pages and downloads go to the sign-in page and back after
// it, only ever to a console page; a form gets 401 and the sign-in page saying its session ended;
// a forged or signed-out cookie counts for nothing); the session cookie is HttpOnly, SameSite=Strict and
// signed; a form without its CSRF token (or from another origin) is refused with 403 and does nothing; failed
// sign-ins are limited per address (429, even with the right password, once five went wrong); every page
// carries a strict CSP and has no inline script, style or event handler.
import { languageOf } from '../../src/admin/wording';
import { startRedisServer } from '../helpers/redis-server';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { ConsoleClient, formToken } from './console-client';

const password = 'correct horse battery staple';

/** Every route of the console behind the session, with how it is asked for. */
const protectedRoutes: Array<{ method: 'GET' | 'POST'; path: string }> = [
  { method: 'GET', path: '/admin' },
  { method: 'GET', path: '/admin/' },
  { method: 'GET', path: '/admin/usage' },
  { method: 'GET', path: '/admin/usage?by=user' },
  { method: 'GET', path: '/admin/playground' },
  { method: 'GET', path: '/admin/playground/runs/AAAAAAAAAAAAAAAA' },
  { method: 'GET', path: '/admin/settings' },
  { method: 'GET', path: '/admin/knowledge' },
  { method: 'GET', path: '/admin/no-such-page' },
  { method: 'GET', path: '/admin/usage.csv' },
  { method: 'POST', path: '/admin/playground' },
  { method: 'POST', path: '/admin/logout' },
  { method: 'POST', path: '/admin/usage' },
];

/** The signed-in pages, for the CSP and markup checks. */
const pages = [
  '/admin',
  '/admin/usage',
  '/admin/playground',
  '/admin/settings',
  '/admin/knowledge',
  '/admin/login',
];

describe('web console: sign-in, sessions, CSRF, limits, CSP', () => {
  let served: ServedDeskmate;

  beforeAll(async () => {
    served = await startServedDeskmate({ ADMIN_PASSWORD: password });
  });
  afterAll(() => served.deskmate.stop());

  /** What a route answers a client: 303 to the sign-in page, or 401; never the page itself. */
  async function refused(client: ConsoleClient, route: { method: 'GET' | 'POST'; path: string }) {
    const response =
      route.method === 'GET' ? await client.get(route.path) : await client.post(route.path, { _csrf: 'x' });
    const body = await response.text();
    return { status: response.status, location: response.headers.get('location'), body };
  }

  test('every /admin route without a session: pages and downloads go to the sign-in page, forms get 401 and it', async () => {
    const client = new ConsoleClient(served.baseUrl);
    for (const route of protectedRoutes) {
      const answer = await refused(client, route);
      const back = route.path.replace(/\/$/, '');
      const expected =
        route.method === 'GET'
          ? {
              status: 303,
              location: back === '/admin' ? '/admin/login' : `/admin/login?next=${encodeURIComponent(back)}`,
            }
          : { status: 401, location: null };
      expect({ route, status: answer.status, location: answer.location }).toEqual({ route, ...expected });
      // Never the page itself: a form sent after its session ended gets the sign-in page, saying so.
      if (route.method === 'POST') {
        expect(answer.body).toContain('action="/admin/login"');
        expect(answer.body).toContain('Your session ended: sign in again.');
      } else {
        expect(answer.body).toBe('');
      }
    }
    // The sign-in page and the console's own files are open.
    expect((await client.get('/admin/login')).status).toBe(200);
    expect((await client.get('/admin/assets/admin.css')).status).toBe(200);
    expect((await client.get('/admin/assets/package.json')).status).toBe(404);
  });

  test('an unknown console address: a 404 page titled as such, said once, with a way back', async () => {
    const client = new ConsoleClient(served.baseUrl);
    await client.signIn(password);
    const response = await client.get('/admin/no-such-page');
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).toContain('<title>Page not found · Deskmate console</title>');
    expect(body).toContain(
      '<h1>Page not found</h1>\n<p class="muted">There is no console page at this address.</p>',
    );
    expect(body).toContain('<a href="/admin">Back to the overview</a>');
    expect(body).not.toContain('Not found.');
  });

  test('a forged cookie and a signed-out session count for nothing', async () => {
    const forger = new ConsoleClient(served.baseUrl);
    forger.cookies.set('deskmate_admin_session', `${'A'.repeat(43)}.${'B'.repeat(43)}`);
    for (const route of protectedRoutes) expect([303, 401]).toContain((await refused(forger, route)).status);

    const client = new ConsoleClient(served.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
    const kept = client.cookies.get('deskmate_admin_session') as string;
    // A valid id with a signature of its own making is refused.
    const [id] = kept.split('.');
    forger.cookies.set('deskmate_admin_session', `${id}.${'C'.repeat(43)}`);
    expect((await forger.get('/admin')).status).toBe(303);

    expect((await client.get('/admin')).status).toBe(200);
    const token = await client.tokenOf('/admin');
    expect((await client.post('/admin/logout', { _csrf: token })).headers.get('location')).toBe(
      '/admin/login',
    );
    expect(client.cookies.has('deskmate_admin_session')).toBe(false);
    // The old cookie, replayed after signing out, opens nothing.
    const replay = new ConsoleClient(served.baseUrl);
    replay.cookies.set('deskmate_admin_session', kept);
    for (const route of protectedRoutes) expect([303, 401]).toContain((await refused(replay, route)).status);
  });

  test('signing in sets a signed, HttpOnly, SameSite=Strict cookie for /admin only', async () => {
    const client = new ConsoleClient(served.baseUrl);
    const response = await client.signIn(password);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    const attributes = client.cookieAttributes.get('deskmate_admin_session') ?? '';
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/SameSite=Strict/);
    expect(attributes).toMatch(/Path=\/admin/);
    expect(client.cookies.get('deskmate_admin_session')).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
    expect((await client.get('/admin')).status).toBe(200);
  });

  test('signing in from a deep link goes back to it; a link to anywhere else goes to the overview', async () => {
    const client = new ConsoleClient(served.baseUrl);
    const asked = '/admin/audit?from=2026-12-01&skill=summarize';
    const sent = await client.get(asked);
    const loginPage = await (await client.get(sent.headers.get('location') ?? '')).text();
    expect(loginPage).toContain(`name="next" value="${asked.replace(/&/g, '&amp;')}"`);
    const signedIn = await client.post('/admin/login', {
      _csrf: formToken(loginPage),
      password,
      next: asked,
    });
    expect(signedIn.headers.get('location')).toBe(asked);
    for (const elsewhere of [
      '//evil.example/admin',
      'https://evil.example/admin',
      '/admin/login',
      '/admin\\x',
      '/administrator',
    ]) {
      const other = new ConsoleClient(served.baseUrl);
      const page = await (await other.get(`/admin/login?next=${encodeURIComponent(elsewhere)}`)).text();
      expect(page).not.toContain('name="next"');
      const answer = await other.post('/admin/login', { _csrf: formToken(page), password, next: elsewhere });
      expect({ elsewhere, location: answer.headers.get('location') }).toEqual({
        elsewhere,
        location: '/admin',
      });
    }
  });

  test('a form too large to send is a page saying the limit in pasted characters and how to get the text back', async () => {
    for (const [language, expected] of [
      [
        'en-US',
        'a form may carry 256 KB, a pasted thread of about 29,000 Chinese or 262,000 English characters',
      ],
      ['zh-CN', '表单最多 256 KB，粘贴的讨论约 29,000 个汉字或 262,000 个英文字符'],
    ] as const) {
      const client = new ConsoleClient(served.baseUrl, language);
      await client.signIn(password);
      const token = await client.tokenOf('/admin/playground');
      const answer = await client.post('/admin/playground', {
        _csrf: token,
        thread: 'pasted',
        pasted: `王芳: ${'发布计划'.repeat(20_000)}`,
        skill: 'summarize',
      });
      expect(answer.status).toBe(413);
      const page = await answer.text();
      expect(page).toContain(expected);
      expect(page).toContain('<nav');
    }
  });

  test('a form without its CSRF token, with another session’s, or from another origin is refused with 403', async () => {
    const client = new ConsoleClient(served.baseUrl);
    await client.signIn(password);
    const other = new ConsoleClient(served.baseUrl);
    await other.signIn(password);
    const foreignToken = await other.tokenOf('/admin');
    const token = await client.tokenOf('/admin');

    expect((await client.post('/admin/logout', {})).status).toBe(403);
    expect((await client.post('/admin/logout', { _csrf: foreignToken })).status).toBe(403);
    expect((await client.post('/admin/playground', { thread: 'launch-en', skill: 'help' })).status).toBe(403);
    expect(
      (await client.post('/admin/logout', { _csrf: token }, { origin: 'https://attacker.example' })).status,
    ).toBe(403);
    // None of those signed out: the session still opens pages.
    expect((await client.get('/admin/usage')).status).toBe(200);

    // The sign-in form needs the token its page gave (a sign-in posted from elsewhere is refused).
    const stranger = new ConsoleClient(served.baseUrl);
    expect((await stranger.post('/admin/login', { password })).status).toBe(403);
    expect(stranger.cookies.has('deskmate_admin_session')).toBe(false);
  });

  test('five wrong passwords from an address, then 429 even for the right one', async () => {
    // A store of its own: the limit of this address must not leak into the other tests.
    const limited = await startServedDeskmate({ ADMIN_PASSWORD: password });
    try {
      const client = new ConsoleClient(limited.baseUrl);
      // The last two tries before the pause say how many are left; the fifth says the pause has begun.
      const warnings = [
        undefined,
        undefined,
        '2 more wrong attempts and sign-in from your address is paused for a while.',
        '1 more wrong attempt and sign-in from your address is paused for a while.',
        'Too many failed sign-ins from your address. Try again in',
      ];
      for (const warning of warnings) {
        const response = await client.signIn('not the password at all');
        expect(response.status).toBe(401);
        const text = await response.text();
        expect(text).toContain('That password is not right.');
        if (warning) expect(text).toContain(warning);
        else expect(text).not.toMatch(/more wrong attempt|Too many/);
      }
      const blocked = await client.signIn(password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.text()).toMatch(/Too many failed sign-ins/);
      expect(client.cookies.has('deskmate_admin_session')).toBe(false);
    } finally {
      await limited.deskmate.stop();
    }
  });

  test('every page: a strict CSP and security headers, no inline script, style or event handler', async () => {
    const client = new ConsoleClient(served.baseUrl);
    await client.signIn(password);
    for (const path of pages) {
      const response = await client.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).toMatch(/script-src 'self'/);
      expect(policy).toMatch(/frame-ancestors 'none'/);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|http:|https:|\*/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const page = await response.text();
      // Scripts only by src from the console itself; no style attribute or element; no on… handler.
      for (const script of page.match(/<script\b[^>]*>/g) ?? [])
        expect(script).toMatch(/src="\/admin\/assets\//);
      expect(page).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
      expect(page).not.toMatch(/\sstyle=|<style/);
      expect(page).not.toMatch(/\son[a-z]+=/i);
      expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
  });

  test('pages speak the browser’s language', async () => {
    const client = new ConsoleClient(served.baseUrl, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(await (await client.get('/admin/login')).text()).toContain('<html lang="zh-CN">');
    await client.signIn(password);
    const overview = await (await client.get('/admin')).text();
    expect(overview).toContain('概览');
    expect(overview).toContain('每分钟任务数与错误数');
    expect(formToken(overview)).toBeTruthy();
    // Of Chinese and English, the one the browser prefers; English when it names neither.
    expect(languageOf('de-DE,zh;q=0.8,en;q=0.5')).toBe('zh');
    expect(languageOf('en-US,zh-CN;q=0.9')).toBe('en');
    expect(languageOf('zh-TW;q=0.3,en;q=0.7')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });
});

describe('web console while its store is away', () => {
  test('every page, sign-in included, says the store is not answering, in the browser’s language (503)', async () => {
    const redis = await startRedisServer();
    const served = await startServedDeskmate({
      ADMIN_PASSWORD: password,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `console-store-down-${process.pid}:`,
    });
    try {
      const client = new ConsoleClient(served.baseUrl);
      expect((await client.signIn(password)).status).toBe(303);
      await redis.stop();
      const overview = await client.get('/admin');
      expect(overview.status).toBe(503);
      expect(overview.headers.get('retry-after')).toBe('30');
      const page = await overview.text();
      expect(page).toContain('The console cannot reach its store');
      expect(page).toContain('REDIS_URL');
      const chinese = new ConsoleClient(served.baseUrl, 'zh-CN,zh;q=0.9');
      const signIn = await chinese.signIn(password);
      expect(signIn.status).toBe(503);
      expect(await signIn.text()).toContain('控制台无法连接存储');
    } finally {
      await served.deskmate.stop();
      await redis.stop();
    }
  });
});
