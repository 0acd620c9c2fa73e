// Proves, with the model endpoint down (connection refused): the Playground shows what a user would read and,
// for the admin, the error code and its cause; the Overview's Model card turns red with the failures of the
// last 15 minutes in words; an offline run's summary says it was an offline run, not that no model is
// configured; the run's stats say how it was routed and how it ended in words (English and Chinese).
import { createServer } from 'node:net';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { testRedisUrl } from '../helpers/test-redis';
import { ConsoleClient } from './console-client';

const password = 'playground failures password';

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the playground and the overview with the model down', () => {
  const prefix = `admin-playground-failures-${process.pid}-${Date.now()}:`;
  let served: ServedDeskmate;
  let client: ConsoleClient;
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
    served = await startServedDeskmate({
      ADMIN_PASSWORD: password,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      OPENAI_MODEL: 'down-model',
      LLM_MAX_RETRIES: '0',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
    });
    client = new ConsoleClient(served.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
  });
  afterAll(() => served.deskmate.stop());

  async function run(viewer: ConsoleClient, fields: Record<string, string>): Promise<string> {
    const token = await viewer.tokenOf('/admin/playground');
    const posted = await viewer.post('/admin/playground', { _csrf: token, request: '', ...fields });
    expect(posted.status).toBe(303);
    return (await viewer.get(posted.headers.get('location') ?? '')).text();
  }

  test('a failed run shows the code and its cause; the Model card is red with the failures in words', async () => {
    const page = await run(client, { thread: 'launch-en', skill: 'summarize', model: 'configured' });
    expect(page).toContain('<dd id="run-outcome">model or service unavailable <code>unavailable</code></dd>');
    expect(page).toContain('<dd id="run-routed-by">a command word</dd>');
    const detail = /<p class="error" id="run-error">([^\n]*?)<\/p>/.exec(page)?.[1] ?? '';
    expect(detail).toContain('For the admin, what failed: <code>unavailable</code>:');
    expect(detail).toMatch(/ECONNREFUSED|connection refused/i);
    expect(detail).toContain(String(port));
    expect(page).toContain('<span class="muted">+0 min</span>');

    const overview = await (await client.get('/admin')).text();
    expect(overview).toMatch(/<section class="card status-bad"><h2>Model<\/h2>/);
    expect(overview).toContain(
      '<p id="model-failures" class="bad">1 failure in the last 15 min: model or service unavailable <code>unavailable</code> × 1 <a href="/admin/audit?outcome=error">See them in Audit</a></p>',
    );
    expect(overview).toMatch(/<td>model or service unavailable <code>unavailable<\/code><\/td>/);

    const chinese = new ConsoleClient(served.baseUrl, 'zh-CN');
    expect((await chinese.signIn(password)).status).toBe(303);
    const zhOverview = await (await chinese.get('/admin')).text();
    expect(zhOverview).toContain('最近 15 分钟有 1 次失败：模型或服务不可用 <code>unavailable</code> × 1');
  });

  test('an offline run says it was an offline run, in English and Chinese, and its stats are in words', async () => {
    const page = await run(client, { thread: 'launch-en', skill: 'summarize', model: 'offline' });
    expect(page).toContain('Made without a model (extractive): an offline run.');
    expect(page).not.toContain('no language model is configured');
    expect(page).toContain('<dd id="run-outcome">answered <code>ok</code></dd>');

    const chinese = new ConsoleClient(served.baseUrl, 'zh-CN');
    expect((await chinese.signIn(password)).status).toBe(303);
    const zh = await run(chinese, { thread: 'launch-zh', skill: 'summarize', model: 'offline' });
    expect(zh).toContain('未使用模型生成（抽取式）：离线运行。');
    expect(zh).not.toContain('尚未配置语言模型');
    // Chinese punctuation in the extractive summary: 参与者：王芳（3）、…；共 8 条消息。
    expect(zh).toMatch(/参与者<\/strong>：[^<;:,]+（\d+）、[^<;:,]+；共 \d+ 条消息。/);
    expect(zh).toContain('<dt>处理结果</dt><dd id="run-outcome">已回答 <code>ok</code></dd>');
    expect(zh).toContain('<dd id="run-routed-by">命令词</dd>');
    expect(zh).toContain('<h2>回复</h2>');
    expect(zh).toContain('<span class="muted">+0 分钟</span>');
  });
});
