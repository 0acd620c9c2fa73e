import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Run `script` in a fresh Node (with tsx, so require.cache is Node's own, not jest's) and parse what it prints. */
function inFreshNode(script: string): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

const loadedPackages = `
  const loaded = (name) => Object.keys(require.cache).some((path) => path.includes('/node_modules/' + name + '/'));
  const packages = ['@slack/oauth', '@slack/socket-mode', 'undici', 'jsonwebtoken', 'raw-body'];
  const report = () => Object.fromEntries(packages.map((name) => [name, loaded(name)]));
`;

describe('what the Slack adapter loads', () => {
  test("over HTTP it loads neither of Bolt's receivers' packages nor Socket Mode's SDK (undici)", () => {
    const result = inFreshNode(`${loadedPackages}
      require('./adapters/slack');
      console.log(JSON.stringify(report()));`);
    expect(result).toEqual({
      '@slack/oauth': false,
      '@slack/socket-mode': false,
      undici: false,
      jsonwebtoken: false,
      'raw-body': false,
    });
  });

  test('Socket Mode loads its SDK when the composition root asks for it', () => {
    const result = inFreshNode(`${loadedPackages}
      require('./adapters/slack');
      require('./adapters/slack/socket-mode');
      console.log(JSON.stringify(report()));`);
    expect(result).toMatchObject({ '@slack/socket-mode': true, undici: true, '@slack/oauth': false });
  });

  test('a Bolt App left to build its own receiver fails loudly (Deskmate always gives it one)', () => {
    const result = inFreshNode(`
      const { App } = require('./adapters/slack/bolt');
      let failure;
      try { new App({ token: 'xoxb-1', signingSecret: 'secret', tokenVerificationEnabled: false }); } catch (error) { failure = { name: error.name, code: error.code, message: error.message }; }
      console.log(JSON.stringify({ failure }));`);
    expect(result.failure).toMatchObject({ code: 'internal', message: expect.stringContaining('receiver') });
  });

  test("a Web API call does not load Node's fetch (its bundled undici and WebAssembly parser)", () => {
    const result = inFreshNode(`
      const { createServer } = require('node:http');
      const { createSlackApi } = require('./adapters/slack/api');
      const { createLogger } = require('./src/logger');
      const server = createServer((request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ ok: true, user_id: 'U1', team_id: 'T1' }));
      }).listen(0, '127.0.0.1', async () => {
        const api = createSlackApi({
          botToken: 'xoxb-1',
          apiUrl: 'http://127.0.0.1:' + server.address().port + '/api/',
          logger: createLogger({ level: 'silent' }),
          sleep: async () => undefined,
        });
        const answer = await api.call('auth.test', {}, { idempotent: true });
        server.close();
        const fetchLoaded = process.moduleLoadList.some((name) => name.includes('internal/deps/undici'));
        console.log(JSON.stringify({ user: answer.user_id, fetchLoaded }));
      });`);
    expect(result).toEqual({ user: 'U1', fetchLoaded: false });
  });

  test('the real receivers load for anyone who asks for Bolt itself afterwards', () => {
    const result = inFreshNode(`
      require('./adapters/slack/bolt');
      const bolt = require('@slack/bolt');
      console.log(JSON.stringify({ http: bolt.HTTPReceiver.name, socket: bolt.SocketModeReceiver.name }));`);
    expect(result).toEqual({ http: 'HTTPReceiver', socket: 'SocketModeReceiver' });
  });
});
