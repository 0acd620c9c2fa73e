// Proves: the playground's `kb` and `ask` use the knowledge base the jobs use (here a knowledge folder synced at
// start): an admin tries a search and a question before rolling it out, instead of being told none is set up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServedDeskmate, startServedDeskmate } from '../helpers/served-deskmate';
import { waitUntil } from '../helpers/wait';
import { ConsoleClient } from './console-client';

jest.setTimeout(60_000);

const password = 'playground knowledge password';

describe('the playground with a knowledge base', () => {
  const folder = mkdtempSync(join(tmpdir(), 'deskmate-playground-kb-'));
  const data = mkdtempSync(join(tmpdir(), 'deskmate-playground-data-'));
  let served: ServedDeskmate;
  let client: ConsoleClient;

  beforeAll(async () => {
    writeFileSync(
      join(folder, 'travel.md'),
      '# Travel\n\nThe hotel limit is 180 euros a night in Berlin.\n\n# 差旅\n\n上海的酒店标准是每晚 900 元。\n',
    );
    served = await startServedDeskmate({
      ADMIN_PASSWORD: password,
      DATA_DIR: data,
      KNOWLEDGE_DIR: folder,
    });
    client = new ConsoleClient(served.baseUrl);
    expect((await client.signIn(password)).status).toBe(303);
    await waitUntil(
      async () => (await (await client.get('/admin/knowledge')).text()).includes('travel.md'),
      'the folder indexed',
      30_000,
    );
  });
  afterAll(async () => {
    await served.deskmate.stop();
    rmSync(folder, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  /** Run the playground and return the run page. */
  async function run(skill: string, request: string): Promise<string> {
    const token = await client.tokenOf('/admin/playground');
    const posted = await client.post('/admin/playground', {
      _csrf: token,
      thread: 'launch-en',
      skill,
      request,
      model: 'offline',
    });
    expect(posted.status).toBe(303);
    return (await client.get(posted.headers.get('location') ?? '')).text();
  }

  test('kb search and ask find the folder document, in English and Chinese', async () => {
    const search = await run('kb', 'kb search hotel');
    expect(search).not.toMatch(/No knowledge base is configured/);
    expect(search).toContain('travel.md');
    expect(search).toContain('180 euros');
    const asked = await run('ask', '问 上海的酒店标准是多少？');
    expect(asked).not.toMatch(/share one here|先分享/);
    expect(asked).toContain('900');
  });
});
